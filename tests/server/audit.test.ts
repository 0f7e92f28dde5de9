import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditResponseSchema, joinResponseSchema, redeemResponseSchema, serverInfoSchema } from '../../lib/protocol/api';
import { auditCsv, csvCell } from '../../server/audit-csv';
import { clickRefusalSchema } from '../../lib/protocol/control';
import { addTechnician, postJson, signIn, startTestServer, type Agent, type TestServer } from './helpers';

let server: TestServer;
let tess: Agent;
beforeEach(async () => {
  server = await startTestServer();
  await addTechnician(server, 'tess@reconi.nl');
  tess = await signIn(server, 'tess@reconi.nl');
});
afterEach(() => server.stop());

async function runSession(ticket: string): Promise<string> {
  const created = await tess.createSession(ticket);
  const { hash } = serverInfoSchema.parse(await (await fetch(`${server.url}/api/server-info`)).json()).terms;
  const { invite } = redeemResponseSchema.parse(await (await postJson(server, '/api/invites/redeem', { code: created.session.invite.code })).json());
  server.clock.now += 1000;
  const joined = joinResponseSchema.parse(await (await postJson(server, `/api/sessions/${created.session.id}/join`, { invite, consent: { termsHash: hash, locale: 'nl', at: '2026-03-01T10:00:01.000Z' } })).json());
  server.clock.now += 1000;
  await tess.post(`/api/sessions/${created.session.id}/events`, { kind: 'control-requested', detail: '' });
  await postJson(server, `/api/sessions/${created.session.id}/events`, { kind: 'control-granted' }, { authorization: `Bearer ${joined.customer.token}` });
  server.clock.now += 1000;
  await tess.post(`/api/sessions/${created.session.id}/end`, { reason: 'technician-ended' });
  return created.session.id;
}

