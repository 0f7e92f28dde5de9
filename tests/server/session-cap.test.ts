/** At most MEEKIJK_MAX_LIVE_SESSIONS (default 5) live sessions per technician (issue 19, finding 12). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addTechnician, errorCode, signIn, startTestServer, type Agent, type TestServer } from './helpers';

let server: TestServer;
let tess: Agent;
beforeEach(async () => {
  server = await startTestServer();
  await addTechnician(server, 'tess@reconi.nl');
  tess = await signIn(server, 'tess@reconi.nl');
});
afterEach(() => server.stop());

describe('live sessions per technician', () => {
  it('refuses a sixth live session with 429; ended and expired ones make room, other technicians are not affected', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await tess.createSession(`T${i}`)).session.id);
    const sixth = await tess.post('/api/sessions', { ticket: 'T5' });
    expect(sixth.status).toBe(429);
    expect(await errorCode(sixth)).toBe('too-many-sessions');
    expect(await server.db.selectFrom('sessions').select('id').execute()).toHaveLength(5);

    await addTechnician(server, 'other@reconi.nl', 'Other');
    expect((await (await signIn(server, 'other@reconi.nl')).post('/api/sessions', { ticket: 'O1' })).status).toBe(201);

    expect((await tess.post(`/api/sessions/${ids[0]}/end`, { reason: 'technician-ended' })).status).toBe(204);
    expect((await tess.post('/api/sessions', { ticket: 'T6' })).status).toBe(201);
    expect((await tess.post('/api/sessions', { ticket: 'T7' })).status).toBe(429);
    // Invites that lapse unused stop counting.
    server.clock.now += 15 * 60_000;
    expect((await tess.post('/api/sessions', { ticket: 'T8' })).status).toBe(201);
  });

  it('takes its cap from MEEKIJK_MAX_LIVE_SESSIONS', async () => {
    await server.stop();
    server = await startTestServer({ MEEKIJK_MAX_LIVE_SESSIONS: '1' });
    await addTechnician(server, 'tess@reconi.nl');
    tess = await signIn(server, 'tess@reconi.nl');
    expect((await tess.post('/api/sessions', { ticket: 'A' })).status).toBe(201);
    expect((await tess.post('/api/sessions', { ticket: 'B' })).status).toBe(429);
  });
});
