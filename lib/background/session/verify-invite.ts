/**
 * Checks an invite before anything is shown as "this technician will watch": its signature must come from
 * the configured server's invite key, it must name that server as issuer, and it must not have expired.
 */
import type { InvitePayload } from '@/lib/protocol/api';
import { importInvitePublicKey, verifyInvite } from '@/lib/shared/invite/verify';
import { fetchServerInfo } from './server-client';
import { UserError } from './user-error';

export type DecodedInvite = InvitePayload;

/** Why an invite is refused, as message keys the popup shows in the customer's language. */
const REASONS = {
  malformed: 'errorInviteMalformed',
  'bad-signature': 'errorInviteForeign',
  'wrong-issuer': 'errorInviteForeign',
  expired: 'errorInviteExpired',
} as const;

export async function verifyInviteFromServer(base: string, token: string): Promise<DecodedInvite> {
  const info = await fetchServerInfo(base);
  const key = await importInvitePublicKey(info.inviteKey);
  const check = await verifyInvite(token, key, { now: Date.now(), issuer: new URL(base).origin });
  if (!check.ok) throw new UserError(REASONS[check.reason]);
  return check.payload;
}
