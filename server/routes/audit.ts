/** GET /api/audit (JSON) and /api/audit.csv: the audit trail for signed-in staff (issue 4). */
import { Router } from 'express';
import type { AuditEvent } from '../../lib/protocol/api';
import { auditCsv } from '../audit-csv';
import type { AppContext } from '../context';
import { listAudit, type AuditRow } from '../db/audit';
import { queryString } from '../http/validate';
import { requireSignIn } from '../auth/signin';
import { sweepOverdue } from '../sessions/lifecycle';

function toEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    sessionId: row.session_id,
    ticket: row.ticket,
    technician: row.technician_name,
    kind: row.kind,
    detail: row.detail,
    actor: row.actor,
  };
}

export function auditRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/audit', async (req, res) => {
    await requireSignIn(ctx, req);
    await sweepOverdue(ctx);
    const rows = await listAudit(ctx.db, { sessionId: queryString(req.query.session), limit: 1000 });
    res.json({ events: rows.map(toEvent) });
  });
  router.get('/audit.csv', async (req, res) => {
    await requireSignIn(ctx, req);
    await sweepOverdue(ctx);
    const sessionId = queryString(req.query.session);
    const rows = await listAudit(ctx.db, { sessionId, limit: 100_000 });
    const stamp = new Date(ctx.now()).toISOString().slice(0, 10);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`meekijk-audit-${sessionId === null ? stamp : 'session'}.csv`)
      .send(auditCsv(rows.map(toEvent)));
  });
  return router;
}
