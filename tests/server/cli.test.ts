import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/open';
import { findTechnicianByEmail } from '../../server/db/technicians';
import { verifyPassword } from '../../server/auth/passwords';
import { backendEnv } from './helpers';

describe('npm run technician:add', () => {
  const db = join(mkdtempSync(join(tmpdir(), 'meekijk-cli-')), 'cli.sqlite');
  // SQLite, or the scaled project's PostgreSQL (a fresh database).
  let backend: Record<string, string> = {};
  beforeAll(async () => {
    backend = await backendEnv();
  });
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/technician-add.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', MEEKIJK_DB: db, MEEKIJK_PASSWORD_MEMORY_KIB: '1024', MEEKIJK_PASSWORD_TIME_COST: '1', ...backend },
      input: '',
      encoding: 'utf8',
      timeout: 20_000,
    });

  it('generates and prints a strong password when none is given and stdin is not a terminal', async () => {
    const result = run('--name', 'Tess', '--email', 'Tess@Reconi.nl');
    expect(result.status).toBe(0);
    const password = /Generated password \(shown once\): (\S+)/.exec(result.stdout)?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const handle = await openDatabase({ dbPath: db, databaseUrl: backend.MEEKIJK_DATABASE_URL ?? null });
    const row = await findTechnicianByEmail(handle, 'tess@reconi.nl');
    await handle.destroy();
    expect(row?.organisation).toBe('Reconi');
    expect(await verifyPassword(row?.password_hash ?? '', password)).toBe(true);
  }, 30_000);

  it('refuses a duplicate e-mail and a bad argument with exit code 2 and one line', () => {
    const duplicate = run('--name', 'Tess', '--email', 'tess@reconi.nl', '--password', 'long enough password');
    expect(duplicate.status).toBe(2);
    expect(duplicate.stderr.trim()).toBe('technician:add: a technician with e-mail tess@reconi.nl already exists');
    const bad = run('--name', 'X', '--email', 'not-an-email');
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('technician:add: --email must be an e-mail address');
  }, 30_000);
});
