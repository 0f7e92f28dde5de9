import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionListResponseSchema, viewerSessionResponseSchema } from '../../lib/protocol/api';
import { addTechnician, errorCode, signIn, startTestServer, type Agent, type TestServer } from './helpers';

let server: TestServer;
let tess: Agent;
let mallory: Agent;
beforeEach(async () => {
  // Above the per-technician cap (5), so one test can hold 30 live invites at once.
  server = await startTestServer({ MEEKIJK_MAX_LIVE_SESSIONS: '50' });
  await addTechnician(server, 'tess@reconi.nl');
  await addTechnician(server, 'mallory@reconi.nl', 'Mallory');
  tess = await signIn(server, 'tess@reconi.nl');
  mallory = await signIn(server, 'mallory@reconi.nl');
});
afterEach(() => server.stop());

describe('sessions', () => {
  it('creates a session with a 6-digit code, a join link, peer credentials and expiry', async () => {
    const created = await tess.createSession('HD-1234');
    expect(created.session.ticket).toBe('HD-1234');
    expect(created.session.status).toBe('waiting');
    expect(created.session.invite.code).toMatch(/^\d{6}$/);
    expect(created.session.invite.joinUrl).toMatch(new RegExp(`^${server.url}/join/[A-Za-z0-9_-]{40,}$`));
    expect(Date.parse(created.session.invite.expiresAt) - server.clock.now).toBe(15 * 60_000);
    expect(created.viewer.peerId).toMatch(/^[0-9a-f]{32}$/);
    expect(created.customerPeerId).not.toBe(created.viewer.peerId);
    expect(created.peer.path).toBe('/peerjs');
    expect(created.peer.key).not.toBe('peerjs');
    expect(created.iceServers).toEqual([]);
  });

  it('shows the same credentials again to the owner (a reloaded viewer)', async () => {
    const created = await tess.createSession();
    const res = await tess.get(`/api/sessions/${created.session.id}`);
    expect(res.status).toBe(200);
    expect(viewerSessionResponseSchema.parse(await res.json())).toEqual(created);
  });

  it('validates the ticket', async () => {
    const res = await tess.post('/api/sessions', { ticket: '   ' });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('invalid-request');
  });

  it('hides a session from another technician (art. 1.3): GET and end are 404', async () => {
    const created = await tess.createSession();
    const get = await mallory.get(`/api/sessions/${created.session.id}`);
    expect(get.status).toBe(404);
    expect(await errorCode(get)).toBe('not-found');
    const end = await mallory.post(`/api/sessions/${created.session.id}/end`, { reason: 'technician-ended' });
    expect(end.status).toBe(404);
    const still = viewerSessionResponseSchema.parse(await (await tess.get(`/api/sessions/${created.session.id}`)).json());
    expect(still.session.status).toBe('waiting');
    const events = await mallory.post(`/api/sessions/${created.session.id}/events`, { kind: 'control-requested' });
    expect(events.status).toBe(404);
  });

  it('lists only the signed-in technician’s sessions, newest first', async () => {
    const first = await tess.createSession('A');
    server.clock.now += 1000;
    const second = await tess.createSession('B');
    await mallory.createSession('M');
    const list = sessionListResponseSchema.parse(await (await tess.get('/api/sessions')).json());
    expect(list.sessions.map((s) => s.id)).toEqual([second.session.id, first.session.id]);
  });

  it('lets the owner end a session, and ending twice keeps the first reason', async () => {
    const created = await tess.createSession();
    expect((await tess.post(`/api/sessions/${created.session.id}/end`, { reason: 'technician-ended' })).status).toBe(204);
    expect((await tess.post(`/api/sessions/${created.session.id}/end`, { reason: 'idle-timeout' })).status).toBe(204);
    const view = viewerSessionResponseSchema.parse(await (await tess.get(`/api/sessions/${created.session.id}`)).json());
    expect(view.session.status).toBe('ended');
    expect(view.session.endReason).toBe('technician-ended');
    expect(view.session.invite.code).toBeNull();
    expect(view.session.invite.joinUrl).toBeNull();
  });

  it('ends unjoined sessions as expired once the invite lapses', async () => {
    const created = await tess.createSession();
    server.clock.now += 15 * 60_000;
    const view = viewerSessionResponseSchema.parse(await (await tess.get(`/api/sessions/${created.session.id}`)).json());
    expect(view.session.status).toBe('ended');
    expect(view.session.endReason).toBe('expired');
  });

  it('gives codes that are unique among live invites', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 30; i += 1) codes.add((await tess.createSession(`T${i}`)).session.invite.code ?? '');
    expect(codes.size).toBe(30);
  });
});

describe('GET /start (helpdesk link)', () => {
  it('changes nothing, signed in or not: it opens the viewer’s start screen with the ticket filled in', async () => {
    const anonymous = await fetch(`${server.url}/start?ticket=HD%2042`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe(`/#/start?ticket=${encodeURIComponent('HD 42')}`);
    // What a same-origin <img src="/start?ticket=..."> in a recorded page sends: the cookie, nothing else.
    const signedIn = await tess.get('/start?ticket=HD-42');
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get('location')).toBe('/#/start?ticket=HD-42');
    const list = sessionListResponseSchema.parse(await (await tess.get('/api/sessions')).json());
    expect(list.sessions).toEqual([]);
    expect(await server.db.selectFrom('sessions').select('id').execute()).toEqual([]);
  });

  it('refuses a missing ticket', async () => {
    expect((await tess.get('/start')).status).toBe(400);
  });
});
