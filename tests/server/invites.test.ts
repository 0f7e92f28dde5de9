import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  invitePayloadSchema,
  joinResponseSchema,
  redeemResponseSchema,
  serverInfoSchema,
  viewerSessionResponseSchema,
  type InvitePayload,
} from '../../lib/protocol/api';
import { base64urlToBytes, bytesToBase64url } from '../../lib/shared/invite/base64url';
import { generateInviteKeyPair, loadInvitePrivateKey, signInvite } from '../../server/sign-invite';
import { addTechnician, errorCode, postJson, signIn, startTestServer, type Agent, type TestServer } from './helpers';
import { LATE_REPORT_MS } from '../../server/routes/sessions';

let server: TestServer;
let tess: Agent;
let termsHash: string;
beforeEach(async () => {
  server = await startTestServer({ MEEKIJK_TRUST_PROXY: '1' });
  await addTechnician(server, 'tess@reconi.nl');
  tess = await signIn(server, 'tess@reconi.nl');
  termsHash = serverInfoSchema.parse(await (await fetch(`${server.url}/api/server-info`)).json()).terms.hash;
});
afterEach(() => server.stop());

const redeem = (body: unknown, ip = '198.51.100.7') => postJson(server, '/api/invites/redeem', body, { 'x-forwarded-for': ip });
const consent = () => ({ termsHash, locale: 'nl' as const, at: new Date(server.clock.now).toISOString() });
const join = (sessionId: string, invite: string, body: Record<string, unknown> = {}) =>
  postJson(server, `/api/sessions/${sessionId}/join`, { invite, consent: consent(), ...body });

function decodePayload(invite: string): InvitePayload {
  const bytes = base64urlToBytes(invite.split('.')[0] ?? '');
  return invitePayloadSchema.parse(JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array())));
}

async function redeemCode(code: string | null): Promise<string> {
  const res = await redeem({ code });
  expect(res.status).toBe(200);
  return redeemResponseSchema.parse(await res.json()).invite;
}

describe('redeem', () => {
  it('exchanges the code for a signed invite naming the technician', async () => {
    const created = await tess.createSession();
    const invite = await redeemCode(created.session.invite.code);
    const payload = decodePayload(invite);
    expect(payload).toMatchObject({ v: 1, sid: created.session.id, iss: server.url, technician: { name: 'Tess Technicus', organisation: 'Reconi' } });
    expect(payload.exp).toBe(Date.parse(created.session.invite.expiresAt));
  });

  it('exchanges the join-link secret too', async () => {
    const created = await tess.createSession();
    const link = (created.session.invite.joinUrl ?? '').split('/join/')[1];
    const res = await redeem({ link });
    expect(res.status).toBe(200);
    expect(decodePayload(redeemResponseSchema.parse(await res.json()).invite).sid).toBe(created.session.id);
  });

  it('allows extension origins by CORS, not others', async () => {
    const ext = await fetch(`${server.url}/api/invites/redeem`, { method: 'OPTIONS', headers: { origin: 'chrome-extension://abcdefghijklmnop', 'access-control-request-method': 'POST' } });
    expect(ext.status).toBe(204);
    expect(ext.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnop');
    expect(ext.headers.get('access-control-allow-credentials')).toBeNull();
    const web = await fetch(`${server.url}/api/invites/redeem`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(web.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers unknown, expired and spent codes distinctly', async () => {
    const created = await tess.createSession();
    const code = created.session.invite.code ?? '';
    const other = code === '000000' ? '000001' : '000000';
    const unknown = await redeem({ code: other });
    expect([unknown.status, await errorCode(unknown)]).toEqual([404, 'unknown-code']);

    const invite = await redeemCode(code);
    expect((await join(created.session.id, invite)).status).toBe(200);
    const spent = await redeem({ code });
    expect([spent.status, await errorCode(spent)]).toEqual([410, 'invite-spent']);

    const later = await tess.createSession('T-2');
    server.clock.now += 15 * 60_000;
    const expired = await redeem({ code: later.session.invite.code });
    expect([expired.status, await errorCode(expired)]).toEqual([410, 'invite-expired']);
  });

  it('limits wrong codes per address: 10 per 10 minutes, then 429 even for the right code', async () => {
    const created = await tess.createSession();
    const code = created.session.invite.code ?? '';
    const wrong = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 10; i += 1) expect((await redeem({ code: wrong(i) })).status).toBe(404);
    const limited = await redeem({ code });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await redeem({ code }, '198.51.100.8')).status).toBe(200); // another address is unaffected
    server.clock.now += 10 * 60_000 + 1;
    expect((await redeem({ code })).status).toBe(200);
  });
});

