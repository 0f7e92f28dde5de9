import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redeemResponseSchema, serverInfoSchema, viewerSessionResponseSchema } from '../../lib/protocol/api';
import { importInvitePublicKey, verifyInvite } from '../../lib/shared/invite/verify';
import { addTechnician, signIn, startTestServer, type TestServer } from './helpers';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({
    MEEKIJK_TURN_URLS: 'turn:turn.example:3478?transport=udp,turns:turn.example:5349',
    MEEKIJK_TURN_SECRET: 'a-very-shared-secret',
    MEEKIJK_STORE_LINKS_CHROME: 'https://chromewebstore.google.com/detail/meekijk',
  });
});
afterEach(() => server.stop());

const nlText = readFileSync(new URL('../../terms/voorwaarden-meekijksessie.nl.md', import.meta.url), 'utf8');

describe('server-info', () => {
  it('publishes organisation, invite key and terms with the hash of the Dutch text', async () => {
    const info = serverInfoSchema.parse(await (await fetch(`${server.url}/api/server-info`)).json());
    expect(info.organisation).toBe('Reconi');
    expect(info.terms).toEqual({
      nl: `${server.url}/terms/nl`,
      en: `${server.url}/terms/en`,
      hash: createHash('sha256').update(nlText, 'utf8').digest('hex'),
    });
    // The published key verifies invites this server signs (what the extension pins).
    await addTechnician(server, 'tess@reconi.nl');
    const tess = await signIn(server, 'tess@reconi.nl');
    const created = await tess.createSession();
    const redeemed = await fetch(`${server.url}/api/invites/redeem`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: created.session.invite.code }) });
    const { invite } = redeemResponseSchema.parse(await redeemed.json());
    const key = await importInvitePublicKey(info.inviteKey);
    const check = await verifyInvite(invite, key, { now: server.clock.now, issuer: server.url });
    expect(check.ok).toBe(true);
    expect(await verifyInvite(invite, key, { now: server.clock.now, issuer: 'https://other.example' })).toEqual({ ok: false, reason: 'wrong-issuer' });
    expect(await verifyInvite(invite, key, { now: server.clock.now + 15 * 60_000, issuer: server.url })).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('published terms (art. 6.1)', () => {
  it.each([
    ['nl', 'Voorwaarden', 'Artikel 1 Meekijksessie', 'éénmalig'],
    ['en', 'Terms for a co-browsing session', 'Article 1 Co-browsing session', 'one-off'],
  ])('renders /terms/%s as readable HTML', async (lang, title, heading, phrase) => {
    const res = await fetch(`${server.url}/terms/${lang}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain(`<html lang="${lang}">`);
    expect(html).toMatch(new RegExp(`<h1>[^<]*${title}`));
    expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).toContain(phrase);
    expect(html).not.toContain('<script');
  });

  it('404s other languages', async () => {
    expect((await fetch(`${server.url}/terms/de`)).status).toBe(404);
  });
});

describe('join page', () => {
  it('carries the link secret for the extension and explains installation in Dutch and English', async () => {
    await addTechnician(server, 'tess@reconi.nl');
    const tess = await signIn(server, 'tess@reconi.nl');
    const created = await tess.createSession();
    const url = created.session.invite.joinUrl ?? '';
    const secret = url.split('/join/')[1] ?? '';
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<meta name="meekijk-join" content="${secret}">`);
    expect(html.indexOf('Open de Meekijk-extensie om deel te nemen')).toBeLessThan(html.indexOf('Open the Meekijk extension to join'));
    expect(html).toContain('https://chromewebstore.google.com/detail/meekijk');
    expect(html).toContain('Tess Technicus');
    expect(html).not.toContain('<script');

    server.clock.now += 15 * 60_000;
    const expired = await fetch(url);
    expect(expired.status).toBe(410);
    expect(await expired.text()).not.toContain('meekijk-join');
  });

  it('escapes and refuses unknown secrets', async () => {
    const res = await fetch(`${server.url}/join/%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('meekijk-join');
  });
});

describe('TURN credentials', () => {
  it('follow the coturn use-auth-secret scheme: username <expiry>:<session>, credential HMAC-SHA1', async () => {
    await addTechnician(server, 'tess@reconi.nl');
    const tess = await signIn(server, 'tess@reconi.nl');
    const created = await tess.createSession();
    const turn = created.iceServers.find((s) => s.username !== undefined);
    expect(turn?.urls).toEqual(['turn:turn.example:3478?transport=udp', 'turns:turn.example:5349']);
    const [expiry, sessionId] = (turn?.username ?? '').split(':');
    expect(Number(expiry)).toBe(Math.floor(server.clock.now / 1000) + 3600);
    expect(sessionId).toBe(created.session.id);
    expect(turn?.credential).toBe(createHmac('sha1', 'a-very-shared-secret').update(turn?.username ?? '').digest('base64'));
    expect(viewerSessionResponseSchema.parse(created).iceServers).toHaveLength(1);
  });
});

describe('HTTP basics', () => {
  it('answers /healthz', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
  });

  it('serves the built viewer as an SPA with security headers and a CSP that allows only its own scripts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meekijk-viewer-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>viewer</title>');
    writeFileSync(join(dir, 'app.js'), 'console.log(1)');
    const withViewer = await startTestServer({ MEEKIJK_VIEWER_DIR: dir });
    try {
      const res = await fetch(`${withViewer.url}/some/spa/route`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>viewer</title>');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain(`connect-src 'self' ${withViewer.url.replace('http', 'ws')}`);
      expect(csp).toMatch(/frame-src 'self' blob:/);
      const asset = await fetch(`${withViewer.url}/app.js`);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
    } finally {
      await withViewer.stop();
    }
  });

  it('serves a clear 503 page when the viewer is not built', async () => {
    const res = await fetch(`${server.url}/some/spa/route`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });

  it('answers unknown API routes with a JSON 404, never HTML or a stack', async () => {
    const res = await fetch(`${server.url}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not-found', message: 'no such endpoint: GET /api/nope' } });
  });
});
