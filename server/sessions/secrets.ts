/**
 * Randomness and keyed hashes for session secrets. Peer tokens, the 6-digit code and the join-link secret
 * are derived from a random per-session nonce with the server's secret key, so the database holds only
 * keyed hashes of them, yet the owning technician's viewer can be shown them again after a reload.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 128 random bits, base64url: session ids, tokens, nonces. Unguessable (invariant 6). */
export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * An unguessable PeerJS peer id (128 bits). PeerJS accepts only ids matching
 * /^[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*$/, which base64url breaks about one time in twenty (a leading or
 * doubled `-`/`_`): hex never does.
 */
export function randomPeerId(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Keyed hash used as a lookup key: without the server secret a database dump reveals nothing usable. */
export function keyedHash(secret: Buffer, purpose: string, value: string): string {
  return createHmac('sha256', secret).update(`${purpose}\0${value}`, 'utf8').digest('hex');
}

export type SecretPurpose = 'viewer-token' | 'link' | 'code';

function derive(secret: Buffer, purpose: SecretPurpose, sessionId: string, nonce: string): Buffer {
  return createHmac('sha256', secret).update(`derive\0${purpose}\0${sessionId}\0${nonce}`, 'utf8').digest();
}

export function deriveSecret(secret: Buffer, purpose: 'viewer-token' | 'link', sessionId: string, nonce: string): string {
  return derive(secret, purpose, sessionId, nonce).toString('base64url');
}

/** Six decimal digits from 48 pseudo-random bits (bias below 1e-8). */
export function deriveCode(secret: Buffer, sessionId: string, nonce: string): string {
  const n = derive(secret, 'code', sessionId, nonce).readUIntBE(0, 6);
  return String(n % 1_000_000).padStart(6, '0');
}

/** Constant-time comparison of two hex digests (token checks must not leak through timing). */
export function hexEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
