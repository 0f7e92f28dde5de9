/** Technician session endpoints, plus end/events which the customer may call too. */
import { Router } from 'express';
import {
  createSessionRequestSchema,
  endSessionRequestSchema,
  linkReportRequestSchema,
  reportEventRequestSchema,
  type SessionListResponse,
} from '../../lib/protocol/api';
import type { AppContext } from '../context';
import { countAuditForSession, insertAudit } from '../db/audit';
import { readDetail, writeDetail } from '../../lib/shared/audit/detail';
import { getSession, listSessionsForTechnician, recordLink } from '../db/sessions';
import { HttpError } from '../http/errors';
import { parseBody } from '../http/validate';
import { requireSignIn, requireSignInWithCsrf } from '../auth/signin';
import { createSession, endSessionNow, sweepOverdue } from '../sessions/lifecycle';
import { toSessionView, toViewerResponse } from '../sessions/view';
import { ownedSession, sessionActor } from './session-auth';

/**
 * At most this many audit rows per session. Both ends may report events (a hostile viewer can make the
 * customer's extension report one refused click per message), and the rows are kept for the retention
 * period: without a cap one session could fill the disk. A real session writes a few dozen.
 */
export const MAX_AUDIT_ROWS_PER_SESSION = 500;
/**
 * Events are reported as they happen (the customer's extension posts each control event from its
 * service worker), while the technician's "end" reaches the server straight from the viewer: an event
 * from just before the end may arrive just after it on a busy computer. It is still recorded, for this
 * long after the end; the extension records nothing once its session has ended.
 */
export const LATE_REPORT_MS = 10_000;

export function sessionRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const signedIn = await requireSignInWithCsrf(ctx, req);
    const { ticket } = parseBody(createSessionRequestSchema, req.body);
    const row = await createSession(ctx, signedIn.technician.id, ticket);
    res.status(201).json(toViewerResponse(ctx, row));
  });

  router.get('/', async (req, res) => {
    const signedIn = await requireSignIn(ctx, req);
    await sweepOverdue(ctx);
    const rows = await listSessionsForTechnician(ctx.db, signedIn.technician.id, 200);
    const body: SessionListResponse = { sessions: rows.map((row) => toSessionView(ctx, row)) };
    res.json(body);
  });

  router.get('/:id', async (req, res) => {
    await sweepOverdue(ctx);
    res.json(toViewerResponse(ctx, await ownedSession(ctx, req, req.params.id, false)));
  });

  router.post('/:id/end', async (req, res) => {
    const { row, actor } = await sessionActor(ctx, req, req.params.id);
    const { reason } = parseBody(endSessionRequestSchema, req.body);
    await endSessionNow(ctx, row, reason, actor);
    res.status(204).end();
  });

  // Issue 17: the customer's side says whether page data can reach the verified technician (up) or it is
  // reconnecting (down). Only the customer knows; a report older than the last one changes nothing.
  router.post('/:id/link', async (req, res) => {
    const { row, actor } = await sessionActor(ctx, req, req.params.id);
    if (actor !== 'customer') throw new HttpError(403, 'customer-only', 'only the customer’s extension reports its link');
    const { state, seq } = parseBody(linkReportRequestSchema, req.body);
    if (!(await recordLink(ctx.db, row.id, state, seq))) {
      const current = await getSession(ctx.db, row.id);
      if (current?.status !== 'active') throw new HttpError(409, 'session-ended', 'this session is not active');
    }
    res.status(204).end();
  });

  router.post('/:id/events', async (req, res) => {
    const { row, actor } = await sessionActor(ctx, req, req.params.id);
    const { kind, detail } = parseBody(reportEventRequestSchema, req.body);
    // A detail is data of its kind (a code, a tag, key=value pairs) or left out: never free text a
    // reader cannot put in their language, nor anything a hostile extension would like to write there.
    if (detail !== '' && readDetail(kind, detail) === undefined) throw new HttpError(400, 'invalid-detail', `detail is not a ${kind} detail`);
    const current = await getSession(ctx.db, row.id);
    if (!current || (current.status === 'ended' && ctx.now() - (current.ended_at ?? 0) > LATE_REPORT_MS)) {
      throw new HttpError(409, 'session-ended', 'this session has ended');
    }
    const base = { sessionId: row.id, technicianId: row.technician_id, at: ctx.now() };
    const count = await countAuditForSession(ctx.db, row.id);
    if (count >= MAX_AUDIT_ROWS_PER_SESSION) {
      // One closing row says that events were dropped from here on; the rest are refused.
      if (count === MAX_AUDIT_ROWS_PER_SESSION) {
        await insertAudit(ctx.db, { ...base, kind: 'audit-capped', detail: writeDetail('audit-capped', { cap: MAX_AUDIT_ROWS_PER_SESSION }), actor: 'server' });
        ctx.log(`audit cap reached for session ${row.id}`);
      }
      throw new HttpError(429, 'audit-full', `this session already has ${MAX_AUDIT_ROWS_PER_SESSION} audit events`);
    }
    await insertAudit(ctx.db, { ...base, kind, detail, actor });
    res.status(204).end();
  });
  return router;
}
