/**
 * Verifies a signed invite: `base64url(JSON payload).base64url(Ed25519 signature)`.
 * Isomorphic: WebCrypto only, so the extension (which must refuse invites not issued by its server,
 * issue 4) and the server share this code. Signing lives server-side in server/sign-invite.ts.
 */
import { invitePayloadSchema, type InvitePayload } from '../../protocol/api';
import { base64ToBytes, base64urlToBytes } from './base64url';

export type InviteCheck =
  | { ok: true; payload: InvitePayload }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'wrong-issuer' };

/** Imports the server's invite public key (SPKI DER, base64, as published in /api/server-info). */
export async function importInvitePublicKey(spkiBase64: string): Promise<CryptoKey> {
  const der = base64ToBytes(spkiBase64);
  if (der === null) throw new Error('invite key is not base64');
  return crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']);
}

export interface VerifyOptions {
  now: number;
  /** When given, the invite's `iss` must equal this origin. */
  issuer?: string;
}

export async function verifyInvite(invite: string, key: CryptoKey, options: VerifyOptions): Promise<InviteCheck> {
  const parts = invite.split('.');
  if (parts.length !== 2) return { ok: false, reason: 'malformed' };
  const payloadBytes = base64urlToBytes(parts[0] ?? '');
  const signature = base64urlToBytes(parts[1] ?? '');
  if (payloadBytes === null || signature === null || signature.length !== 64) return { ok: false, reason: 'malformed' };

  // Check the signature before parsing, so nothing unauthenticated reaches the JSON parser's consumers.
  const valid = await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, payloadBytes);
  if (!valid) return { ok: false, reason: 'bad-signature' };

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = invitePayloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  if (options.issuer !== undefined && parsed.data.iss !== options.issuer) return { ok: false, reason: 'wrong-issuer' };
  if (parsed.data.exp <= options.now) return { ok: false, reason: 'expired' };
  return { ok: true, payload: parsed.data };
}
