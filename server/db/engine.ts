/**
 * The one place that knows which engine is behind a Kysely handle. Queries are written once in Kysely and
 * mean the same on both; only the schema's column types (server/db/migrations.ts) ask this.
 */
import { PostgresAdapter, type Kysely } from 'kysely';

export function isPostgres(db: Pick<Kysely<unknown>, 'getExecutor'>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
