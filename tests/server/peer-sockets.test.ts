/**
 * Signalling sockets per peer id (issue 19, findings 6 and 9): a second socket with the same id and token
 * does not silently take over while the first is alive, and ending a session closes every socket of both
 * ids, old ones included.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditResponseSchema, joinResponseSchema, redeemResponseSchema, serverInfoSchema, type JoinResponse, type ViewerSessionResponse } from '../../lib/protocol/api';
import { addTechnician, openPeer, postJson, signIn, startTestServer, type Agent, type TestServer } from './helpers';

let server: TestServer;
let tess: Agent;
beforeEach(async () => {
  server = await startTestServer();
  await addTechnician(server, 'tess@reconi.nl');
  tess = await signIn(server, 'tess@reconi.nl');
});
afterEach(() => server.stop());

const OPEN = JSON.stringify({ type: 'OPEN' });

async function joinSession(created: ViewerSessionResponse): Promise<JoinResponse> {
  const { hash } = serverInfoSchema.parse(await (await fetch(`${server.url}/api/server-info`)).json()).terms;
  const { invite } = redeemResponseSchema.parse(await (await postJson(server, '/api/invites/redeem', { code: created.session.invite.code })).json());
  const res = await postJson(server, `/api/sessions/${created.session.id}/join`, {
    invite,
    consent: { termsHash: hash, locale: 'nl', at: new Date(server.clock.now).toISOString() },
  });
  return joinResponseSchema.parse(await res.json());
}

describe('a second socket with the same peer id and token', () => {
  it('is refused while the first still answers, and the first keeps getting the customer’s offer', async () => {
    const created = await tess.createSession();
    const joined = await joinSession(created);
    const first = openPeer(server, created.peer.key, created.viewer.peerId, created.viewer.token);
    expect(await first.first).toBe(OPEN);
    const thief = openPeer(server, created.peer.key, created.viewer.peerId, created.viewer.token);
    expect(await thief.first).toBe('refused 409');

    const customer = openPeer(server, created.peer.key, joined.customer.peerId, joined.customer.token);
    expect(await customer.first).toBe(OPEN);
    customer.ws.send(JSON.stringify({ type: 'OFFER', dst: created.viewer.peerId, payload: { sdp: 'offer-5d1e' } }));
    expect(await first.next((m) => m.includes('offer-5d1e'))).toContain('offer-5d1e');

    const { events } = auditResponseSchema.parse(await (await tess.get(`/api/audit?session=${created.session.id}`)).json());
    expect(events.filter((e) => e.kind === 'peer-second-socket-refused')).toEqual([
      expect.objectContaining({ actor: 'server', detail: 'viewer' }),
    ]);
    first.ws.close();
    customer.ws.close();
  });

  it('replaces a first socket that no longer answers (a network change), and closes that one', async () => {
    const created = await tess.createSession();
    const dead = openPeer(server, created.peer.key, created.viewer.peerId, created.viewer.token, { autoPong: false });
    expect(await dead.first).toBe(OPEN);
    const started = Date.now();
    const next = openPeer(server, created.peer.key, created.viewer.peerId, created.viewer.token);
    expect(await next.first).toBe(OPEN);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    await dead.closed;
    next.ws.close();
  });

  it('replaces a first socket that closed (a reload) at once', async () => {
    const created = await tess.createSession();
    const before = openPeer(server, created.peer.key, created.viewer.peerId, created.viewer.token);
    expect(await before.first).toBe(OPEN);
    before.ws.close();
    await before.closed;
    const started = Date.now();
    const after = openPeer(server, created.peer.key, created.viewer.peerId, created.viewer.token);
    expect(await after.first).toBe(OPEN);
    expect(Date.now() - started).toBeLessThan(1000);
    after.ws.close();
  });
});

describe('the end of a session', () => {
  it('closes every socket of both peer ids, not only the latest', async () => {
    const created = await tess.createSession();
    const joined = await joinSession(created);
    // An old viewer socket that stopped answering pings, replaced by a new one, and the customer.
    const old = openPeer(server, created.peer.key, created.viewer.peerId, created.viewer.token, { autoPong: false });
    expect(await old.first).toBe(OPEN);
    const latest = openPeer(server, created.peer.key, created.viewer.peerId, created.viewer.token);
    const customer = openPeer(server, created.peer.key, joined.customer.peerId, joined.customer.token);
    expect(await Promise.all([latest.first, customer.first])).toEqual([OPEN, OPEN]);
    expect((await tess.post(`/api/sessions/${created.session.id}/end`, { reason: 'technician-ended' })).status).toBe(204);
    await Promise.all([old.closed, latest.closed, customer.closed]);
    for (const p of [old, latest, customer]) expect(p.ws.readyState).toBe(p.ws.CLOSED);
  });
});
