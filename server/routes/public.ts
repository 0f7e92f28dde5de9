/** Public pages and facts: server-info, published terms (art. 6.1), the join page, /start, /healthz. */
import { Router } from 'express';
import { createSessionRequestSchema, type ServerInfo } from '../../lib/protocol/api';
import type { AppContext } from '../context';
import { findByLink } from '../db/sessions';
import { findTechnicianById } from '../db/technicians';
import { currentSignIn } from '../auth/signin';
import { ping } from '../db/open';
import { HttpError } from '../http/errors';
import { queryString } from '../http/validate';
import { PAGE_CSP } from '../pages/html';
import { renderJoinPage, type JoinState } from '../pages/join-page';
import { renderTermsPage } from '../pages/terms-page';
import { createSession, sweepOverdue } from '../sessions/lifecycle';
import { keyedHash } from '../sessions/secrets';

export function publicRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/api/server-info', (_req, res) => {
    const info: ServerInfo = {
      name: 'meekijk',
      organisation: ctx.config.organisation,
      inviteKey: ctx.keys.invitePublicKeySpki,
      terms: { nl: `${ctx.publicUrl}/terms/nl`, en: `${ctx.publicUrl}/terms/en`, hash: ctx.terms.nl.hash },
    };
    res.json(info);
  });

  router.get('/terms/:lang', (req, res) => {
    const lang = req.params.lang;
    const terms = lang === 'nl' ? ctx.terms.nl : lang === 'en' ? ctx.terms.en : null;
    if (terms === null || (lang !== 'nl' && lang !== 'en')) throw new HttpError(404, 'not-found', 'terms are published in nl and en');
    res.set('Content-Security-Policy', PAGE_CSP).type('html').send(renderTermsPage(lang, terms, ctx.terms.en !== null));
  });

  router.get('/join/:secret', async (req, res) => {
    await sweepOverdue(ctx);
    const secret = req.params.secret;
    const row = /^[A-Za-z0-9_-]{16,200}$/.test(secret) ? await findByLink(ctx.db, keyedHash(ctx.keys.secret, 'link', secret)) : undefined;
    let state: JoinState = 'unknown';
    if (row) {
      if (row.invite_spent_at !== null) state = 'spent';
      else if (row.invite_expires_at <= ctx.now()) state = 'expired';
      else state = row.status === 'waiting' ? 'open' : 'ended';
    }
    const technician = row && state === 'open' ? await findTechnicianById(ctx.db, row.technician_id) : undefined;
    const status = { open: 200, unknown: 404, spent: 410, expired: 410, ended: 410 }[state];
    res
      .status(status)
      .set({ 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-store' })
      .type('html')
      .send(renderJoinPage({ state, secret, organisation: technician?.organisation ?? ctx.config.organisation, technicianName: technician?.name ?? null, storeLinks: ctx.config.storeLinks }));
  });

  // The helpdesk link. It changes nothing: a GET can be sent by anything the technician's browser loads
  // (an <img> in a recorded page, a link in another site), so it only opens the viewer's start screen with
  // the ticket filled in, and the session is created by the technician's click there (a POST with the
  // CSRF token). Signed out, the viewer asks to sign in first and stays on that screen.
  router.get('/start', (req, res) => {
    const parsed = createSessionRequestSchema.safeParse({ ticket: queryString(req.query.ticket) });
    if (!parsed.success) throw new HttpError(400, 'invalid-request', 'ticket: expected ?ticket=<reference> (1-200 characters)');
    res.set('Cache-Control', 'no-store').redirect(302, `/#/start?ticket=${encodeURIComponent(parsed.data.ticket)}`);
  });

  router.get('/healthz', async (_req, res) => {
    await ping(ctx.db);
    res.set('Cache-Control', 'no-store').json({ ok: true });
  });
  return router;
}
