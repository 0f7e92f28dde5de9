/** Small modules in isolation: rate limiter, base64url, markdown escaping, secrets, invite verify. */
import { randomUUID, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64urlToBytes, bytesToBase64url } from '../../lib/shared/invite/base64url';
import { generateInviteKeyPair, loadInvitePrivateKey, signInvite } from '../../server/sign-invite';
import { importInvitePublicKey, verifyInvite } from '../../lib/shared/invite/verify';
import { MemoryRateLimiter, memoryRateLimiters, type RateLimiterStore } from '../../server/auth/rate-limit';
import { connectRedis } from '../../server/redis/connect';
import { redisRateLimiters } from '../../server/redis/rate-limit';
import { scaledBackends } from './helpers';
import { markdownToHtml } from '../../server/pages/markdown';
import { deriveCode, hexEqual } from '../../server/sessions/secrets';

const stores: Array<[string, (now: () => number) => Promise<{ store: RateLimiterStore; close(): Promise<void> }>]> = [
  ['memory', async (now) => ({ store: memoryRateLimiters({ now }), close: async () => undefined })],
];
const scaled = scaledBackends();
if (scaled !== null) {
  stores.push(['Redis', async (now) => {
    const link = await connectRedis(scaled.redisUrl, `units-${randomUUID()}:`);
    return { store: redisRateLimiters(link.commands, link.prefix, now), close: () => link.close() };
  }]);
}

describe.each(stores)('RateLimiter (%s)', (_name, open) => {
  it('allows `limit` events per sliding window and says when to retry', async () => {
    const clock = { now: 0 };
    const { store, close } = await open(() => clock.now);
    const limiter = store('test', { limit: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i += 1) {
      expect(await limiter.retryAfterSeconds('k')).toBe(0);
      await limiter.record('k');
      clock.now += 10_000;
    }
    expect(await limiter.retryAfterSeconds('k')).toBe(30); // oldest event at 0 leaves the window at 60s
    expect(await limiter.retryAfterSeconds('other')).toBe(0);
    expect(await store('another-rule', { limit: 3, windowMs: 60_000 }).retryAfterSeconds('k')).toBe(0);
    clock.now = 60_001;
    expect(await limiter.retryAfterSeconds('k')).toBe(0);
    await limiter.reset('k');
    await limiter.record('k');
    expect(await limiter.retryAfterSeconds('k')).toBe(0);
    await close();
  });
});

describe('MemoryRateLimiter', () => {
  it('bounds the number of tracked keys', async () => {
    const limiter = new MemoryRateLimiter({ limit: 1, windowMs: 60_000, now: () => 0, maxKeys: 2 });
    await limiter.record('a');
    await limiter.record('b');
    await limiter.record('c');
    expect(await limiter.retryAfterSeconds('a')).toBe(0); // evicted
    expect(await limiter.retryAfterSeconds('c')).toBeGreaterThan(0);
  });
});

describe('base64url', () => {
  it('round-trips and refuses non-canonical input', () => {
    const bytes = new Uint8Array([0, 255, 251, 62, 63, 1]);
    expect(base64urlToBytes(bytesToBase64url(bytes))).toEqual(bytes);
    expect(base64urlToBytes('a+b/')).toBeNull();
    expect(base64urlToBytes('abcde')).toBeNull();
    expect(base64urlToBytes('AB')).toBeNull(); // non-zero trailing bits
  });
});

describe('markdownToHtml', () => {
  it('escapes HTML and maps the top heading to h1', () => {
    expect(markdownToHtml('## Title\n\n### Sub\n\nText <img src=x onerror=alert(1)> & more')).toBe(
      '<h1>Title</h1>\n<h2>Sub</h2>\n<p>Text &lt;img src=x onerror=alert(1)&gt; &amp; more</p>',
    );
  });
});

describe('secrets', () => {
  it('derives 6-digit codes and compares digests in constant time', () => {
    const code = deriveCode(Buffer.alloc(32, 1), 'session', 'nonce');
    expect(code).toMatch(/^\d{6}$/);
    expect(deriveCode(Buffer.alloc(32, 1), 'session', 'nonce')).toBe(code);
    expect(hexEqual('ab', 'ab')).toBe(true);
    expect(hexEqual('ab', 'ac')).toBe(false);
    expect(hexEqual('ab', 'abcd')).toBe(false);
    expect(hexEqual('', '')).toBe(false);
  });
});

describe('invite verify (isomorphic, WebCrypto)', () => {
  const pair = generateInviteKeyPair();
  const payload = { v: 1 as const, sid: 's', iss: 'http://x', technician: { name: 'T', organisation: 'R' }, exp: 2000, nonce: 'n' };
  const invite = signInvite(payload, loadInvitePrivateKey(pair.privateKeyPkcs8));

  it('accepts a good invite and names what is wrong with bad ones', async () => {
    const key = await importInvitePublicKey(pair.publicKeySpki);
    expect(await verifyInvite(invite, key, { now: 1000 })).toEqual({ ok: true, payload });
    expect(await verifyInvite(invite, key, { now: 2000 })).toEqual({ ok: false, reason: 'expired' });
    expect(await verifyInvite(`${invite}.x`, key, { now: 1000 })).toEqual({ ok: false, reason: 'malformed' });
    const other = await importInvitePublicKey(generateInviteKeyPair().publicKeySpki);
    expect(await verifyInvite(invite, other, { now: 1000 })).toEqual({ ok: false, reason: 'bad-signature' });
    // Correctly signed, but not an invite payload: parsed and refused, never trusted.
    const body = new TextEncoder().encode(JSON.stringify({ ...payload, v: 2 }));
    const wrongShape = `${bytesToBase64url(body)}.${bytesToBase64url(sign(null, body, loadInvitePrivateKey(pair.privateKeyPkcs8)))}`;
    expect(await verifyInvite(wrongShape, key, { now: 1000 })).toEqual({ ok: false, reason: 'malformed' });
  });
});
