/**
 * What goes with the end of a session, for every reason it ends (art. 1.2: one-off, never resumed): the
 * goodbye to the technician and the peer torn down, the customer's history and the server told.
 */
import type { JoinResponse } from '@/lib/protocol/api';
import type { EndReason } from '@/lib/protocol/wire';
import type { ControllerDeps } from './controller-deps';

/** What survives a browser restart, so a session cut off by it is ended and recorded (not resumed). */
export interface ActiveRecord {
  sessionId: string;
  base: string;
  token: string;
}

/** The server's answer at consent, with the server it came from. */
export type Joined = JoinResponse & { base: string };

export async function closeSession(
  deps: Pick<ControllerDeps, 'peerHost' | 'history' | 'persistActive' | 'api'>,
  joined: Joined,
  reason: EndReason,
  endedAt: number,
): Promise<void> {
  // Goodbye and teardown start now, before anything else can start a new session.
  const closed = deps.peerHost.close({ type: 'send', message: { type: 'end', reason } }).catch(() => undefined);
  await deps.history.markEnded(joined.sessionId);
  await deps.history.update(joined.sessionId, { endedAt, endedReason: reason });
  await deps.persistActive(null);
  await closed;
  await deps.api.endSession(joined.base, joined.sessionId, joined.customer.token, reason === 'refused' ? 'connection-lost' : reason).catch(() => undefined);
}

/**
 * After a browser restart (or a crash of the background) a session that was running cannot go on: the
 * peer is gone. Record it as ended and tell the server, so it is never resumed (art. 1.2). `reason`: the
 * browser closed, or only the extension's service worker stopped (its session storage survived).
 */
export async function endInterruptedSession(
  record: ActiveRecord | null,
  deps: Pick<ControllerDeps, 'history' | 'api' | 'persistActive'> & { now?: () => number },
  reason: 'browser-closed' | 'extension-stopped' = 'browser-closed',
): Promise<boolean> {
  if (!record) return false;
  const now = deps.now ?? Date.now;
  await deps.history.markEnded(record.sessionId);
  await deps.history.update(record.sessionId, { endedAt: now(), endedReason: reason });
  await deps.persistActive(null);
  await deps.api.endSession(record.base, record.sessionId, record.token, reason).catch(() => undefined);
  return true;
}
