/** Technician sign-in sessions. The cookie holds a random id; only its sha-256 is stored. */
import type { Db } from './open';
import { once } from './statement';

export interface AuthSessionRow {
  id_hash: string;
  technician_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
}

export function insertAuthSession(db: Db, row: AuthSessionRow): void {
  db.prepare(
    `INSERT INTO auth_sessions (id_hash, technician_id, csrf_token, created_at, last_seen_at)
     VALUES (@id_hash, @technician_id, @csrf_token, @created_at, @last_seen_at)`,
  ).run(row);
}

const findStmt = once((db) => db.prepare<[string], AuthSessionRow>('SELECT * FROM auth_sessions WHERE id_hash = ?'));

export function findAuthSession(db: Db, idHash: string): AuthSessionRow | undefined {
  return findStmt(db).get(idHash);
}

export function touchAuthSession(db: Db, idHash: string, now: number): void {
  db.prepare('UPDATE auth_sessions SET last_seen_at = ? WHERE id_hash = ?').run(now, idHash);
}

export function deleteAuthSession(db: Db, idHash: string): void {
  db.prepare('DELETE FROM auth_sessions WHERE id_hash = ?').run(idHash);
}

/** Drops sign-ins idle since `idleBefore` or created before `createdBefore`. */
export function deleteStaleAuthSessions(db: Db, idleBefore: number, createdBefore: number): number {
  return db
    .prepare('DELETE FROM auth_sessions WHERE last_seen_at < ? OR created_at < ?')
    .run(idleBefore, createdBefore).changes;
}

/** Revokes every sign-in of one technician. */
export function deleteAuthSessionsOf(db: Db, technicianId: string): number {
  return db.prepare('DELETE FROM auth_sessions WHERE technician_id = ?').run(technicianId).changes;
}
