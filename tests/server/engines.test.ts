/**
 * The database layer on both engines: this file runs in the `unit` project (SQLite) and in `server-scaled`
 * (PostgreSQL), like the rest of tests/server; the engine is checked, not assumed.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgres } from '../../server/db/engine';
import { openDatabase } from '../../server/db/open';
import { getOrCreateSetting } from '../../server/db/settings';
import { findTechnicianByEmail, insertTechnician } from '../../server/db/technicians';
import { backendEnv, scaledBackends, startTestServer, type TestServer } from './helpers';

describe('database engine', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('is PostgreSQL in the scaled project and SQLite otherwise', () => {
    expect(isPostgres(server.db)).toBe(scaledBackends() !== null);
  });

  it('keeps ms times as numbers (BIGINT in PostgreSQL) and finds e-mail addresses whatever their case', async () => {
    const at = Date.parse('2099-12-31T23:59:59.999Z');
    const row = await insertTechnician(server.db, { name: 'Big', email: 'Big@Example.NL', organisation: 'R', passwordHash: 'x', now: at });
    expect(row?.email).toBe('big@example.nl');
    const found = await findTechnicianByEmail(server.db, 'BIG@example.nl');
    expect(found?.created_at).toBe(at);
    expect(typeof found?.created_at).toBe('number');
    expect(await insertTechnician(server.db, { name: 'Twin', email: 'big@EXAMPLE.nl', organisation: 'R', passwordHash: 'x', now: at })).toBeNull();
  });

  it('gives every opener of one database the same generated setting', async () => {
    const env = await backendEnv();
    const dir = mkdtempSync(join(tmpdir(), 'meekijk-engine-'));
    const target = { dbPath: join(dir, 'settings.sqlite'), databaseUrl: env.MEEKIJK_DATABASE_URL ?? null };
    const first = await openDatabase(target);
    const second = await openDatabase(target);
    try {
      let n = 0;
      const values = await Promise.all([first, second, first, second].map((db) => getOrCreateSetting(db, 'k', () => `value-${(n += 1)}`)));
      expect(new Set(values).size).toBe(1);
    } finally {
      await first.destroy();
      await second.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(scaledBackends() !== null)('an SQLite file from before Kysely', () => {
  it('is adopted as it is: its data stays, migration 0001 is recorded, nothing is created twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meekijk-legacy-'));
    const path = join(dir, 'old.sqlite');
    const old = new Database(path);
    // The first schema as earlier versions created it (PRAGMA user_version = 1).
    old.exec(`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE technicians (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        organisation TEXT NOT NULL, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
      INSERT INTO technicians VALUES ('t1', 'Oud', 'oud@reconi.nl', 'Reconi', 'h', 1);
      INSERT INTO settings VALUES ('secret_key', 'kept');
      PRAGMA user_version = 1;`);
    old.close();
    const db = await openDatabase({ dbPath: path, databaseUrl: null });
    try {
      expect((await findTechnicianByEmail(db, 'oud@reconi.nl'))?.name).toBe('Oud');
      expect(await getOrCreateSetting(db, 'secret_key', () => 'new')).toBe('kept');
      const ran = await db.selectFrom('kysely_migration' as never).select('name' as never).execute();
      expect(ran).toEqual([{ name: '0001-initial' }, { name: '0002-technician-disabled' }, { name: '0003-customer-link' }]);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
