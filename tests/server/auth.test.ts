import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CSRF_HEADER, meResponseSchema } from '../../lib/protocol/api';
import { findTechnicianByEmail } from '../../server/db/technicians';
import { addTechnician, errorCode, postJson, signIn, startTestServer, TEST_PASSWORD, type TestServer } from './helpers';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
  await addTechnician(server, 'tess@reconi.nl');
});
afterEach(() => server.stop());

const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  postJson(server, '/api/auth/login', { email, password }, headers);

describe('sign-in', () => {
  it('stores passwords as argon2id', async () => {
    expect((await findTechnicianByEmail(server.db, 'tess@reconi.nl'))?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('signs in with the right password and sets a strict HttpOnly cookie', async () => {
    const res = await login('Tess@Reconi.nl', TEST_PASSWORD);
    expect(res.status).toBe(200);
    const me = meResponseSchema.parse(await res.json());
    expect(me.technician.email).toBe('tess@reconi.nl');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^meekijk_auth=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');

    const cookieHeader = cookie.split(';')[0] ?? '';
    const again = await fetch(`${server.url}/api/auth/me`, { headers: { cookie: cookieHeader } });
    expect(meResponseSchema.parse(await again.json()).csrfToken).toBe(me.csrfToken);
  });

  it('refuses a wrong password and an unknown account alike', async () => {
    const wrong = await login('tess@reconi.nl', 'wrong password');
    expect(wrong.status).toBe(401);
    expect(await errorCode(wrong)).toBe('bad-credentials');
    const unknown = await login('nobody@reconi.nl', TEST_PASSWORD);
    expect(unknown.status).toBe(401);
    expect(await errorCode(unknown)).toBe('bad-credentials');
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('rejects malformed bodies with a JSON error, not a stack trace', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('bad-json');
    const invalid = await login('not-an-email', 'x');
    expect(invalid.status).toBe(400);
    expect(await errorCode(invalid)).toBe('invalid-request');
  });

  it('is unauthenticated without a cookie', async () => {
    const res = await fetch(`${server.url}/api/auth/me`);
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('not-signed-in');
  });

  it('rate limits failed sign-ins per address across e-mails', async () => {
    for (let i = 0; i < 20; i += 1) await login(`guess${i}@reconi.nl`, 'wrong');
    expect((await login('tess@reconi.nl', TEST_PASSWORD)).status).toBe(429);
  });

  it('expires idle sign-ins', async () => {
    const agent = await signIn(server, 'tess@reconi.nl');
    server.clock.now += 61 * 60_000;
    expect((await agent.get('/api/auth/me')).status).toBe(401);
  });

  it('signs out (with CSRF) and the cookie stops working', async () => {
    const agent = await signIn(server, 'tess@reconi.nl');
    const noCsrf = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: agent.cookie } });
    expect(noCsrf.status).toBe(403);
    expect((await agent.post('/api/auth/logout', {})).status).toBe(204);
    expect((await agent.get('/api/auth/me')).status).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses state-changing requests without or with a wrong token', async () => {
    const agent = await signIn(server, 'tess@reconi.nl');
    const missing = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { cookie: agent.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: 'T-1' }),
    });
    expect(missing.status).toBe(403);
    expect(await errorCode(missing)).toBe('csrf');
    const wrong = await agent.post('/api/sessions', { ticket: 'T-1' }, { [CSRF_HEADER]: `${agent.csrf.slice(0, -1)}x` });
    expect(wrong.status).toBe(403);
    const other = await signIn(server, 'tess@reconi.nl');
    const crossed = await agent.post('/api/sessions', { ticket: 'T-1' }, { [CSRF_HEADER]: other.csrf });
    expect(crossed.status).toBe(403);
    expect((await agent.post('/api/sessions', { ticket: 'T-1' })).status).toBe(201);
  });
});

describe('secure cookies', () => {
  it('marks the cookie Secure and __Host- when the public URL is https', async () => {
    const https = await startTestServer({ MEEKIJK_PUBLIC_URL: 'https://meekijk.example' });
    try {
      await addTechnician(https, 'tess@reconi.nl');
      const res = await postJson(https, '/api/auth/login', { email: 'tess@reconi.nl', password: TEST_PASSWORD });
      expect(res.status).toBe(200);
      const cookie = res.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^__Host-meekijk_auth=/);
      expect(cookie).toContain('; Secure');
      expect(cookie).toContain('HttpOnly');
    } finally {
      await https.stop();
    }
  });
});
