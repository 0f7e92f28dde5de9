/**
 * The extension refuses an invite that is expired, malformed, or not issued by its configured server, each
 * with its own message for the customer (issue 4), against the invite key pinned at build time, never a
 * key the server hands out (issue 19, finding 13). Spent invites are refused by the server (see
 * tests/server/invites.test.ts) and shown with `errorInviteSpent`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateInviteKeyPair, loadInvitePrivateKey, signInvite } from '@/server/sign-invite';
import { inviteVerifier } from '@/lib/background/session/verify-invite';
import { ServerError } from '@/lib/background/session/server-client';
import { toUserMessage, UserError } from '@/lib/background/session/user-error';

vi.mock('webextension-polyfill', () => ({ default: {} }));

const BASE = 'http://127.0.0.1:8080';
const ours = generateInviteKeyPair();
const theirs = generateInviteKeyPair();
const payload = (over: Partial<{ iss: string; exp: number }> = {}) => ({
  v: 1 as const,
  sid: 'sess',
  iss: BASE,
  technician: { name: 'Sanne de Vries', organisation: 'Reconi' },
  exp: Date.now() + 600_000,
  nonce: 'n',
  ...over,
});

/** The server answering /api/server-info (and anything else) with this invite key. */
function serveInfo(publicKey: string) {
  const fetch = vi.fn(async () => new Response(JSON.stringify({ name: 'meekijk', organisation: 'Reconi', inviteKey: publicKey, terms: { nl: '', en: '', hash: '' } })));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

/** The extension as built: our key pinned. */
const verifyInvite = inviteVerifier(ours.publicKeySpki);

async function refusal(invite: string): Promise<string | undefined> {
  try {
    await verifyInvite(BASE, invite);
    return undefined;
  } catch (error) {
    return error instanceof UserError ? error.key : `unexpected ${String(error)}`;
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('invite checks in the extension', () => {
  it('accepts an invite from its own server and names the technician', async () => {
    serveInfo(ours.publicKeySpki);
    const decoded = await verifyInvite(BASE, signInvite(payload(), loadInvitePrivateKey(ours.privateKeyPkcs8)));
    expect(decoded.technician).toEqual({ name: 'Sanne de Vries', organisation: 'Reconi' });
  });

  it('refuses an invite signed by another key even when the server serves that other key, and never asks it', async () => {
    const fetch = serveInfo(theirs.publicKeySpki);
    expect(await refusal(signInvite(payload(), loadInvitePrivateKey(theirs.privateKeyPkcs8)))).toBe('errorInviteForeign');
    expect(fetch).not.toHaveBeenCalled();
    // The pinned key still accepts its own server's invites, whatever that server now serves.
    expect((await verifyInvite(BASE, signInvite(payload(), loadInvitePrivateKey(ours.privateKeyPkcs8)))).sid).toBe('sess');
  });

  it('refuses expired, malformed, foreign-signed and foreign-issued invites, each with its own message', async () => {
    serveInfo(ours.publicKeySpki);
    const sign = (p: ReturnType<typeof payload>, key = ours) => signInvite(p, loadInvitePrivateKey(key.privateKeyPkcs8));
    expect(await refusal(sign(payload({ exp: Date.now() - 1 })))).toBe('errorInviteExpired');
    expect(await refusal('not-an-invite')).toBe('errorInviteMalformed');
    expect(await refusal(`${sign(payload())}x`)).toMatch(/errorInvite(Malformed|Foreign)/);
    expect(await refusal(sign(payload(), theirs))).toBe('errorInviteForeign');
    expect(await refusal(sign(payload({ iss: 'https://evil.example' })))).toBe('errorInviteForeign');
  });

  it('accepts either pinned key while a rotation rolls out, and still refuses a third', async () => {
    const next = generateInviteKeyPair();
    const during = inviteVerifier(`${ours.publicKeySpki},${next.publicKeySpki}`);
    serveInfo(theirs.publicKeySpki);
    for (const key of [ours, next]) expect((await during(BASE, signInvite(payload(), loadInvitePrivateKey(key.privateKeyPkcs8)))).sid).toBe('sess');
    await expect(during(BASE, signInvite(payload(), loadInvitePrivateKey(theirs.privateKeyPkcs8)))).rejects.toMatchObject({ key: 'errorInviteForeign' });
    // The next key's own refusals keep their reason.
    await expect(during(BASE, signInvite(payload({ exp: Date.now() - 1 }), loadInvitePrivateKey(next.privateKeyPkcs8)))).rejects.toMatchObject({ key: 'errorInviteExpired' });
  });

  it('maps the server refusals to customer messages', () => {
    expect(toUserMessage(new ServerError('invite-spent', 'spent', 410)).key).toBe('errorInviteSpent');
    expect(toUserMessage(new ServerError('invite-expired', 'x', 410)).key).toBe('errorInviteExpired');
    expect(toUserMessage(new ServerError('unknown-code', 'x', 404)).key).toBe('errorUnknownCode');
    expect(toUserMessage(new ServerError('rate-limited', 'x', 429)).key).toBe('errorRateLimited');
    expect(toUserMessage(new ServerError('unreachable', 'x')).key).toBe('errorUnreachable');
    expect(toUserMessage(new ServerError('teapot', 'I am a teapot', 418))).toEqual({ key: 'errorServer', substitutions: ['I am a teapot'] });
  });
});
