/**
 * Checks an invite before anything is shown as "this technician will watch": its signature must come from
 * the invite key pinned into this build (scripts/invite-key.ts, never fetched from the server: a server
 * that serves another key gets nothing accepted), it must name the configured server as issuer, and it
 * must not have expired.
 */
import type { InvitePayload } from '@/lib/protocol/api';
import { importInvitePublicKey, verifyInvite } from '@/lib/shared/invite/verify';
import { UserError } from './user-error';

export type DecodedInvite = InvitePayload;

/**
 * SPKI, base64, set by wxt.config.ts at build time: one key, or several separated by commas while a key
 * rotation rolls out (docs/server.md, "Invite key pinning").
 */
const PINNED_INVITE_KEYS: string = import.meta.env.WXT_MEEKIJK_INVITE_KEY ?? '';

/** Why an invite is refused, as message keys the popup shows in the customer's language. */
const REASONS = {
  malformed: 'errorInviteMalformed',
  'bad-signature': 'errorInviteForeign',
  'wrong-issuer': 'errorInviteForeign',
  expired: 'errorInviteExpired',
} as const;

export function inviteVerifier(pinnedKeys: string = PINNED_INVITE_KEYS): (base: string, token: string) => Promise<DecodedInvite> {
  let keys: Promise<CryptoKey[]> | undefined;
  return async (base, token) => {
    keys ??= Promise.all(pinnedKeys.split(',').filter(Boolean).map((key) => importInvitePublicKey(key)));
    let reason: keyof typeof REASONS = 'bad-signature';
    for (const key of await keys) {
      const check = await verifyInvite(token, key, { now: Date.now(), issuer: new URL(base).origin });
      if (check.ok) return check.payload;
      // Anything but a bad signature holds for every key (malformed) or means this key signed it.
      reason = check.reason;
      if (reason !== 'bad-signature') break;
    }
    throw new UserError(REASONS[reason]);
  };
}
