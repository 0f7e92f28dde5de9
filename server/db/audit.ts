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

export function listAudit(db: Db, filter: { sessionId: string | null; limit: number }): AuditRow[] {
  if (filter.sessionId !== null) {
    return db
      .prepare<[string, number], AuditRow>(`${select} WHERE a.session_id = ? ORDER BY a.at, a.id LIMIT ?`)
      .all(filter.sessionId, filter.limit);
  }
  return db.prepare<[number], AuditRow>(`${select} ORDER BY a.at DESC, a.id DESC LIMIT ?`).all(filter.limit);
}