describe('join', () => {
  it('spends the invite, records consent and returns customer peer credentials', async () => {
    const created = await tess.createSession();
    const invite = await redeemCode(created.session.invite.code);
    const res = await join(created.session.id, invite);
    expect(res.status).toBe(200);
    const joined = joinResponseSchema.parse(await res.json());
    expect(joined).toMatchObject({ sessionId: created.session.id, viewerPeerId: created.viewer.peerId, peer: created.peer });
    expect(joined.customer.peerId).toBe(created.customerPeerId);
    expect(joined.customer.token.length).toBeGreaterThanOrEqual(40);
    const view = viewerSessionResponseSchema.parse(await (await tess.get(`/api/sessions/${created.session.id}`)).json());
    expect(view.session.status).toBe('active');
    expect(view.session.invite).toMatchObject({ spent: true, code: null, joinUrl: null });
  });

  it('refuses a second join with the same invite (art. 1.2)', async () => {
    const created = await tess.createSession();
    const invite = await redeemCode(created.session.invite.code);
    expect((await join(created.session.id, invite)).status).toBe(200);
    const again = await join(created.session.id, invite);
    expect([again.status, await errorCode(again)]).toEqual([410, 'invite-spent']);
  });

  it('lets only one of two concurrent joins win', async () => {
    const created = await tess.createSession();
    const invite = await redeemCode(created.session.invite.code);
    const results = await Promise.all([join(created.session.id, invite), join(created.session.id, invite)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
  });

  it('refuses an expired invite (clock moved past exp)', async () => {
    const created = await tess.createSession();
    const invite = await redeemCode(created.session.invite.code);
    server.clock.now += 15 * 60_000 + 1;
    const res = await join(created.session.id, invite);
    expect([res.status, await errorCode(res)]).toEqual([410, 'invite-expired']);
  });

  it('refuses a tampered invite', async () => {
    const created = await tess.createSession();
    const invite = await redeemCode(created.session.invite.code);
    const [body, signature] = invite.split('.');
    const payload = decodePayload(invite);
    const forged = bytesToBase64url(new TextEncoder().encode(JSON.stringify({ ...payload, exp: payload.exp + 3_600_000 })));
    const res = await join(created.session.id, `${forged}.${signature}`);
    expect([res.status, await errorCode(res)]).toEqual([400, 'invalid-invite']);
    const flipped = `${body}.${(signature ?? '').startsWith('A') ? 'B' : 'A'}${(signature ?? '').slice(1)}`;
    expect((await join(created.session.id, flipped)).status).toBe(400);
    expect((await join(created.session.id, 'not-an-invite')).status).toBe(400);
  });

  it('refuses an invite signed by another key, even with the right content', async () => {
    const created = await tess.createSession();
    const payload = decodePayload(await redeemCode(created.session.invite.code));
    const foreign = signInvite(payload, loadInvitePrivateKey(generateInviteKeyPair().privateKeyPkcs8));
    const res = await join(created.session.id, foreign);
    expect([res.status, await errorCode(res)]).toEqual([400, 'invalid-invite']);
  });

  it('refuses an invite presented for another session', async () => {
    const a = await tess.createSession('A');
    const b = await tess.createSession('B');
    const invite = await redeemCode(a.session.invite.code);
    expect((await join(b.session.id, invite)).status).toBe(400);
  });

  it('refuses consent to terms this server does not publish', async () => {
    const created = await tess.createSession();
    const invite = await redeemCode(created.session.invite.code);
    const res = await join(created.session.id, invite, { consent: { ...consent(), termsHash: 'a'.repeat(64) } });
    expect([res.status, await errorCode(res)]).toEqual([400, 'terms-mismatch']);
    expect((await join(created.session.id, invite)).status).toBe(200); // nothing was spent by the refusal
  });

  it('refuses to join a session the technician already ended', async () => {
    const created = await tess.createSession();
    const invite = await redeemCode(created.session.invite.code);
    await tess.post(`/api/sessions/${created.session.id}/end`, { reason: 'technician-ended' });
    const res = await join(created.session.id, invite);
    expect([res.status, await errorCode(res)]).toEqual([410, 'session-ended']);
  });

  it('lets the customer end the session with the bearer token, and report events', async () => {
    const created = await tess.createSession();
    const joined = joinResponseSchema.parse(await (await join(created.session.id, await redeemCode(created.session.invite.code))).json());
    const auth = { authorization: `Bearer ${joined.customer.token}` };
    expect((await postJson(server, `/api/sessions/${created.session.id}/events`, { kind: 'control-granted' }, auth)).status).toBe(204);
    const bad = await postJson(server, `/api/sessions/${created.session.id}/end`, { reason: 'customer-stopped' }, { authorization: `Bearer ${'x'.repeat(43)}` });
    expect(bad.status).toBe(404);
    expect((await postJson(server, `/api/sessions/${created.session.id}/end`, { reason: 'customer-stopped' }, auth)).status).toBe(204);
    const view = viewerSessionResponseSchema.parse(await (await tess.get(`/api/sessions/${created.session.id}`)).json());
    expect(view.session.endReason).toBe('customer-stopped');
    // An event from just before the end that arrives just after it is still recorded; later ones are not.
    server.clock.now += LATE_REPORT_MS;
    expect((await postJson(server, `/api/sessions/${created.session.id}/events`, { kind: 'control-refused', detail: 'technician' }, auth)).status).toBe(204);
    server.clock.now += 1;
    const late = await postJson(server, `/api/sessions/${created.session.id}/events`, { kind: 'control-granted' }, auth);
    expect([late.status, await errorCode(late)]).toEqual([409, 'session-ended']);
  });
});
