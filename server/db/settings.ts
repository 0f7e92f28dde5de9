/** Key/value settings that the server generates once and keeps: peer key, invite signing keys, secrets. */
import type { Db } from './open';

export function getSetting(db: Db, key: string): string | null {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key);
  return row?.value ?? null;
}

/** Returns the stored value, or stores and returns `create()` (first start). */
export function getOrCreateSetting(db: Db, key: string, create: () => string): string {
  return db.transaction(() => {
    const existing = getSetting(db, key);
    if (existing !== null) return existing;
    const value = create();
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(key, value);
    return value;
  })();
}

/**
 * Deletes settings rows. `overwrite`: with secure_delete, so the values do not linger in free pages, and
 * the WAL checkpointed and truncated, so they do not linger there either.
 */
export function deleteSettings(db: Db, keys: string[], options: { overwrite: boolean }): void {
  const before = db.pragma('secure_delete', { simple: true });
  if (options.overwrite) db.pragma('secure_delete = ON');
  try {
    const remove = db.prepare('DELETE FROM settings WHERE key = ?');
    db.transaction(() => {
      for (const key of keys) remove.run(key);
    })();
  } finally {
    if (options.overwrite) db.pragma(`secure_delete = ${Number(before)}`);
  }
  if (options.overwrite) db.pragma('wal_checkpoint(TRUNCATE)');
}
