/** Peer registration against the real PeerServer protocol: ws://HOST/peerjs/peerjs?key=&id=&token= */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { joinResponseSchema, redeemResponseSchema, serverInfoSchema, type JoinResponse, type ViewerSessionResponse } from '../../lib/protocol/api';
import { addTechnician, openPeer, postJson, signIn, startTestServer, type Agent, type TestServer } from './helpers';

let server: TestServer;
let tess: Agent;
let termsHash: string;
beforeEach(async () => {
  server = await startTestServer();
  await addTechnician(server, 'tess@reconi.nl');
  tess = await signIn(server, 'tess@reconi.nl');
  termsHash = serverInfoSchema.parse(await (await fetch(`${server.url}/api/server-info`)).json()).terms.hash;
});
afterEach(() => server.stop());

async function joinSession(created: ViewerSessionResponse): Promise<JoinResponse> {
  const redeemed = redeemResponseSchema.parse(await (await postJson(server, '/api/invites/redeem', { code: created.session.invite.code })).json());
  const res = await postJson(server, `/api/sessions/${created.session.id}/join`, {
    invite: redeemed.invite,
    consent: { termsHash, locale: 'nl', at: new Date(server.clock.now).toISOString() },
  });
  return joinResponseSchema.parse(await res.json());
}

const OPEN = JSON.stringify({ type: 'OPEN' });

describe('peer registration', () => {
  it('accepts the viewer with its token and refuses a wrong token, a wrong key and unknown ids', async () => {
    const created = await tess.createSession();
    const { key } = created.peer;
    const wrongToken = openPeer(server, key, created.viewer.peerId, 'wrong-token-wrong-token');
    expect(await wrongToken.first).toBe('refused 401');
    const wrongKey = openPeer(server, 'peerjs', created.viewer.peerId, created.viewer.token);
    expect(await wrongKey.first).toBe('refused 401');
    const unknown = openPeer(server, key, 'made-up-id', created.viewer.token);
    expect(await unknown.first).toBe('refused 401');
    const viewer = openPeer(server, key, created.viewer.peerId, created.viewer.token);
    expect(await viewer.first).toBe(OPEN);
    viewer.ws.close();
  });

  it('refuses the customer id before consent, accepts it with the token from the join', async () => {
    const created = await tess.createSession();
    const early = openPeer(server, created.peer.key, created.customerPeerId, created.viewer.token);
    expect(await early.first).toBe('refused 401');
    const joined = await joinSession(created);
    const viewerTokenAsCustomer = openPeer(server, created.peer.key, joined.customer.peerId, created.viewer.token);
    expect(await viewerTokenAsCustomer.first).toBe('refused 401');
    const customer = openPeer(server, created.peer.key, joined.customer.peerId, joined.customer.token);
    expect(await customer.first).toBe(OPEN);
    customer.ws.close();
  });

  it('relays signalling between the two ends of a session only', async () => {
    const a = await tess.createSession('A');
    const b = await tess.createSession('B');
    const joinedA = await joinSession(a);
    const viewerA = openPeer(server, a.peer.key, a.viewer.peerId, a.viewer.token);
    const viewerB = openPeer(server, b.peer.key, b.viewer.peerId, b.viewer.token);
    const customerA = openPeer(server, a.peer.key, joinedA.customer.peerId, joinedA.customer.token);
    expect(await Promise.all([viewerA.first, viewerB.first, customerA.first])).toEqual([OPEN, OPEN, OPEN]);

    // A customer trying to reach another session's viewer is dropped before the PeerServer relays it.
    customerA.ws.send(JSON.stringify({ type: 'OFFER', dst: b.viewer.peerId, payload: { sdp: 'intruder' } }));
    customerA.ws.send(JSON.stringify({ type: 'OFFER', dst: a.viewer.peerId, payload: { sdp: 'hello' } }));
    const offer = await viewerA.next((m) => m.includes('"OFFER"'));
    expect(JSON.parse(offer)).toMatchObject({ type: 'OFFER', src: joinedA.customer.peerId, dst: a.viewer.peerId, payload: { sdp: 'hello' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(viewerB.messages.filter((m) => m.includes('intruder'))).toEqual([]);
    for (const p of [viewerA, viewerB, customerA]) p.ws.close();
  });

  it('disconnects both peers when the session ends and refuses them from then on (art. 1.2)', async () => {
    const created = await tess.createSession();
    const joined = await joinSession(created);
    const viewer = openPeer(server, created.peer.key, created.viewer.peerId, created.viewer.token);
    const customer = openPeer(server, created.peer.key, joined.customer.peerId, joined.customer.token);
    expect(await Promise.all([viewer.first, customer.first])).toEqual([OPEN, OPEN]);
    expect((await postJson(server, `/api/sessions/${created.session.id}/end`, { reason: 'customer-stopped' }, { authorization: `Bearer ${joined.customer.token}` })).status).toBe(204);
    await Promise.all([viewer.closed, customer.closed]);
    expect(await openPeer(server, created.peer.key, created.viewer.peerId, created.viewer.token).first).toBe('refused 401');
    expect(await openPeer(server, created.peer.key, joined.customer.peerId, joined.customer.token).first).toBe('refused 401');
  });

  it('refuses the viewer of a session whose invite lapsed unused', async () => {
    const created = await tess.createSession();
    server.clock.now += 15 * 60_000;
    expect(await openPeer(server, created.peer.key, created.viewer.peerId, created.viewer.token).first).toBe('refused 401');
  });

  it('never hands out peer lists (discovery off)', async () => {
    const created = await tess.createSession();
    const res = await fetch(`${server.url}/peerjs/${created.peer.key}/peers`);
    expect(res.status).toBe(401);
  });
});
