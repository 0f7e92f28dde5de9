/**
 * Consent given: the customer's extension presents the signed invite and the consent record. In one atomic
 * update the invite is spent, consent recorded (terms hash, locale, time) and the session made active
 * (art. 1.1 consent, art. 1.2 one-off). Only then does the customer get peer credentials.
 */
import type { z } from 'zod';
import type { JoinResponse, joinRequestSchema } from '../../lib/protocol/api';
import { verifyInvite } from '../../lib/shared/invite/verify';
import { PEER_PATH, type AppContext } from '../context';
import { insertAudit } from '../db/audit';
import { writeDetail } from '../../lib/shared/audit/detail';
import { activateSession, getSession } from '../db/sessions';
import { HttpError } from '../http/errors';
import { iceServersFor } from '../ice';
import { keyedHash, randomId } from './secrets';
import { sweepOverdue } from './lifecycle';
import { unusable } from './redeem';

type JoinRequest = z.output<typeof joinRequestSchema>;

export async function joinSession(ctx: AppContext, sessionId: string, request: JoinRequest): Promise<JoinResponse> {
  const check = await verifyInvite(request.invite, ctx.inviteVerifyKey, { now: ctx.now(), issuer: ctx.publicUrl });
  if (!check.ok) {
    if (check.reason === 'expired') throw new HttpError(410, 'invite-expired', 'this invite has expired');
    throw new HttpError(400, 'invalid-invite', `invite refused: ${check.reason}`);
  }
  if (check.payload.sid !== sessionId) throw new HttpError(400, 'invalid-invite', 'invite is for another session');
  await sweepOverdue(ctx);
  const row = await getSession(ctx.db, sessionId);
  if (!row || row.invite_nonce !== check.payload.nonce) throw new HttpError(400, 'invalid-invite', 'invite not recognised');
  const now = ctx.now();
  if (row.status !== 'waiting' || row.invite_spent_at !== null || row.invite_expires_at <= now) throw unusable(row, now);

  // Consent counts only for the terms this server publishes (art. 6.1), in the language the customer read.
  const { consent } = request;
  const published = consent.locale === 'nl' ? ctx.terms.nl : ctx.terms.en;
  if (published === null || consent.termsHash !== published.hash) {
    throw new HttpError(400, 'terms-mismatch', 'consent was given to terms this server does not publish');
  }
  if (consent.at.length > 64 || Number.isNaN(Date.parse(consent.at))) {
    throw new HttpError(400, 'invalid-request', 'consent.at: expected an ISO date-time');
  }

  const customerToken = randomId(32);
  const activated = await ctx.db.transaction().execute(async (trx) => {
    const ok = await activateSession(trx, {
      id: row.id,
      nonce: row.invite_nonce,
      now,
      customerTokenHash: keyedHash(ctx.keys.secret, 'customer-token', customerToken),
      termsHash: consent.termsHash,
      locale: consent.locale,
      consentAt: consent.at,
    });
    if (!ok) return false;
    const base = { sessionId: row.id, technicianId: row.technician_id, at: now, actor: 'customer' as const };
    await insertAudit(trx, { ...base, kind: 'invite-used', detail: '' });
    await insertAudit(trx, { ...base, kind: 'consent', detail: writeDetail('consent', { terms: consent.termsHash, locale: consent.locale, at: consent.at }) });
    return true;
  });
  if (!activated) {
    const latest = await getSession(ctx.db, row.id);
    throw latest ? unusable(latest, now) : new HttpError(404, 'not-found', 'no such session');
  }
  return {
    sessionId: row.id,
    customer: { peerId: row.customer_peer_id, token: customerToken },
    viewerPeerId: row.viewer_peer_id,
    peer: { path: PEER_PATH, key: ctx.keys.peerKey },
    iceServers: iceServersFor(ctx.config, { ...row, status: 'active', activated_at: now }, now),
    iceTransportPolicy: ctx.config.iceTransportPolicy,
    siteRules: ctx.config.siteRules,
    reconnectGraceSeconds: ctx.config.reconnectGraceSeconds,
  };
}
