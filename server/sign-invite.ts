/** Server side of invites: the Ed25519 key pair and signing (node:crypto; never bundled into clients). */
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { InvitePayload } from '../lib/protocol/api';
import { bytesToBase64url } from '../lib/shared/invite/base64url';

export interface InviteKeyPair {
  /** PKCS#8 DER, base64: kept in the server's settings table. */
  privateKeyPkcs8: string;
  /** SPKI DER, base64: published in /api/server-info for clients to verify with. */
  publicKeySpki: string;
}

export function generateInviteKeyPair(): InviteKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPkcs8: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    publicKeySpki: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

export function loadInvitePrivateKey(pkcs8Base64: string): KeyObject {
  return createPrivateKey({ key: Buffer.from(pkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' });
}

export function signInvite(payload: InvitePayload, privateKey: KeyObject): string {
  const body = new TextEncoder().encode(JSON.stringify(payload));
  const signature = sign(null, body, privateKey);
  return `${bytesToBase64url(body)}.${bytesToBase64url(signature)}`;
}
