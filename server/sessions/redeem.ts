/**
 * Exchanging a 6-digit code or a join-link secret for a signed invite. Redeeming does not spend the invite
 * (the customer may reopen the popup); joining does (art. 1.2). Wrong codes are rate limited per address
 * (an IPv6 /64 counts as one) and globally (auth/limiters.ts; the math is in docs/server.md).
 */
import type { z } from 'zod';
import type { InvitePayload, redeemRequestSchema } from '../../lib/protocol/api';
import { signInvite } from '../sign-invite';
import type { AppContext } from '../context';
import { insertAudit } from '../db/audit';
import { writeDetail } from '../../lib/shared/audit/detail';
import { findByLink, findLatestByCode, findRedeemableByCode, type SessionRow } from '../db/sessions';
import { findTechnicianById } from '../db/technicians';
import { HttpError } from '../http/errors';
import { addressKey } from '../auth/address-key';
import { keyedHash } from './secrets';
import { sweepOverdue } from './lifecycle';

type RedeemRequest = z.output<typeof redeemRequestSchema>;

export async function redeemInvite(ctx: AppContext, request: RedeemRequest, ip: string): Promise<string> {
  await sweepOverdue(ctx);
  const row = 'code' in request ? await redeemCode(ctx, request.code, ip) : await redeemLink(ctx, request.link);
  await insertAudit(ctx.db, {
    sessionId: row.id,
    technicianId: row.technician_id,
    at: ctx.now(),
    kind: 'invite-redeemed',
    detail: writeDetail('invite-redeemed', { via: 'code' in request ? 'code' : 'link' }),
    actor: 'customer',
  });
  return await issueInvite(ctx, row);
}

async function redeemCode(ctx: AppContext, code: string, ip: string): Promise<SessionRow> {
  const { codeByIp, codeGlobal, report } = ctx.limiters;
  const address = addressKey(ip);
  const perAddress = await codeByIp.retryAfterSeconds(address);
  if (perAddress > 0) {
    await report.hit({ limit: 'code-per-address', address, technicianId: null });
    throw new HttpError(429, 'rate-limited', 'too many wrong codes; try again later or use the join link', {
      'Retry-After': String(perAddress),
    });
  }
  // Over the global budget (guessing from many addresses), only addresses that already guessed wrong in
  // this window are refused: a customer typing their code for the first time still gets through, so the
  // budget cannot be spent to lock code entry for everyone, and each attacking address gets one guess.
  const global = await codeGlobal.retryAfterSeconds('all');
  if (global > 0 && (await codeByIp.count(address)) > 0) {
    await report.hit({ limit: 'code-global', address, technicianId: null });
    throw new HttpError(429, 'rate-limited', 'too many wrong codes; try again later or use the join link', {
      'Retry-After': String(global),
    });
  }
  const codeHash = keyedHash(ctx.keys.secret, 'code', code);
  const row = await findRedeemableByCode(ctx.db, codeHash, ctx.now());
  if (row) return row;
  // Every miss counts, including codes of spent or expired invites: none of them yields an invite.
  await codeByIp.record(address);
  await codeGlobal.record('all');
  const stale = await findLatestByCode(ctx.db, codeHash);
  if (stale) throw unusable(stale, ctx.now());
  throw new HttpError(404, 'unknown-code', 'no invite with this code');
}

async function redeemLink(ctx: AppContext, link: string): Promise<SessionRow> {
  // 256-bit secret: guessing is hopeless, so no rate limit is needed here.
  const row = await findByLink(ctx.db, keyedHash(ctx.keys.secret, 'link', link));
  if (!row) throw new HttpError(404, 'unknown-link', 'no invite for this link');
  if (row.status !== 'waiting' || row.invite_spent_at !== null || row.invite_expires_at <= ctx.now()) {
    throw unusable(row, ctx.now());
  }
  return row;
}

/** Why an invite can no longer be used; the order matches what the customer can act on. */
export function unusable(row: SessionRow, now: number): HttpError {
  if (row.invite_spent_at !== null) return new HttpError(410, 'invite-spent', 'this invite has already been used');
  if (row.invite_expires_at <= now) return new HttpError(410, 'invite-expired', 'this invite has expired');
  return new HttpError(410, 'session-ended', 'this session has ended');
}

async function issueInvite(ctx: AppContext, row: SessionRow): Promise<string> {
  const technician = await findTechnicianById(ctx.db, row.technician_id);
  if (!technician) throw new HttpError(500, 'internal', 'session without technician');
  const payload: InvitePayload = {
    v: 1,
    sid: row.id,
    iss: ctx.publicUrl,
    technician: { name: technician.name, organisation: technician.organisation },
    exp: row.invite_expires_at,
    nonce: row.invite_nonce,
  };
  return signInvite(payload, ctx.keys.invitePrivateKey);
}
