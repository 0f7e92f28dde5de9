/**
 * Opens the database the configuration names and applies pending migrations:
 * - SQLite (default): one file, created if missing, WAL mode, through better-sqlite3;
 * - PostgreSQL when MEEKIJK_DATABASE_URL is set: a `pg` connection pool.
 * Both behind Kysely, so the repositories in server/db/ write each query once.
 */
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations';
import type { Db } from './schema';
import { cachingSqlite } from './sqlite-statements';

export type { Db } from './schema';

export interface DatabaseTarget {
  /** SQLite file, used when `databaseUrl` is null. */
  dbPath: string;
  /** postgres:// URL, or null for SQLite. */
  databaseUrl: string | null;
}

/** pg's type id for BIGINT (int8): times in ms and COUNT(*) fit a JS number exactly (below 2^53). */
const INT8 = 20;

export async function openDatabase(target: DatabaseTarget): Promise<Db> {
  const dialect = target.databaseUrl === null ? sqliteDialect(target.dbPath) : await postgresDialect(target.databaseUrl);
  const db: Db = new Kysely({ dialect });
  try {
    await migrate(db);
    return db;
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

function sqliteDialect(path: string): SqliteDialect {
  if (path !== ':memory:') restrictFileMode(path);
  const file = new Database(path);
  file.pragma('journal_mode = WAL');
  // WAL + NORMAL: no corruption on power loss, at most the last commits lost; avoids an fsync per write.
  file.pragma('synchronous = NORMAL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database: cachingSqlite(file) });
}

/**
 * The database holds password hashes, tickets and the audit trail: readable by the server's user only.
 * A new file is created empty with mode 0600 before SQLite opens it (SQLite gives its WAL and shared-memory
 * files the database file's mode); an existing one is tightened.
 */
function restrictFileMode(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  if (!existsSync(path)) writeFileSync(path, '', { mode: 0o600, flag: 'wx' });
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}

/** `pg` is loaded only when PostgreSQL is configured: one SQLite process does not pay its start-up. */
async function postgresDialect(url: string): Promise<PostgresDialect> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
  });
  return new PostgresDialect({ pool });
}

async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A round trip to the database: /healthz answers only when it works. */
export async function ping(db: Db): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
