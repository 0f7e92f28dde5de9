/**
 * Several instances on one PostgreSQL and one Redis (the `server-scaled` project only): any instance serves
 * any request, a customer on one reaches the technician on another, limits and sign-ins are shared, and a
 * restarted instance has lost nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { joinResponseSchema, redeemResponseSchema, serverInfoSchema, type JoinResponse, type ViewerSessionResponse } from '../../lib/protocol/api';
import { CODE_FAILURES_PER_IP } from '../../server/auth/limiters';
import { addTechnician, backendEnv, errorCode, openPeer, postJson, scaledBackends, signIn, startTestServer, type TestServer } from './helpers';

const OPEN = JSON.stringify({ type: 'OPEN' });

describe.runIf(scaledBackends() !== null)('two instances on one PostgreSQL and Redis', () => {
  let env: Record<string, string>;
  const clock = { now: Date.parse('2026-03-01T10:00:00Z') };
  let a: TestServer;
  let b: TestServer;
  let termsHash: string;
  beforeEach(async () => {
    // One public origin for both, as behind the load balancer: invites are issued for it (iss).
    // And one key file for both (issue 19: the secrets are not in the database; docs/server.md).
    env = {
      ...(await backendEnv()),
      MEEKIJK_TRUST_PROXY: '1',
      MEEKIJK_PUBLIC_URL: 'http://meekijk.test',
      MEEKIJK_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'meekijk-keys-')), 'shared.keys.json'),
    };
    a = await startTestServer(env, clock);
    b = await startTestServer(env, clock);
    await addTechnician(a, 'tess@reconi.nl');
    termsHash = serverInfoSchema.parse(await (await fetch(`${b.url}/api/server-info`)).json()).terms.hash;
  });
  afterEach(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  async function joinOn(server: TestServer, created: ViewerSessionResponse): Promise<JoinResponse> {
    const redeemed = redeemResponseSchema.parse(await (await postJson(server, '/api/invites/redeem', { code: created.session.invite.code })).json());
    const res = await postJson(server, `/api/sessions/${created.session.id}/join`, {
      invite: redeemed.invite,
      consent: { termsHash, locale: 'nl', at: new Date(clock.now).toISOString() },
    });
    return joinResponseSchema.parse(await res.json());
  }

  it('share keys and sign-ins: signed in on A, the technician works on B; signed out on B, A refuses the cookie', async () => {
    expect(await (await fetch(`${a.url}/api/server-info`)).json()).toEqual(await (await fetch(`${b.url}/api/server-info`)).json());
    const onA = await signIn(a, 'tess@reconi.nl');
    const me = await fetch(`${b.url}/api/auth/me`, { headers: { cookie: onA.cookie } });
    expect(me.status).toBe(200);
    const created = await onA.createSession('SPLIT');
    const seen = await fetch(`${b.url}/api/sessions/${created.session.id}`, { headers: { cookie: onA.cookie } });
    expect(seen.status).toBe(200);
    const logout = await fetch(`${b.url}/api/auth/logout`, { method: 'POST', headers: { cookie: onA.cookie, 'x-meekijk-csrf': onA.csrf } });
    expect(logout.status).toBe(204);
    expect((await fetch(`${a.url}/api/auth/me`, { headers: { cookie: onA.cookie } })).status).toBe(401);
  });

  it('relay signalling: the customer on A reaches the technician on B and back, only its own partner', async () => {
    const tess = await signIn(b, 'tess@reconi.nl');
    const created = await tess.createSession('SIGNAL');
    const other = await tess.createSession('OTHER');
    const joined = await joinOn(a, created);
    const viewer = openPeer(b, created.peer.key, created.viewer.peerId, created.viewer.token);
    const otherViewer = openPeer(a, other.peer.key, other.viewer.peerId, other.viewer.token);
    const customer = openPeer(a, joined.peer.key, joined.customer.peerId, joined.customer.token);
    expect(await Promise.all([viewer.first, otherViewer.first, customer.first])).toEqual([OPEN, OPEN, OPEN]);
    customer.ws.send(JSON.stringify({ type: 'OFFER', dst: other.viewer.peerId, payload: { sdp: 'intruder' } }));
    customer.ws.send(JSON.stringify({ type: 'OFFER', dst: created.viewer.peerId, payload: { sdp: 'offer-from-a' } }));
    const offer = JSON.parse(await viewer.next((m) => m.includes('"OFFER"')));
    expect(offer).toEqual({ type: 'OFFER', src: joined.customer.peerId, dst: created.viewer.peerId, payload: { sdp: 'offer-from-a' } });
    viewer.ws.send(JSON.stringify({ type: 'ANSWER', dst: joined.customer.peerId, payload: { sdp: 'answer-from-b' } }));
    const answer = JSON.parse(await customer.next((m) => m.includes('"ANSWER"')));
    expect(answer).toMatchObject({ src: created.viewer.peerId, payload: { sdp: 'answer-from-b' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(otherViewer.messages.filter((m) => m.includes('intruder'))).toEqual([]);
    for (const p of [viewer, otherViewer, customer]) p.ws.close();
  });

  it('keep a message for a partner not yet connected, and deliver it when it connects on the other instance', async () => {
    const tess = await signIn(a, 'tess@reconi.nl');
    const created = await tess.createSession('LATE');
    const joined = await joinOn(b, created);
    const customer = openPeer(b, joined.peer.key, joined.customer.peerId, joined.customer.token);
    expect(await customer.first).toBe(OPEN);
    customer.ws.send(JSON.stringify({ type: 'OFFER', dst: created.viewer.peerId, payload: { sdp: 'early' } }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const viewer = openPeer(a, created.peer.key, created.viewer.peerId, created.viewer.token);
    expect(JSON.parse(await viewer.next((m) => m.includes('"OFFER"')))).toMatchObject({ src: joined.customer.peerId, payload: { sdp: 'early' } });
    for (const p of [viewer, customer]) p.ws.close();
  });

  it('end a session on A: both sockets close, on B too; audited once; its tokens are refused everywhere', async () => {
    const tess = await signIn(a, 'tess@reconi.nl');
    const created = await tess.createSession('END');
    const joined = await joinOn(a, created);
    const viewer = openPeer(b, created.peer.key, created.viewer.peerId, created.viewer.token);
    const customer = openPeer(b, joined.peer.key, joined.customer.peerId, joined.customer.token);
    expect(await Promise.all([viewer.first, customer.first])).toEqual([OPEN, OPEN]);
    expect((await tess.post(`/api/sessions/${created.session.id}/end`, { reason: 'technician-ended' })).status).toBe(204);
    await Promise.all([viewer.closed, customer.closed]);
    for (const server of [a, b]) {
      expect(await openPeer(server, created.peer.key, created.viewer.peerId, created.viewer.token).first).toBe('refused 401');
      expect(await openPeer(server, joined.peer.key, joined.customer.peerId, joined.customer.token).first).toBe('refused 401');
    }
    const audit = await (await fetch(`${b.url}/api/audit?session=${created.session.id}`, { headers: { cookie: tess.cookie } })).json() as { events: Array<{ kind: string }> };
    expect(audit.events.filter((e) => e.kind === 'ended')).toHaveLength(1);
  });

  it('spend an invite once: of joins spread over both instances exactly one wins (art. 1.2)', async () => {
    const tess = await signIn(a, 'tess@reconi.nl');
    const created = await tess.createSession('RACE');
    const { invite } = redeemResponseSchema.parse(await (await postJson(a, '/api/invites/redeem', { code: created.session.invite.code })).json());
    const body = { invite, consent: { termsHash, locale: 'nl', at: new Date(clock.now).toISOString() } };
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => postJson(i % 2 === 0 ? a : b, `/api/sessions/${created.session.id}/join`, body)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(11).fill(410)]);
  });

  it('count wrong codes together: the limit reached on A holds on B, and after A restarts', async () => {
    const redeem = (server: TestServer, code: string) => postJson(server, '/api/invites/redeem', { code }, { 'x-forwarded-for': '198.51.100.9' });
    for (let i = 0; i < CODE_FAILURES_PER_IP; i += 1) expect((await redeem(i % 2 === 0 ? a : b, String(100_000 + i))).status).toBe(404);
    const onB = await redeem(b, '999999');
    expect([onB.status, await errorCode(onB)]).toEqual([429, 'rate-limited']);
    const tess = await signIn(b, 'tess@reconi.nl');
    await a.stop();
    a = await startTestServer(env, clock);
    expect((await redeem(a, '999998')).status).toBe(429);
    // ... and the technician's sign-in and sessions survived it too.
    expect((await fetch(`${a.url}/api/auth/me`, { headers: { cookie: tess.cookie } })).status).toBe(200);
  });
});
