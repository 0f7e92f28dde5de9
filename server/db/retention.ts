/**
 * Retention (MEEKIJK_RETENTION_DAYS, default 90): ended sessions and audit rows older than that are
 * deleted, a session together with all its audit rows. Live sessions are never deleted.
 */
import type { Db } from './open';

export function deleteOlderThan(db: Db, before: number): { sessions: number; auditRows: number } {
  return db.transaction(() => {
    const old = `SELECT id FROM sessions WHERE status = 'ended' AND ended_at < ?`;
    const ofOldSessions = db.prepare(`DELETE FROM audit_events WHERE session_id IN (${old})`).run(before).changes;
    const sessions = db.prepare(`DELETE FROM sessions WHERE status = 'ended' AND ended_at < ?`).run(before).changes;
    // Rows of live or recent sessions stay with their session; other old rows (rate limits) go by age.
    const loose = db
      .prepare(`DELETE FROM audit_events WHERE at < ? AND (session_id IS NULL OR session_id NOT IN (SELECT id FROM sessions))`)
      .run(before).changes;
    return { sessions, auditRows: ofOldSessions + loose };
  })();
}
