/** GET /api/audit (JSON) and /api/audit.csv: the signed-in technician's own audit trail (art. 1.3). */
import { Router } from 'express';
import type { AuditEvent } from '../../lib/protocol/api';
import { auditCsv } from '../audit-csv';
import type { AppContext } from '../context';
import { listAuditForTechnician, type AuditRow } from '../db/audit';
import { queryString } from '../http/validate';
import { requireSignIn } from '../auth/signin';
import { sweepOverdue } from '../sessions/lifecycle';
import { applyRetention } from '../sessions/retention';

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
    const { technician } = await requireSignIn(ctx, req);
    await sweepOverdue(ctx);
    await applyRetention(ctx);
    const rows = await listAuditForTechnician(ctx.db, { technicianId: technician.id, sessionId: queryString(req.query.session), limit: 1000 });
    res.json({ events: rows.map(toEvent) });
  });
  router.get('/audit.csv', async (req, res) => {
    const { technician } = await requireSignIn(ctx, req);
    await sweepOverdue(ctx);
    await applyRetention(ctx);
    const sessionId = queryString(req.query.session);
    const rows = await listAuditForTechnician(ctx.db, { technicianId: technician.id, sessionId, limit: 100_000 });
    const stamp = new Date(ctx.now()).toISOString().slice(0, 10);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`meekijk-audit-${sessionId === null ? stamp : 'session'}.csv`)
      .send(auditCsv(rows.map(toEvent)));
  });
  return router;
}
