/** The audit trail (issue 4): what happened in a session, when, and by whom. Never page content (art. 2.1). */
import type { Db } from './open';
import { once } from './statement';

export type AuditActor = 'technician' | 'customer' | 'server';

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

const insertStmt = once((db) =>
  db.prepare<[string | null, string | null, number, string, string, AuditActor], void>(
    'INSERT INTO audit_events (session_id, technician_id, at, kind, detail, actor) VALUES (?, ?, ?, ?, ?, ?)',
  ),
);

export function insertAudit(db: Db, e: AuditInsert): void {
  insertStmt(db).run(e.sessionId, e.technicianId, e.at, e.kind, e.detail, e.actor);
}

const select = `SELECT a.id, a.session_id, a.technician_id, t.name AS technician_name, s.ticket,
  a.at, a.kind, a.detail, a.actor
  FROM audit_events a
  LEFT JOIN technicians t ON t.id = a.technician_id
  LEFT JOIN sessions s ON s.id = a.session_id`;

/**
 * The audit rows one technician may read (art. 1.3: only that employee): rows of their own sessions and
 * about their own account, plus server-wide rows that belong to no session and no technician (rate limits
 * hit on code entry), which carry no customer data.
 */
export function listAuditForTechnician(
  db: Db,
  filter: { technicianId: string; sessionId: string | null; limit: number },
): AuditRow[] {
  if (filter.sessionId !== null) {
    return db
      .prepare<[string, string, number], AuditRow>(
        `${select} WHERE a.session_id = ? AND s.technician_id = ? ORDER BY a.at, a.id LIMIT ?`,
      )
      .all(filter.sessionId, filter.technicianId, filter.limit);
  }
  return db
    .prepare<[string, number], AuditRow>(
      `${select} WHERE a.technician_id = ? OR (a.technician_id IS NULL AND a.session_id IS NULL)
       ORDER BY a.at DESC, a.id DESC LIMIT ?`,
    )
    .all(filter.technicianId, filter.limit);
}

const countStmt = once((db) =>
  db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM audit_events WHERE session_id = ?'),
);

export function countAuditForSession(db: Db, sessionId: string): number {
  return countStmt(db).get(sessionId)?.n ?? 0;
}
