/**
 * Issue 17: the server says "being viewed" truthfully. The customer's side reports its link to the verified
 * technician (POST /api/sessions/:id/link, up or down with a sequence number); the session's status API
 * returns it; a late report never overwrites a newer one; it survives a restart (it is in the database) and,
 * in the `server-scaled` project, any instance on the same PostgreSQL says the same.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { joinResponseSchema, redeemResponseSchema, serverInfoSchema, viewerSessionResponseSchema, type JoinResponse, type ViewerSessionResponse } from '../../lib/protocol/api';
import { addTechnician, backendEnv, errorCode, postJson, scaledBackends, signIn, startTestServer, type Agent, type TestServer } from './helpers';

let dir: string;
let env: Record<string, string>;
const clock = { now: Date.parse('2026-03-01T10:00:00Z') };
let server: TestServer;
let tess: Agent;
beforeEach(async () => {
  // Our own database and key file, so a second server on them is this server restarted.
  dir = mkdtempSync(join(tmpdir(), 'meekijk-link-'));
  env = { ...(await backendEnv()), MEEKIJK_DB: join(dir, 'meekijk.sqlite'), MEEKIJK_KEY_FILE: join(dir, 'keys.json') };
  server = await startTestServer(env, clock);
  await addTechnician(server, 'tess@reconi.nl');
  tess = await signIn(server, 'tess@reconi.nl');
});
afterEach(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function joined(on: TestServer = server): Promise<{ created: ViewerSessionResponse; customer: JoinResponse }> {
  const created = await tess.createSession('HD-17');
  const { hash } = serverInfoSchema.parse(await (await fetch(`${on.url}/api/server-info`)).json()).terms;
  const { invite } = redeemResponseSchema.parse(await (await postJson(on, '/api/invites/redeem', { code: created.session.invite.code })).json());
  const res = await postJson(on, `/api/sessions/${created.session.id}/join`, { invite, consent: { termsHash: hash, locale: 'nl', at: new Date(clock.now).toISOString() } });
  return { created, customer: joinResponseSchema.parse(await res.json()) };
}

const report = (on: TestServer, id: string, token: string, body: unknown) => postJson(on, `/api/sessions/${id}/link`, body, { authorization: `Bearer ${token}` });

async function linkOf(on: TestServer, agent: Agent, id: string): Promise<string | null> {
  const res = await fetch(`${on.url}/api/sessions/${id}`, { headers: { cookie: agent.cookie } });
  return viewerSessionResponseSchema.parse(await res.json()).session.link;
}

describe('the customer’s link, as the server says it', () => {
  it('is unknown until the customer reports it, then up, then down while reconnecting, then up again', async () => {
    const { created, customer } = await joined();
    const id = created.session.id;
    expect(await linkOf(server, tess, id)).toBeNull();
    expect((await report(server, id, customer.customer.token, { state: 'up', seq: 1 })).status).toBe(204);
    expect(await linkOf(server, tess, id)).toBe('up');
    expect((await report(server, id, customer.customer.token, { state: 'down', seq: 2 })).status).toBe(204);
    expect(await linkOf(server, tess, id)).toBe('down');
    expect((await report(server, id, customer.customer.token, { state: 'up', seq: 3 })).status).toBe(204);
    expect(await linkOf(server, tess, id)).toBe('up');
    // The list shows the same.
    const list = (await (await tess.get('/api/sessions')).json()) as { sessions: Array<{ id: string; link: string | null }> };
    expect(list.sessions.find((s) => s.id === id)?.link).toBe('up');
  });

  it('keeps the newest report: a late "up" does not overwrite a newer "down", nor does a repeat', async () => {
    const { created, customer } = await joined();
    const id = created.session.id;
    const token = customer.customer.token;
    expect((await report(server, id, token, { state: 'down', seq: 5 })).status).toBe(204);
    expect((await report(server, id, token, { state: 'up', seq: 4 })).status).toBe(204);
    expect(await linkOf(server, tess, id)).toBe('down');
    expect((await report(server, id, token, { state: 'up', seq: 5 })).status).toBe(204);
    expect(await linkOf(server, tess, id)).toBe('down');
    const row = await server.db.selectFrom('sessions').select(['link_state', 'link_seq']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ link_state: 'down', link_seq: 5 });
  });

  it('takes reports from the session’s customer only, and refuses bad ones', async () => {
    const { created, customer } = await joined();
    const id = created.session.id;
    const asTechnician = await tess.post(`/api/sessions/${id}/link`, { state: 'up', seq: 1 });
    expect([asTechnician.status, await errorCode(asTechnician)]).toEqual([403, 'customer-only']);
    expect((await report(server, id, 'x'.repeat(40), { state: 'up', seq: 1 })).status).toBe(404);
    for (const body of [{ state: 'viewing', seq: 1 }, { state: 'up', seq: 0 }, { state: 'up', seq: 1.5 }, { state: 'up' }]) {
      const res = await report(server, id, customer.customer.token, body);
      expect([res.status, await errorCode(res)]).toEqual([400, 'invalid-request']);
    }
    expect(await linkOf(server, tess, id)).toBeNull();
  });

  it('says nothing of a link once the session ended, and refuses later reports with 409', async () => {
    const { created, customer } = await joined();
    const id = created.session.id;
    await report(server, id, customer.customer.token, { state: 'up', seq: 1 });
    expect((await tess.post(`/api/sessions/${id}/end`, { reason: 'technician-ended' })).status).toBe(204);
    expect(await linkOf(server, tess, id)).toBeNull();
    const late = await report(server, id, customer.customer.token, { state: 'up', seq: 2 });
    expect([late.status, await errorCode(late)]).toEqual([409, 'session-ended']);
  });

  it('survives a restart of the server', async () => {
    const { created, customer } = await joined();
    const id = created.session.id;
    await report(server, id, customer.customer.token, { state: 'down', seq: 7 });
    await server.stop();
    server = await startTestServer(env, clock);
    expect(await linkOf(server, tess, id)).toBe('down');
    // The sequence survived too: a report from before the restart that arrives now changes nothing.
    await report(server, id, customer.customer.token, { state: 'up', seq: 6 });
    expect(await linkOf(server, tess, id)).toBe('down');
  });

  it.runIf(scaledBackends() !== null)('is the same on every instance of one PostgreSQL', async () => {
    const other = await startTestServer(env, clock);
    try {
      const { created, customer } = await joined();
      const id = created.session.id;
      await report(server, id, customer.customer.token, { state: 'up', seq: 1 });
      await report(other, id, customer.customer.token, { state: 'down', seq: 2 });
      await report(server, id, customer.customer.token, { state: 'up', seq: 1 });
      expect(await linkOf(server, tess, id)).toBe('down');
      expect(await linkOf(other, tess, id)).toBe('down');
    } finally {
      await other.stop();
    }
  });
});
