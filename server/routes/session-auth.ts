/**
 * Who may act on a session: its owning technician (cookie + CSRF), or its customer (Bearer customer peer
 * token from the join). Anyone else gets 404, not 403, so session ids cannot be probed (art. 1.3).
 */
import type { Request } from 'express';
import type { AppContext } from '../context';
import type { AuditActor } from '../db/audit';
import { getSession, type SessionRow } from '../db/sessions';
import { HttpError } from '../http/errors';
import { requireSignIn, requireSignInWithCsrf } from '../auth/signin';
import { hexEqual, keyedHash } from '../sessions/secrets';

const notFound = () => new HttpError(404, 'not-found', 'no such session');

export async function ownedSession(ctx: AppContext, req: Request, id: string, changesState: boolean): Promise<SessionRow> {
  const signedIn = changesState ? await requireSignInWithCsrf(ctx, req) : await requireSignIn(ctx, req);
  const row = await getSession(ctx.db, id);
  if (!row || row.technician_id !== signedIn.technician.id) throw notFound();
  return row;
}

export async function sessionActor(ctx: AppContext, req: Request, id: string): Promise<{ row: SessionRow; actor: AuditActor }> {
  const authorization = req.get('Authorization');
  if (authorization === undefined) return { row: await ownedSession(ctx, req, id, true), actor: 'technician' };
  const token = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(authorization)?.[1];
  const row = await getSession(ctx.db, id);
  if (token === undefined || !row || row.customer_peer_token_hash === null) throw notFound();
  if (!hexEqual(keyedHash(ctx.keys.secret, 'customer-token', token), row.customer_peer_token_hash)) throw notFound();
  return { row, actor: 'customer' };
}
