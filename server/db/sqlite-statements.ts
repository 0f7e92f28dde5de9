/**
 * better-sqlite3 behind Kysely, with prepared statements kept per SQL text. Kysely prepares each query
 * again; preparing is the most expensive part of a small query (the load test spent more time in
 * prepare() than in running SQL), and Kysely's queries are a small fixed set, so they are kept.
 */
import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Bound on kept statements; the server has a few dozen distinct queries. */
const MAX_STATEMENTS = 500;

export function cachingSqlite(file: Database.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      file.close();
    },
    prepare: (sql: string) => {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = file.prepare(sql);
        if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value ?? '');
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
