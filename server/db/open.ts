/**
 * Opens the database the configuration names and applies pending migrations:
 * - SQLite (default): one file, created if missing, WAL mode, through better-sqlite3;
 * - PostgreSQL when MEEKIJK_DATABASE_URL is set: a `pg` connection pool.
 * Both behind Kysely, so the repositories in server/db/ write each query once.
 */
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { mkdirSync } from 'node:fs';
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
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const file = new Database(path);
  file.pragma('journal_mode = WAL');
  // WAL + NORMAL: no corruption on power loss, at most the last commits lost; avoids an fsync per write.
  file.pragma('synchronous = NORMAL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database: cachingSqlite(file) });
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
