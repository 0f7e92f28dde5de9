/**
 * ICE servers handed to both ends of a session. Only what is configured: never a public STUN/TURN server.
 * TURN credentials follow the TURN REST API scheme coturn implements with `use-auth-secret`:
 * username = "<unix expiry>:<session id>", credential = base64(HMAC-SHA1(secret, username)).
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from '../lib/protocol/api';
import type { Config } from './config';

export function turnCredential(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username, 'utf8').digest('base64');
}

export function iceServersFor(config: Config, sessionId: string, now: number): IceServer[] {
  const servers: IceServer[] = [...config.iceServers];
  if (config.turn !== null) {
    const expiry = Math.floor(now / 1000) + config.turn.ttlSeconds;
    const username = `${expiry}:${sessionId}`;
    servers.push({ urls: config.turn.urls, username, credential: turnCredential(config.turn.secret, username) });
  }
  return servers;
}
