/**
 * Retention (MEEKIJK_RETENTION_DAYS, default 90): ended sessions and audit rows older than that are
 * deleted, a session together with all its audit rows. Live sessions are never deleted.
 */
import type { Db } from './schema';

export async function deleteOlderThan(db: Db, before: number): Promise<{ sessions: number; auditRows: number }> {
  return db.transaction().execute(async (trx) => {
    const old = trx.selectFrom('sessions').select('id').where('status', '=', 'ended').where('ended_at', '<', before);
    const ofOldSessions = await trx.deleteFrom('audit_events').where('session_id', 'in', old).executeTakeFirst();
    const sessions = await trx.deleteFrom('sessions').where('status', '=', 'ended').where('ended_at', '<', before).executeTakeFirst();
    // Rows of live or recent sessions stay with their session; other old rows (rate limits) go by age.
    const loose = await trx
      .deleteFrom('audit_events')
      .where('at', '<', before)
      .where((eb) => eb.or([eb('session_id', 'is', null), eb('session_id', 'not in', trx.selectFrom('sessions').select('id'))]))
      .executeTakeFirst();
    return {
      sessions: Number(sessions.numDeletedRows),
      auditRows: Number(ofOldSessions.numDeletedRows) + Number(loose.numDeletedRows),
    };
  });
}