describe('audit trail', () => {
  it('records created, redeemed, used, consent, control and ended, with times, technician and actor', async () => {
    const id = await runSession('HD-1');
    const res = await tess.get(`/api/audit?session=${id}`);
    const { events } = auditResponseSchema.parse(await res.json());
    expect(events.map((e) => [e.kind, e.actor])).toEqual([
      ['session-created', 'technician'],
      ['invite-redeemed', 'customer'],
      ['invite-used', 'customer'],
      ['consent', 'customer'],
      ['control-requested', 'technician'],
      ['control-granted', 'customer'],
      ['ended', 'technician'],
    ]);
    expect(events.every((e) => e.technician === 'Tess Technicus' && e.sessionId === id && e.ticket === 'HD-1')).toBe(true);
    expect(events.find((e) => e.kind === 'consent')?.detail).toMatch(/^terms=[0-9a-f]{64}&locale=nl&at=2026-03-01T10%3A00%3A01.000Z$/);
    expect(events.find((e) => e.kind === 'ended')?.detail).toBe('technician-ended');
    expect(events.at(-1)?.at).toBe(new Date(server.clock.now).toISOString());
  });

  it('records sessions that expire unjoined', async () => {
    const created = await tess.createSession();
    server.clock.now += 16 * 60_000;
    const { events } = auditResponseSchema.parse(await (await tess.get(`/api/audit?session=${created.session.id}`)).json());
    expect(events.at(-1)).toMatchObject({ kind: 'ended', detail: 'expired', actor: 'server' });
  });

  it('shows another technician none of this technician’s audit rows, in JSON or CSV, listed or by session (art. 1.3)', async () => {
    const id = await runSession('HD-SECRET-7c1f');
    await addTechnician(server, 'mallory@reconi.nl', 'Mallory');
    const mallory = await signIn(server, 'mallory@reconi.nl');
    await mallory.createSession('HD-MALLORY');
    const all = auditResponseSchema.parse(await (await mallory.get('/api/audit')).json()).events;
    expect(all.map((e) => e.ticket)).toEqual(['HD-MALLORY']);
    const bySession = auditResponseSchema.parse(await (await mallory.get(`/api/audit?session=${id}`)).json()).events;
    expect(bySession).toEqual([]);
    for (const path of ['/api/audit.csv', `/api/audit.csv?session=${id}`]) {
      const csv = await (await mallory.get(path)).text();
      expect(csv).not.toContain('HD-SECRET-7c1f');
      expect(csv).not.toContain(id);
    }
    // The owner still sees everything of their own session.
    expect(auditResponseSchema.parse(await (await tess.get(`/api/audit?session=${id}`)).json()).events).toHaveLength(7);
  });

  it('caps what a customer can write into the audit trail: 500-character details, 500 rows a session', async () => {
    const created = await tess.createSession('HD-CAP');
    const { hash } = serverInfoSchema.parse(await (await fetch(`${server.url}/api/server-info`)).json()).terms;
    const { invite } = redeemResponseSchema.parse(await (await postJson(server, '/api/invites/redeem', { code: created.session.invite.code })).json());
    const joined = joinResponseSchema.parse(await (await postJson(server, `/api/sessions/${created.session.id}/join`, { invite, consent: { termsHash: hash, locale: 'nl', at: '2026-03-01T10:00:01.000Z' } })).json());
    const report = (detail: string) =>
      postJson(server, `/api/sessions/${created.session.id}/events`, { kind: 'click-refused', detail }, { authorization: `Bearer ${joined.customer.token}` });
    expect((await report('x'.repeat(501))).status).toBe(400);
    // A detail is data of its kind, never free text: a sentence is refused and written nowhere.
    const prose = await report('refused by the customer');
    expect(prose.status).toBe(400);
    expect(await prose.json()).toMatchObject({ error: { code: 'invalid-detail' } });
    const statuses: number[] = [];
    const reasons = clickRefusalSchema.options;
    for (let i = 0; i < 520; i += 1) statuses.push((await report(reasons[i % reasons.length]!)).status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(500 - 4); // created, redeemed, used, consent came first
    expect(statuses.slice(-20).every((s) => s === 429)).toBe(true);
    const { events } = auditResponseSchema.parse(await (await tess.get(`/api/audit?session=${created.session.id}`)).json());
    expect(events).toHaveLength(501);
    expect(events.at(-1)).toMatchObject({ kind: 'audit-capped', actor: 'server' });
    // The session's end is still recorded: the server's own rows are not capped.
    await tess.post(`/api/sessions/${created.session.id}/end`, { reason: 'technician-ended' });
    const after = auditResponseSchema.parse(await (await tess.get(`/api/audit?session=${created.session.id}`)).json()).events;
    expect(after.at(-1)).toMatchObject({ kind: 'ended' });
  }, 60_000);

  it('requires sign-in', async () => {
    expect((await fetch(`${server.url}/api/audit`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/audit.csv`)).status).toBe(401);
  });

  it('exports CSV with quoting and without spreadsheet formulas', async () => {
    await runSession('=HYPERLINK("http://evil.example","click")');
    const res = await tess.get('/api/audit.csv');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?meekijk-audit-2026-03-01\.csv"?$/);
    const csv = await res.text();
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,session,ticket,technician,kind,detail,actor');
    expect(lines).toHaveLength(8);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).not.toMatch(/(^|[,;"])=/m);
  });
});

describe('csvCell', () => {
  it.each([
    ['plain', '"plain"'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['=1+1', `"'=1+1"`],
    ['+31 6', `"'+31 6"`],
    ['-2', `"'-2"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tcmd', `"'\tcmd"`],
    [null, '""'],
  ])('%j -> %j', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });

  it('leaves no formula in any part when a spreadsheet splits a cell on ; , tab or a line break (Dutch Excel splits on ;)', () => {
    for (const [input, parts] of [
      ['INC-1;=1+1;', ['INC-1', "'=1+1", '']],
      ['a,+cmd|x', ['a', "'+cmd|x"]],
      ['ok\t@SUM(A1)', ['ok', "'@SUM(A1)"]],
      ['x\n-2', ['x', "'-2"]],
      ['a;;=b', ['a', '', "'=b"]],
    ] as const) {
      const cell = csvCell(input);
      expect(cell.startsWith('"') && cell.endsWith('"')).toBe(true);
      const inner = cell.slice(1, -1).replace(/""/g, '"');
      expect(inner.split(/[,;\t\r\n]/)).toEqual(parts);
      for (const part of inner.split(/[,;\t\r\n]/)) expect(part).not.toMatch(/^[=+\-@]/);
    }
  });

  it('quotes every data cell, so a separator inside one never starts a new column', () => {
    const csv = auditCsv([{ id: 1, at: 't', sessionId: 's', ticket: 'INC-1;=1+1;', technician: 'T', kind: 'k', detail: 'd', actor: 'server' }]);
    expect(csv).toBe('time,session,ticket,technician,kind,detail,actor\r\n"t","s","INC-1;\'=1+1;","T","k","d","server"\r\n');
  });
});
