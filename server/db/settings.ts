/** Key/value settings that the server generates once and keeps: peer key, invite signing keys, secrets. */
import { sql } from 'kysely';
import { isPostgres } from './engine';
import type { Db } from './schema';

export async function getSetting(db: Db, key: string): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

/**
 * Returns the stored value, or stores `create()` and returns it (first start). Insert-if-absent, then
 * read: when two instances start at once on one PostgreSQL, both end up with the first one's value.
 */
export async function getOrCreateSetting(db: Db, key: string, create: () => string): Promise<string> {
  const existing = await getSetting(db, key);
  if (existing !== null) return existing;
  await db.insertInto('settings').values({ key, value: create() }).onConflict((c) => c.column('key').doNothing()).execute();
  const stored = await getSetting(db, key);
  if (stored === null) throw new Error(`setting ${key} could not be stored`);
  return stored;
}

/**
 * Deletes settings rows that held secrets. In SQLite with secure_delete, so the values do not linger in
 * free pages, and the WAL checkpointed and truncated, so they do not linger there either. (PostgreSQL
 * leaves dead row versions until VACUUM; docs/server.md says so.)
 */
export async function deleteSecretSettings(db: Db, keys: string[]): Promise<void> {
  if (isPostgres(db)) {
    await db.deleteFrom('settings').where('key', 'in', keys).execute();
    return;
  }
  await sql`PRAGMA secure_delete = ON`.execute(db);
  try {
    await db.deleteFrom('settings').where('key', 'in', keys).execute();
  } finally {
    await sql`PRAGMA secure_delete = OFF`.execute(db);
  }
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
}
