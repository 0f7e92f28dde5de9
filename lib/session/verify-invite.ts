/**
 * Checks an invite before anything is shown as "this technician will watch": its signature must come from
 * the configured server's invite key, it must name that server as issuer, and it must not have expired.
 */
import type { InvitePayload } from '@/lib/protocol/api';
import { importInvitePublicKey, verifyInvite } from '@/lib/invite/verify';
import { fetchServerInfo } from './server-client';

export type DecodedInvite = InvitePayload;

const REASONS = {
  malformed: 'This invitation is malformed.',
  'bad-signature': 'This invitation was not issued by your Meekijk server.',
  'wrong-issuer': 'This invitation was issued by another server.',
  expired: 'This invitation has expired. Ask for a new code.',
} as const;

export async function verifyInviteFromServer(base: string, token: string): Promise<DecodedInvite> {
  const info = await fetchServerInfo(base);
  const key = await importInvitePublicKey(info.inviteKey);
  const check = await verifyInvite(token, key, { now: Date.now(), issuer: new URL(base).origin });
  if (!check.ok) throw new Error(REASONS[check.reason]);
  return check.payload;
}
