/** The audit trail (issue 4): what happened in a session, when, and by whom. Never page content (art. 2.1). */
import type { AuditActor, Db } from './schema';

export type { AuditActor } from './schema';

export interface AuditInsert {
  sessionId: string | null;
  technicianId: string | null;
  at: number;
  kind: string;
  detail: string;
  actor: AuditActor;
}

export interface AuditRow {
  id: number;
  session_id: string | null;
  technician_id: string | null;
  technician_name: string | null;
  ticket: string | null;
  at: number;
  kind: string;
  detail: string;
  actor: AuditActor;
}

export async function insertAudit(db: Db, e: AuditInsert): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({ session_id: e.sessionId, technician_id: e.technicianId, at: e.at, kind: e.kind, detail: e.detail, actor: e.actor })
    .execute();
}

/**
 * The audit rows one technician may read (art. 1.3: only that employee): rows of their own sessions and
 * about their own account, plus server-wide rows that belong to no session and no technician (rate limits
 * hit on code entry), which carry no customer data.
 */
export function listAuditForTechnician(
  db: Db,
  filter: { technicianId: string; sessionId: string | null; limit: number },
): Promise<AuditRow[]> {
  const base = db
    .selectFrom('audit_events as a')
    .leftJoin('technicians as t', 't.id', 'a.technician_id')
    .leftJoin('sessions as s', 's.id', 'a.session_id')
    .select(['a.id', 'a.session_id', 'a.technician_id', 't.name as technician_name', 's.ticket', 'a.at', 'a.kind', 'a.detail', 'a.actor'])
    .limit(filter.limit);
  if (filter.sessionId !== null) {
    return base
      .where('a.session_id', '=', filter.sessionId)
      .where('s.technician_id', '=', filter.technicianId)
      .orderBy('a.at')
      .orderBy('a.id')
      .execute();
  }
  return base
    .where((eb) =>
      eb.or([
        eb('a.technician_id', '=', filter.technicianId),
        eb.and([eb('a.technician_id', 'is', null), eb('a.session_id', 'is', null)]),
      ]),
    )
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
}

export async function countAuditForSession(db: Db, sessionId: string): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
