/**
 * A customer's site as issue 20 found them in the field, over plain http on two origins: the page on one,
 * its stylesheet, web font and photos on a second (a CDN, with CORS), a photo on the page's own origin
 * that needs the login cookie, a canvas chart that updates, a web component styled with adopted
 * stylesheets, and a payment widget from a third party in a cross-origin iframe.
 *
 * Both servers log every request they get, so a test can tell who asked for what.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { photo } from './photo';

export interface SiteRequest {
  origin: 'page' | 'assets';
  path: string;
  cookie: string | undefined;
}

export interface FidelitySite {
  /** The page, on its own origin. */
  pageUrl: string;
  /** The second origin: stylesheet, font, photos, the third-party widget. */
  assetOrigin: string;
  readonly requests: SiteRequest[];
  close(): Promise<void>;
}

const FONT = readFileSync(path.resolve('tests/fixtures/fidelity/DejaVuSansMono-Bold.ttf'));
const LOGIN_COOKIE = 'fixture-login=9f1c2e';

const css = `
@font-face { font-family: "Fixture Mono"; src: url("/font/fixture-mono.ttf") format("truetype"); font-display: block; }
body { margin: 0; font: 15px/1.4 "Fixture Mono", monospace; color: #1d2b36; background: #f4efe6 url("/img/paper.png") repeat; }
header { padding: 16px 24px; background: #21433a; color: #fdf7e3; }
h1 { margin: 0; font-size: 26px; letter-spacing: 1px; }
.grid { display: grid; grid-template-columns: repeat(4, 200px); gap: 16px; padding: 16px 24px; }
.card { background: #fff; border: 3px solid #c9a227; border-radius: 8px; padding: 6px; }
.card img { display: block; width: 188px; height: 141px; }
.row { display: flex; gap: 24px; padding: 0 24px 16px; align-items: flex-start; }
`;

function pageHtml(assets: string): string {
  const cards = [1, 2, 3]
    .map((n) => `<div class="card"><img src="${assets}/img/photo-${n}.png" alt="Artikel ${n}"><div>Artikel ${n}</div></div>`)
    .join('');
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Intranet - bestellingen</title>
<link rel="stylesheet" href="${assets}/css/site.css">
</head><body>
<header><h1 id="title">Bestellingen</h1></header>
<div class="grid">${cards}<div class="card"><img id="private" src="/private/badge.png" alt="Alleen ingelogd"><div>Alleen ingelogd</div></div></div>
<div class="row">
  <canvas id="chart" width="320" height="160" style="width:320px;height:160px;background:#fff;border:1px solid #999"></canvas>
  <fx-alert id="alert">Levering vertraagd</fx-alert>
  <iframe id="widget" src="${assets}/widget.html" width="300" height="120" style="border:0"></iframe>
</div>
<div class="row"><label>Naam <input id="name" value=""></label></div>
<script>
  // The chart: bars that change a few times, then stand still.
  const chart = document.getElementById('chart').getContext('2d');
  let step = 0;
  function draw() {
    chart.fillStyle = '#fff'; chart.fillRect(0, 0, 320, 160);
    for (let i = 0; i < 8; i++) {
      const h = 20 + ((i * 37 + step * 23) % 120);
      chart.fillStyle = i % 2 ? '#21433a' : '#c9a227';
      chart.fillRect(12 + i * 38, 150 - h, 28, h);
    }
    document.getElementById('chart').dataset.step = String(step);
  }
  draw();
  const timer = setInterval(() => { step++; draw(); if (step >= 5) clearInterval(timer); }, 400);
  // A web component styled only through constructable stylesheets, in its shadow root and the document.
  const inner = new CSSStyleSheet();
  inner.replaceSync(':host { display: inline-block; } .box { border: 4px solid #b3261e; border-radius: 6px; padding: 12px 16px; background: #fdecea; color: #b3261e; font-weight: bold; }');
  customElements.define('fx-alert', class extends HTMLElement {
    constructor() { super(); const root = this.attachShadow({ mode: 'open' }); root.adoptedStyleSheets = [inner]; root.innerHTML = '<div class="box"><slot></slot></div>'; }
  });
  const outer = new CSSStyleSheet();
  outer.replaceSync('fx-alert { margin-top: 8px; }');
  document.adoptedStyleSheets = [outer];
</script>
</body></html>`;
}

const widgetHtml = `<!doctype html><html><body style="margin:0;background:#1a1f71;color:#fff;font:16px sans-serif">
<div style="padding:12px">Betaalwidget van een andere partij<br><input value="4111 1111 1111 1111"></div></body></html>`;

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

export async function startFidelitySite(): Promise<FidelitySite> {
  const requests: SiteRequest[] = [];
  let assetOrigin = '';
  const paper = photo(99, 32, 32);
  const assets = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({ origin: 'assets', path: url.pathname, cookie: req.headers.cookie });
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('cache-control', 'no-store');
    const photoMatch = /^\/img\/photo-(\d+)\.png$/.exec(url.pathname);
    if (url.pathname === '/css/site.css') res.setHeader('content-type', 'text/css').end(css);
    else if (url.pathname === '/font/fixture-mono.ttf') res.setHeader('content-type', 'font/ttf').end(FONT);
    else if (url.pathname === '/img/paper.png') res.setHeader('content-type', 'image/png').end(paper);
    else if (photoMatch) res.setHeader('content-type', 'image/png').end(photo(Number(photoMatch[1])));
    else if (url.pathname === '/widget.html') res.setHeader('content-type', 'text/html; charset=utf-8').end(widgetHtml);
    else res.writeHead(404).end();
  });
  const page = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({ origin: 'page', path: url.pathname, cookie: req.headers.cookie });
    res.setHeader('cache-control', 'no-store');
    if (url.pathname === '/') {
      // The customer is signed in to their intranet.
      res.setHeader('set-cookie', `${LOGIN_COOKIE}; Path=/; HttpOnly; SameSite=Lax`);
      res.setHeader('content-type', 'text/html; charset=utf-8').end(pageHtml(assetOrigin));
    } else if (url.pathname === '/private/badge.png') {
      if (!req.headers.cookie?.includes(LOGIN_COOKIE)) res.writeHead(401).end();
      else res.setHeader('content-type', 'image/png').end(photo(7, 400, 300));
    } else res.writeHead(404).end();
  });
  assetOrigin = await listen(assets);
  const pageUrl = `${await listen(page)}/`;
  return {
    pageUrl,
    assetOrigin,
    requests,
    close: async () => {
      assets.closeAllConnections();
      page.closeAllConnections();
      await Promise.all([new Promise((r) => assets.close(r)), new Promise((r) => page.close(r))]);
    },
  };
}
