/** The built viewer (dist/viewer) at /, as a single-page app; a clear 503 page when it was not built. */
import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppContext } from '../context';
import { PAGE_CSP, page } from '../pages/html';
import { viewerCsp } from '../http/security-headers';

export function viewerRoutes(ctx: AppContext): Router {
  const router = Router();
  const dir = resolve(ctx.config.viewerDir);
  const index = resolve(dir, 'index.html');
  const csp = viewerCsp(ctx.publicUrl);
  router.use((_req, res, next) => {
    res.set('Content-Security-Policy', csp);
    next();
  });
  router.use(express.static(dir, { index: false, maxAge: '1h', fallthrough: true }));
  router.get(/.*/, (_req, res) => {
    if (!existsSync(index)) {
      res
        .status(503)
        .set({ 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-store' })
        .type('html')
        .send(page({ lang: 'en', title: 'Meekijk viewer not built', body: `<h1>The Meekijk viewer has not been built</h1>\n<p>Run <code>npm run build</code> in the project folder, then reload this page.</p>\n<p lang="nl">De viewer is nog niet gebouwd: voer <code>npm run build</code> uit en laad deze pagina opnieuw.</p>` }));
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return router;
}
