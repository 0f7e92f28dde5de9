/**
 * TURN credentials expire with their session (issue 19, finding 11): never later than the session can
 * still be live, and none for an ended session. (A credential of the TURN REST scheme cannot be revoked.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { joinResponseSchema, redeemResponseSchema, serverInfoSchema, viewerSessionResponseSchema, type IceServer } from '../../lib/protocol/api';
import { addTechnician, postJson, signIn, startTestServer, type Agent, type TestServer } from './helpers';

let server: TestServer;
let tess: Agent;
beforeEach(async () => {
  server = await startTestServer({
    MEEKIJK_TURN_URLS: 'turn:turn.example:3478',
    MEEKIJK_TURN_SECRET: 'a-very-shared-secret',
    MEEKIJK_TURN_TTL: '86400',
    MEEKIJK_SESSION_MAX_MINUTES: '60',
  });
  await addTechnician(server, 'tess@reconi.nl');
  tess = await signIn(server, 'tess@reconi.nl');
});
afterEach(() => server.stop());

const turnExpiry = (servers: IceServer[]): number | null => {
  const turn = servers.find((s) => s.username !== undefined);
  return turn ? Number((turn.username ?? '').split(':')[0]) * 1000 : null;
};

describe('TURN credential lifetime', () => {
  it('ends when the session can end at the latest, not a day later (MEEKIJK_TURN_TTL)', async () => {
    const start = server.clock.now;
    const created = await tess.createSession();
    // Waiting: the invite lapses in 15 minutes; joined at the last moment it could run 60 more.
    expect(turnExpiry(created.iceServers)).toBe(start + 15 * 60_000 + 60 * 60_000);

    server.clock.now += 5 * 60_000;
    const { hash } = serverInfoSchema.parse(await (await fetch(`${server.url}/api/server-info`)).json()).terms;
    const { invite } = redeemResponseSchema.parse(await (await postJson(server, '/api/invites/redeem', { code: created.session.invite.code })).json());
    const joined = joinResponseSchema.parse(await (await postJson(server, `/api/sessions/${created.session.id}/join`, { invite, consent: { termsHash: hash, locale: 'nl', at: new Date(server.clock.now).toISOString() } })).json());
    const joinedAt = server.clock.now;
    expect(turnExpiry(joined.iceServers)).toBe(joinedAt + 60 * 60_000);

    // A viewer reloaded 50 minutes in gets a credential for the 10 minutes left.
    server.clock.now += 50 * 60_000;
    const reloaded = viewerSessionResponseSchema.parse(await (await tess.get(`/api/sessions/${created.session.id}`)).json());
    expect(turnExpiry(reloaded.iceServers)).toBe(joinedAt + 60 * 60_000);
  });

  it('is not handed out at all once the session has ended', async () => {
    const created = await tess.createSession();
    expect(turnExpiry(created.iceServers)).not.toBeNull();
    expect((await tess.post(`/api/sessions/${created.session.id}/end`, { reason: 'technician-ended' })).status).toBe(204);
    const ended = viewerSessionResponseSchema.parse(await (await tess.get(`/api/sessions/${created.session.id}`)).json());
    expect(ended.session.status).toBe('ended');
    expect(turnExpiry(ended.iceServers)).toBeNull();
  });
});
