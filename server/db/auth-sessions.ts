/** Technician sign-in sessions. The cookie holds a random id; only its sha-256 is stored. */
import type { AuthSessionRow, Db } from './schema';

export type { AuthSessionRow } from './schema';

export async function insertAuthSession(db: Db, row: AuthSessionRow): Promise<void> {
  await db.insertInto('auth_sessions').values(row).execute();
}

export function findAuthSession(db: Db, idHash: string): Promise<AuthSessionRow | undefined> {
  return db.selectFrom('auth_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}

export async function touchAuthSession(db: Db, idHash: string, now: number): Promise<void> {
  await db.updateTable('auth_sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function deleteAuthSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('auth_sessions').where('id_hash', '=', idHash).execute();
}

/** Drops sign-ins idle since `idleBefore` or created before `createdBefore`. */
export async function deleteStaleAuthSessions(db: Db, idleBefore: number, createdBefore: number): Promise<number> {
  const result = await db
    .deleteFrom('auth_sessions')
    .where((eb) => eb.or([eb('last_seen_at', '<', idleBefore), eb('created_at', '<', createdBefore)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Revokes every sign-in of one technician. */
export async function deleteAuthSessionsOf(db: Db, technicianId: string): Promise<number> {
  const result = await db.deleteFrom('auth_sessions').where('technician_id', '=', technicianId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
