/**
 * Serves the customer's pages (tests/fixtures) on their own 127.0.0.1 origin, apart from the Meekijk
 * server, as in real life. `/big.html?kb=N` generates a page whose DOM is at least N KiB.
 *
 * `?csp=strict` on a page serves it under a strict Content-Security-Policy (no eval) whose violation
 * reports come back to this server (`cspReports`), as a site's reporting endpoint would receive them;
 * `&probe=eval` adds an inline script that tries eval, so a test can see that reports do arrive.
 */
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

const FIXTURES = path.resolve('tests/fixtures');

export function bigPage(kib: number): string {
  const rows: string[] = [];
  let size = 0;
  for (let i = 0; size < kib * 1024; i++) {
    const row = `<tr><td class="c${i % 7}">Rij ${i}</td><td>Artikel ${(i * 7919) % 100000} met een omschrijving</td><td>€ ${(i % 1000) / 10}</td></tr>`;
    rows.push(row);
    size += row.length;
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>Groot</title></head><body><h1 id="title">Grote pagina</h1><table id="big">${rows.join('')}</table><p id="last">einde van de pagina</p></body></html>`;
}

export interface FixtureServer {
  url: string;
  /** The bodies of the CSP violation reports the pages sent, oldest first. */
  readonly cspReports: string[];
  close(): Promise<void>;
}

/** What the customer's side reads an asset as (issue 20: only image and font types travel). */
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.png': 'image/png', '.woff2': 'font/woff2' };

const STRICT_CSP = "script-src 'self' 'unsafe-inline'; report-uri /csp-report";
const EVAL_PROBE = `<script>try { new Function(''); } catch {}</script>`;

export async function startFixtureServer(): Promise<FixtureServer> {
  const cspReports: string[] = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/csp-report' && req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      for await (const chunk of req) body += chunk;
      cspReports.push(body);
      res.writeHead(204).end();
      return;
    }
    const strict = url.searchParams.get('csp') === 'strict';
    if (url.pathname === '/big.html') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(bigPage(Number(url.searchParams.get('kb') ?? 1100)));
      return;
    }
    if (url.pathname.startsWith('/join/')) {
      // An imitation of the server's join page on another origin (a phishing page, say).
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html><head><meta name="meekijk-join" content="${url.pathname.slice(6).replace(/[^\w-]/g, '')}"></head><body><main><h1>Join</h1></main></body></html>`);
      return;
    }
    const file = path.join(FIXTURES, path.normalize(url.pathname).replace(/^\/+/, ''));
    if (!file.startsWith(FIXTURES)) return void res.writeHead(403).end();
    try {
      let body: Buffer | string = await readFile(file);
      res.setHeader('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream');
      if (strict) res.setHeader('content-security-policy', STRICT_CSP);
      if (url.searchParams.get('probe') === 'eval') body = body.toString('utf8').replace('</body>', `${EVAL_PROBE}</body>`);
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cspReports,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
