/** Creating and ending sessions. Art. 1.2: one-off; once ended, nothing of it can be used again. */
import type { AppContext } from '../context';
import { insertAudit, type AuditActor } from '../db/audit';
import { writeDetail } from '../../lib/shared/audit/detail';
import {
  countLiveSessionsForTechnician,
  endSession,
  findOverdue,
  findRedeemableByCode,
  getSession,
  insertSession,
  type SessionRow,
} from '../db/sessions';
import { HttpError } from '../http/errors';
import { deriveCode, deriveSecret, keyedHash, randomId, randomPeerId } from './secrets';

export async function createSession(ctx: AppContext, technicianId: string, ticket: string): Promise<SessionRow> {
  const now = ctx.now();
  const id = randomId();
  const secret = ctx.keys.secret;
  // A cap per technician: more live invites would also make code guessing easier than docs/server.md's odds.
  const cap = ctx.config.maxLiveSessionsPerTechnician;
  if ((await countLiveSessionsForTechnician(ctx.db, technicianId, now)) >= cap) {
    throw new HttpError(429, 'too-many-sessions', `you already have ${cap} live sessions; end one first`);
  }
  // The code must be unique among redeemable invites; on the rare clash, draw a fresh nonce.
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const nonce = randomId();
    const codeHash = keyedHash(secret, 'code', deriveCode(secret, id, nonce));
    const created = await ctx.db.transaction().execute(async (trx) => {
      if (await findRedeemableByCode(trx, codeHash, now)) return false;
      await insertSession(trx, {
        id,
        technician_id: technicianId,
        ticket,
        created_at: now,
        viewer_peer_id: randomPeerId(),
        viewer_peer_token_hash: keyedHash(secret, 'viewer-token', deriveSecret(secret, 'viewer-token', id, nonce)),
        customer_peer_id: randomPeerId(),
        invite_code_hash: codeHash,
        invite_link_hash: keyedHash(secret, 'link', deriveSecret(secret, 'link', id, nonce)),
        invite_expires_at: now + ctx.config.inviteTtlMinutes * 60_000,
        invite_nonce: nonce,
      });
      await insertAudit(trx, { sessionId: id, technicianId, at: now, kind: 'session-created', detail: writeDetail('session-created', { ticket }), actor: 'technician' });
      return true;
    });
    if (created) {
      const row = await getSession(ctx.db, id);
      if (row) return row;
    }
  }
  throw new HttpError(503, 'busy', 'could not allocate a free code; try again');
}

/** Ends a session once (the first reason wins), records why, and disconnects both peers. */
export async function endSessionNow(ctx: AppContext, row: SessionRow, reason: string, actor: AuditActor): Promise<boolean> {
  const now = ctx.now();
  const ended = await ctx.db.transaction().execute(async (trx) => {
    if (!(await endSession(trx, row.id, reason, now))) return false;
    await insertAudit(trx, { sessionId: row.id, technicianId: row.technician_id, at: now, kind: 'ended', detail: reason, actor });
    return true;
  });
  // Disconnect even if someone else ended it first: a stray socket must not outlive the session.
  ctx.peers.disconnectSession(row.viewer_peer_id, row.customer_peer_id);
  return ended;
}

const lastSweep = new WeakMap<AppContext, number>();

/**
 * Ends sessions left unjoined past their invite expiry ('expired') or active too long ('max-duration').
 * Called lazily before reads and periodically; at most once a second, because every check that grants
 * access (redeem, join, peer registration) also tests expiry itself, so the sweep only updates the record.
 * Several instances may sweep at once: endSession's conditional UPDATE lets exactly one of them end it.
 */
export async function sweepOverdue(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  if (now - (lastSweep.get(ctx) ?? -Infinity) < 1000) return 0;
  lastSweep.set(ctx, now);
  const overdue = await findOverdue(ctx.db, now, now - ctx.config.sessionMaxMinutes * 60_000);
  let ended = 0;
  for (const { id, status } of overdue) {
    const row = await getSession(ctx.db, id);
    if (row && (await endSessionNow(ctx, row, status === 'waiting' ? 'expired' : 'max-duration', 'server'))) ended += 1;
  }
  return ended;
}
