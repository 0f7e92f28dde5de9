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

/**
 * `managedKeys`: the enterprise policy's `inviteKey` (lib/shared/settings.ts). IT that points the extension
 * at its own server gives that server's key with it; it replaces the pinned key(s), which belong to the
 * server this build was made for.
 */
export function inviteVerifier(
  pinnedKeys: string = PINNED_INVITE_KEYS,
  managedKeys: () => Promise<string | undefined> = async () => undefined,
): (base: string, token: string) => Promise<DecodedInvite> {
  const imported = new Map<string, Promise<CryptoKey[]>>();
  const keysFor = (list: string) => {
    let keys = imported.get(list);
    if (!keys) {
      keys = Promise.all(list.split(',').map((key) => key.trim()).filter(Boolean).map((key) => importInvitePublicKey(key)));
      imported.set(list, keys);
    }
    return keys;
  };
  return async (base, token) => {
    let reason: keyof typeof REASONS = 'bad-signature';
    for (const key of await keysFor((await managedKeys()) ?? pinnedKeys)) {
      const check = await verifyInvite(token, key, { now: Date.now(), issuer: new URL(base).origin });
      if (check.ok) return check.payload;
      // Anything but a bad signature holds for every key (malformed) or means this key signed it.
      reason = check.reason;
      if (reason !== 'bad-signature') break;
    }
    throw new UserError(REASONS[reason]);
  };
}
