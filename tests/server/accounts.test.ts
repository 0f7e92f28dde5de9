/**
 * Retention, disabling a technician, and the first technician's password (issue 19, finding 13).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditResponseSchema, joinResponseSchema, redeemResponseSchema, serverInfoSchema, sessionListResponseSchema } from '../../lib/protocol/api';
import { verifyPassword } from '../../server/auth/passwords';
import { disableTechnicianNow } from '../../server/cli/technician-disable';
import { openDatabase } from '../../server/db/open';
import { findTechnicianByEmail } from '../../server/db/technicians';
import { addTechnician, openPeer, postJson, signIn, startTestServer, TEST_PASSWORD, type TestServer } from './helpers';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const DAY = 24 * 60 * 60_000;
const count = async (s: TestServer, table: 'sessions' | 'audit_events') =>
  Number((await s.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);

describe('retention', () => {
  it('deletes ended sessions and their audit rows after 90 days; live and younger ones stay', async () => {
    server = await startTestServer({ MEEKIJK_MAX_LIVE_SESSIONS: '50' });
    await addTechnician(server, 'tess@reconi.nl');
    const tess = await signIn(server, 'tess@reconi.nl');
    const old = await tess.createSession('OLD');
    await tess.post(`/api/sessions/${old.session.id}/end`, { reason: 'technician-ended' });
    server.clock.now += 60 * DAY;
    const later = await signIn(server, 'tess@reconi.nl');
    const recent = await later.createSession('RECENT');
    await later.post(`/api/sessions/${recent.session.id}/end`, { reason: 'technician-ended' });
    server.clock.now += 31 * DAY; // OLD ended 91 days ago, RECENT 31
    const again = await signIn(server, 'tess@reconi.nl');
    const live = await again.createSession('LIVE');
    const events = auditResponseSchema.parse(await (await again.get('/api/audit')).json()).events;
    expect(new Set(events.map((e) => e.ticket))).toEqual(new Set(['RECENT', 'LIVE']));
    const list = sessionListResponseSchema.parse(await (await again.get('/api/sessions')).json());
    expect(list.sessions.map((s) => s.ticket).sort()).toEqual(['LIVE', 'RECENT']);
    expect(await server.db.selectFrom('sessions').select('id').where('id', '=', old.session.id).executeTakeFirst()).toBeUndefined();
    expect(server.logs).toContain('retention: deleted 1 sessions and 2 audit rows older than 90 days');
    expect(live.session.status).toBe('waiting');
  });

  it('takes its period from MEEKIJK_RETENTION_DAYS', async () => {
    server = await startTestServer({ MEEKIJK_RETENTION_DAYS: '7' });
    await addTechnician(server, 'tess@reconi.nl');
    const tess = await signIn(server, 'tess@reconi.nl');
    const created = await tess.createSession('WEEK');
    await tess.post(`/api/sessions/${created.session.id}/end`, { reason: 'technician-ended' });
    server.clock.now += 6 * DAY;
    await (await signIn(server, 'tess@reconi.nl')).get('/api/audit');
    expect(await count(server, 'sessions')).toBe(1);
    server.clock.now += 2 * DAY;
    await (await signIn(server, 'tess@reconi.nl')).get('/api/audit');
    expect(await count(server, 'sessions')).toBe(0);
    expect(await count(server, 'audit_events')).toBe(0);
  });
});

describe('technician:disable', () => {
  it('revokes sign-ins, refuses the right password, ends live sessions and closes their sockets', async () => {
    server = await startTestServer({}, undefined, { sweepIntervalMs: 100 });
    await addTechnician(server, 'tess@reconi.nl');
    const tess = await signIn(server, 'tess@reconi.nl');
    const created = await tess.createSession('HD-9');
    const { hash } = serverInfoSchema.parse(await (await fetch(`${server.url}/api/server-info`)).json()).terms;
    const { invite } = redeemResponseSchema.parse(await (await postJson(server, '/api/invites/redeem', { code: created.session.invite.code })).json());
    const joined = joinResponseSchema.parse(await (await postJson(server, `/api/sessions/${created.session.id}/join`, { invite, consent: { termsHash: hash, locale: 'nl', at: new Date(server.clock.now).toISOString() } })).json());
    const viewer = openPeer(server, created.peer.key, created.viewer.peerId, created.viewer.token);
    const customer = openPeer(server, created.peer.key, joined.customer.peerId, joined.customer.token);
    expect(await Promise.all([viewer.first, customer.first])).toEqual([JSON.stringify({ type: 'OPEN' }), JSON.stringify({ type: 'OPEN' })]);

    // What the CLI does, against the running server's database (another process in real use).
    expect(await disableTechnicianNow(server.db, 'Tess@Reconi.nl', server.clock.now)).toEqual({
      name: 'Tess Technicus', email: 'tess@reconi.nl', signInsRevoked: 1, sessionsEnded: 1,
    });
    expect((await tess.get('/api/auth/me')).status).toBe(401);
    expect((await postJson(server, '/api/auth/login', { email: 'tess@reconi.nl', password: TEST_PASSWORD })).status).toBe(401);
    await Promise.all([viewer.closed, customer.closed]);
    expect(await openPeer(server, created.peer.key, created.viewer.peerId, created.viewer.token).first).toBe('refused 401');
    const rows = await server.db.selectFrom('audit_events').select(['kind', 'detail']).orderBy('id').execute();
    expect(rows.slice(-2)).toEqual([
      { kind: 'ended', detail: 'technician-disabled' },
      { kind: 'technician-disabled', detail: 'signIns=1&sessions=1' },
    ]);
    expect(await disableTechnicianNow(server.db, 'nobody@reconi.nl', server.clock.now)).toBeNull();
  });

  it('runs as npm run technician:disable, with one clear line for an unknown address', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meekijk-disable-'));
    try {
      const dbPath = join(dir, 'cli.sqlite');
      const db = await openDatabase({ dbPath, databaseUrl: null });
      const { insertTechnician } = await import('../../server/db/technicians');
      await insertTechnician(db, { name: 'Tess', email: 'tess@reconi.nl', organisation: 'Reconi', passwordHash: 'x', now: 0 });
      await db.destroy();
      const run = (...args: string[]) => runNode(['server/cli/technician-disable.ts', ...args], { MEEKIJK_DB: dbPath });
      const ok = await run('--email', 'tess@reconi.nl');
      expect(ok.code).toBe(0);
      expect(ok.stdout.trim()).toBe('Technician Tess <tess@reconi.nl> disabled: 0 sign-ins revoked, 0 live sessions ended.');
      const unknown = await run('--email', 'nobody@reconi.nl');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr.trim()).toBe('technician:disable: no technician with e-mail nobody@reconi.nl');
      const check = await openDatabase({ dbPath, databaseUrl: null });
      expect((await findTechnicianByEmail(check, 'tess@reconi.nl'))?.disabled_at).toBeGreaterThan(0);
      await check.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('the first technician', () => {
  it('gets a password written to a 0600 file whose path is printed, never the password itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meekijk-first-'));
    try {
      const dbPath = join(dir, 'first.sqlite');
      const started = await runNode(['server/main.ts'], { MEEKIJK_DB: dbPath, MEEKIJK_PORT: '0', MEEKIJK_VIEWER_DIR: join(dir, 'none') }, 'Extension (Firefox)');
      const file = join(dir, 'first-admin-password.txt');
      expect(started.stdout).toContain(`Its password is in ${file}`);
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = /password: (\S+)/.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(started.stdout + started.stderr).not.toContain(password);
      const db = await openDatabase({ dbPath, databaseUrl: null });
      const row = await findTechnicianByEmail(db, 'admin@meekijk.local');
      await db.destroy();
      expect(await verifyPassword(row?.password_hash ?? '', password)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** Runs a TypeScript entry point; with `until`, stops it (SIGTERM) once stdout contains that text. */
function runNode(args: string[], env: Record<string, string>, until?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      env: { PATH: process.env.PATH ?? '', MEEKIJK_PASSWORD_MEMORY_KIB: '1024', MEEKIJK_PASSWORD_TIME_COST: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; stdout: ${stdout} stderr: ${stderr}`));
    }, 45_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (until !== undefined && stdout.includes(until)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
