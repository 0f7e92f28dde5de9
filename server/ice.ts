/**
 * ICE servers handed to both ends of a session. Only what is configured: never a public STUN/TURN server.
 * TURN credentials follow the TURN REST API scheme coturn implements with `use-auth-secret`:
 * username = "<unix expiry>:<session id>", credential = base64(HMAC-SHA1(secret, username)).
 *
 * Such a credential cannot be revoked (coturn checks only the HMAC and the expiry), so its expiry is the
 * latest moment the session can still be live, if that comes before MEEKIJK_TURN_TTL: an active session
 * ends at the latest MEEKIJK_SESSION_MAX_MINUTES after it started, a waiting one when its invite lapses
 * plus that. An ended session gets no TURN credential at all.
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from '../lib/protocol/api';
import type { Config } from './config';
import type { SessionRow } from './db/sessions';

export type IceSession = Pick<SessionRow, 'id' | 'status' | 'activated_at' | 'invite_expires_at'>;

export function turnCredential(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username, 'utf8').digest('base64');
}

/** The latest moment (ms) the session can still be live. */
export function sessionHardEnd(config: Config, session: IceSession): number {
  const maxMs = config.sessionMaxMinutes * 60_000;
  if (session.status === 'active' && session.activated_at !== null) return session.activated_at + maxMs;
  return session.invite_expires_at + maxMs;
}

export function iceServersFor(config: Config, session: IceSession, now: number): IceServer[] {
  const servers: IceServer[] = [...config.iceServers];
  if (config.turn !== null && session.status !== 'ended') {
    const expiry = Math.floor(Math.min(now + config.turn.ttlSeconds * 1000, sessionHardEnd(config, session)) / 1000);
    if (expiry * 1000 > now) {
      const username = `${expiry}:${session.id}`;
      servers.push({ urls: config.turn.urls, username, credential: turnCredential(config.turn.secret, username) });
    }
  }
  return servers;
}
