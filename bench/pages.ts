/**
 * The customer's pages the benchmark drives, generated deterministically (same bytes every run) and served
 * from their own 127.0.0.1 origin. Every page carries the same small bench runtime (bench/page-runtime.ts)
 * whether it is recorded or not, so the runs with and without Meekijk differ only by the recorder.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PAGE_RUNTIME } from './page-runtime';
import { photo, prng } from '@/tests/e2e/support/photo';

const WORDS = (
  'printer inkt papier kabel adapter laptop scherm toetsenbord muis koptelefoon lader accu tas hoes houder ' +
  'snel stil zwart wit grijs blauw compact draadloos ergonomisch duurzaam licht zwaar klein groot nieuw ' +
  'geschikt voor thuis kantoor reizen studie gebruik met zonder extra lange garantie levering morgen gratis ' +
  'retour binnen dagen bestellen voorraad beperkt aanbieding korting prijs model serie versie'
).split(' ');

function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!);
  const s = out.join(' ');
  return s[0]!.toUpperCase() + s.slice(1);
}

export const BASE_CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2430;background:#f6f7f9}
header.top{display:flex;align-items:center;gap:24px;padding:12px 32px;background:#123c69;color:#fff;position:sticky;top:0;z-index:5}
header.top .logo{font-weight:700;font-size:20px;letter-spacing:.5px}header.top nav{display:flex;gap:8px}
.menu{position:relative}.menu>button{background:none;border:0;color:#fff;font:inherit;padding:8px 12px;border-radius:6px;cursor:pointer}
.menu>button:hover,.menu.open>button{background:rgba(255,255,255,.15)}
.menu .dropdown{display:none;position:absolute;left:0;top:100%;min-width:220px;background:#fff;color:#1d2430;border-radius:8px;box-shadow:0 8px 24px rgba(0,0,0,.18);padding:6px 0;list-style:none;margin:4px 0 0}
.menu.open .dropdown{display:block}.dropdown li a{display:block;padding:8px 16px;color:inherit;text-decoration:none}.dropdown li a:hover{background:#eef3f8}
.search{margin-left:auto;position:relative}.search input{width:280px;padding:8px 12px;border-radius:6px;border:0}
.suggest{position:absolute;top:100%;left:0;right:0;background:#fff;color:#1d2430;list-style:none;margin:4px 0 0;padding:4px 0;border-radius:6px;box-shadow:0 8px 24px rgba(0,0,0,.18)}
.suggest:empty{display:none}.suggest li{padding:6px 12px}
main.page{display:grid;grid-template-columns:240px 1fr;gap:24px;max-width:1200px;margin:24px auto;padding:0 24px}
aside.filters{background:#fff;border-radius:10px;padding:16px}aside.filters h3{margin:8px 0;font-size:15px}aside.filters label{display:block;padding:3px 0}
.grid{display:grid;grid-template-columns:repeat(3,1fr);gap:16px;list-style:none;padding:0;margin:0}
.item{background:#fff;border-radius:10px;padding:14px;box-shadow:0 1px 3px rgba(0,0,0,.08)}.item a{color:#123c69;text-decoration:none;display:flex;justify-content:space-between}
.item .name{font-weight:600}.item .price{color:#0a7d38;font-weight:600}.item .desc{color:#5a6473;margin:8px 0}
.item .meta{display:flex;gap:8px;align-items:center;font-size:13px;color:#5a6473}.item button{margin-left:auto;background:#f0b429;border:0;border-radius:6px;padding:6px 10px;cursor:pointer}
section.card{background:#fff;border-radius:10px;padding:20px;margin-bottom:20px}section.card h2{margin-top:0}
form.account{display:grid;grid-template-columns:1fr 1fr;gap:12px 20px}form.account label{display:flex;flex-direction:column;gap:4px;font-size:13px;color:#5a6473}
form.account input,form.account select,form.account textarea{font:inherit;padding:8px 10px;border:1px solid #cfd6df;border-radius:6px}
details{border-top:1px solid #e3e7ec;padding:10px 0}summary{cursor:pointer;font-weight:600}
table.orders{width:100%;border-collapse:collapse}table.orders th,table.orders td{text-align:left;padding:8px;border-bottom:1px solid #e3e7ec}
footer.bottom{background:#1d2430;color:#c9d1db;padding:24px 32px;display:grid;grid-template-columns:repeat(4,1fr);gap:16px}footer.bottom a{color:#c9d1db}
.status{padding:6px 12px;background:#eef3f8;border-radius:6px;font-variant-numeric:tabular-nums}
table.ticker{border-collapse:collapse;font-variant-numeric:tabular-nums}table.ticker td{padding:4px 10px;border:1px solid #e3e7ec;text-align:right;min-width:72px}
`;

function shell(title: string, body: string, extraHead = ''): string {
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="/shop.css">${extraHead}<script>${PAGE_RUNTIME}</script></head><body>${body}</body></html>`;
}

const MENUS: Array<[string, string[]]> = [
  ['Producten', ['Printers', 'Inkt en toner', 'Papier', 'Laptops', 'Schermen', 'Accessoires', 'Aanbiedingen']],
  ['Service', ['Contact', 'Retourneren', 'Garantie', 'Reparatie', 'Veelgestelde vragen']],
  ['Zakelijk', ['Zakelijk account', 'Offerte aanvragen', 'Facturen', 'Inkoopvoorwaarden']],
  ['Account', ['Mijn gegevens', 'Mijn bestellingen', 'Verlanglijst', 'Uitloggen']],
];

function header(): string {
  const menus = MENUS.map(
    ([name, items], i) =>
      `<div class="menu" id="menu-${i}"><button type="button" aria-expanded="false">${name}</button><ul class="dropdown">${items
        .map((item) => `<li><a href="#${item.toLowerCase().replace(/\W+/g, '-')}">${item}</a></li>`)
        .join('')}</ul></div>`,
  ).join('');
  return `<header class="top"><span class="logo">Kantoorwinkel</span><nav>${menus}</nav><div class="search"><input id="search" type="search" placeholder="Zoeken" autocomplete="off"><ul class="suggest" id="suggest"></ul></div></header>`;
}

function footer(rand: () => number): string {
  const cols = ['Klantenservice', 'Over ons', 'Betalen', 'Volg ons'].map(
    (h) => `<div><h4>${h}</h4><ul>${Array.from({ length: 5 }, () => `<li><a href="#">${sentence(rand, 2)}</a></li>`).join('')}</ul></div>`,
  );
  return `<footer class="bottom" id="bench-end">${cols.join('')}</footer>`;
}

/** One product card: 9 elements. */
function item(rand: () => number, i: number): string {
  const price = (5 + rand() * 400).toFixed(2).replace('.', ',');
  return `<li class="item"><a href="#p${i}"><span class="name">${sentence(rand, 2)}</span><span class="price">€ ${price}</span></a><p class="desc">${sentence(rand, 9)}.</p><div class="meta"><span>Art. ${100000 + i}</span><span>${rand() > 0.3 ? 'Op voorraad' : 'Levertijd 3 dagen'}</span><button type="button">In winkelwagen</button></div></li>`;
}

/** Script that makes the header live: menus, search suggestions. Every visible reaction marks a probe. */
const SHOP_SCRIPT = `<script>(function(){
  const b = window.__bench;
  document.querySelectorAll('.menu > button').forEach((button) => button.addEventListener('click', (e) => {
    e.stopPropagation();
    const menu = button.parentElement;
    const open = !menu.classList.contains('open');
    document.querySelectorAll('.menu.open').forEach((m) => { if (m !== menu) { m.classList.remove('open'); m.firstChild.setAttribute('aria-expanded', 'false'); } });
    menu.classList.toggle('open', open);
    button.setAttribute('aria-expanded', String(open));
    b.mark(menu);
  }));
  document.addEventListener('click', () => document.querySelectorAll('.menu.open').forEach((m) => { m.classList.remove('open'); m.firstChild.setAttribute('aria-expanded', 'false'); b.mark(m); }));
  const words = ${JSON.stringify(WORDS)};
  const search = document.getElementById('search');
  const suggest = document.getElementById('suggest');
  search && search.addEventListener('input', () => {
    const q = search.value.toLowerCase();
    const hits = q ? words.filter((w) => w.startsWith(q.slice(0, 2)) || w.includes(q)).slice(0, 6) : [];
    suggest.replaceChildren(...hits.map((w) => { const li = document.createElement('li'); li.textContent = w + ' (' + (3 + (w.length * 7) % 40) + ')'; return li; }));
    b.mark(suggest);
  });
  document.querySelectorAll('details').forEach((d) => d.addEventListener('toggle', () => b.mark(d)));
  document.querySelectorAll('textarea').forEach((area) => {
    const counter = document.createElement('small');
    counter.textContent = '0/500 tekens';
    area.after(counter);
    area.addEventListener('input', () => { counter.textContent = area.value.length + '/500 tekens'; b.mark(counter); });
  });
})();</script>`;

/** The first page of the support session: a shop's account page (header menus, products, a form, FAQ). */
export function shopPage(): string {
  const rand = prng(11);
  const items = Array.from({ length: 36 }, (_, i) => item(rand, i)).join('');
  const filters = ['Merk', 'Prijs', 'Kleur', 'Beschikbaarheid']
    .map((h) => `<h3>${h}</h3>${Array.from({ length: 5 }, () => `<label><input type="checkbox"> ${sentence(rand, 2)}</label>`).join('')}`)
    .join('');
  const faq = Array.from({ length: 6 }, () => `<details><summary>${sentence(rand, 6)}?</summary><p>${sentence(rand, 40)}.</p></details>`).join('');
  const body = `${header()}<main class="page"><aside class="filters">${filters}</aside><div>
<section class="card"><h2 id="title">Mijn account</h2><p class="status" id="probe-status">Welkom terug</p>
<form class="account" id="account"><label>Naam <input id="name" name="name" autocomplete="off"></label><label>E-mail <input id="email" type="email" name="email" autocomplete="off"></label>
<label>Telefoon <input id="phone" type="tel" name="phone" autocomplete="off"></label><label>Wachtwoord <input id="password" type="password" name="password" autocomplete="off"></label>
<label>Straat en huisnummer <input id="street" name="street" autocomplete="off"></label><label>Postcode <input id="zip" name="zip" autocomplete="off"></label>
<label>Land <select id="country"><option>Nederland</option><option>België</option><option>Duitsland</option></select></label><label>Opmerking <textarea id="note" rows="2"></textarea></label></form>
<p><a id="next" href="/order.html">Naar mijn bestellingen</a></p></section>
<section class="card"><h2>Aanbevolen voor u</h2><ul class="grid">${items}</ul></section>
<section class="card"><h2>Veelgestelde vragen</h2>${faq}</section></div></main>${footer(rand)}${SHOP_SCRIPT}`;
  return shell('Kantoorwinkel - Mijn account', body);
}

/** The second page of the session: order history, same header, footer and stylesheet. */
export function orderPage(): string {
  const rand = prng(12);
  const rows = Array.from(
    { length: 30 },
    (_, i) => `<tr><td>KW-${240100 + i}</td><td>${sentence(rand, 3)}</td><td>${1 + (i % 28)}-${1 + (i % 12)}-2026</td><td>€ ${(10 + rand() * 300).toFixed(2).replace('.', ',')}</td><td>${rand() > 0.2 ? 'Bezorgd' : 'Onderweg'}</td></tr>`,
  ).join('');
  const faq = Array.from({ length: 4 }, () => `<details><summary>${sentence(rand, 5)}?</summary><p>${sentence(rand, 30)}.</p></details>`).join('');
  const body = `${header()}<main class="page"><aside class="filters"><h3>Periode</h3><label><input type="radio" name="p"> Dit jaar</label><label><input type="radio" name="p"> Vorig jaar</label></aside><div>
<section class="card"><h2 id="title">Mijn bestellingen</h2><p class="status" id="probe-status">30 bestellingen</p><table class="orders"><thead><tr><th>Nummer</th><th>Artikel</th><th>Datum</th><th>Bedrag</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table></section>
<section class="card"><h2>Vraag over een bestelling</h2><form class="account"><label>Bestelnummer <input id="order-no" autocomplete="off"></label><label>Uw vraag <textarea id="question" rows="3"></textarea></label></form></section>
<section class="card"><h2>Hulp</h2>${faq}</section></div></main>${footer(rand)}${SHOP_SCRIPT}`;
  return shell('Kantoorwinkel - Mijn bestellingen', body);
}

/** A page with about `elements` elements: the header plus product cards (9 elements each). */
export function nodesPage(elements: number): string {
  const rand = prng(elements);
  const cards = Math.max(1, Math.round((elements - 90) / 9));
  const items = Array.from({ length: cards }, (_, i) => item(rand, i)).join('');
  const body = `${header()}<main class="page"><aside class="filters"><p class="status" id="probe-status">Nog niet bijgewerkt</p></aside><div><section class="card"><h2 id="title">Alle producten</h2><ul class="grid">${items}</ul></section><p id="bench-end">einde</p></div></main>${SHOP_SCRIPT}`;
  return shell(`Kantoorwinkel - ${elements} elementen`, body);
}

/** A 10x20 price table; `__bench.startTicker()` updates 50 cells 20 times a second (one probe per tick). */
export function tickerPage(): string {
  const rand = prng(7);
  const rows = Array.from(
    { length: 20 },
    (_, r) => `<tr><th>${sentence(rand, 1)} ${r + 1}</th>${Array.from({ length: 10 }, () => `<td>${(rand() * 1000).toFixed(2)}</td>`).join('')}</tr>`,
  ).join('');
  const body = `${header()}<main class="page"><aside class="filters"><p class="status" id="probe-status">Koersen</p></aside><div><section class="card"><h2 id="title">Live koersen</h2><table class="ticker" id="ticker">${rows}</table></section><p id="bench-end">einde</p></div></main>${SHOP_SCRIPT}`;
  return shell('Kantoorwinkel - live koersen', body);
}

/** Twenty photos to send: a product list as shops have them (photos 640x480, shown at 240x180). */
export const PHOTO_COUNT = 20;
export function photosPage(): string {
  const rand = prng(20);
  const items = Array.from({ length: PHOTO_COUNT }, (_, i) => {
    const price = (5 + rand() * 400).toFixed(2).replace('.', ',');
    return `<li class="item"><img src="/photo/${i + 1}.png" width="240" height="180" alt="${sentence(rand, 2)}"><a href="#p${i}"><span class="name">${sentence(rand, 2)}</span><span class="price">€ ${price}</span></a></li>`;
  }).join('');
  const body = `${header()}<main class="page"><aside class="filters"><p class="status" id="probe-status">${PHOTO_COUNT} artikelen</p></aside><div><section class="card"><h2 id="title">Nieuw binnen</h2><ul class="grid">${items}</ul></section><p id="bench-end">einde</p></div></main>${SHOP_SCRIPT}`;
  return shell('Kantoorwinkel - nieuw binnen', body);
}

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  const cache = new Map<string, string>();
  const page = (key: string, make: () => string) => {
    let html = cache.get(key);
    if (html === undefined) cache.set(key, (html = make()));
    return html;
  };
  const photoCache = new Map<number, Buffer>();
  // With grain: a photo's fine noise is what makes it cost bytes, as a real one does.
  const photos = (n: number) => photoCache.get(n) ?? photoCache.set(n, photo(n, 640, 480, 24)).get(n)!;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let body: string | undefined;
    let type = 'text/html; charset=utf-8';
    if (url.pathname === '/shop.css') {
      body = BASE_CSS;
      type = 'text/css; charset=utf-8';
    } else if (url.pathname === '/shop.html') body = page('shop', shopPage);
    else if (url.pathname === '/order.html') body = page('order', orderPage);
    else if (url.pathname === '/ticker.html') body = page('ticker', tickerPage);
    else if (url.pathname === '/photos.html') body = page('photos', photosPage);
    else if (url.pathname === '/nodes.html') {
      const n = Math.min(200_000, Math.max(100, Number(url.searchParams.get('n') ?? 5000)));
      body = page(`nodes-${n}`, () => nodesPage(n));
    } else if (url.pathname === '/capture.html') {
      body = '<!doctype html><html><head><meta charset="utf-8"><title>capture</title></head><body><video id="remote" autoplay muted playsinline></video></body></html>';
    }
    const photoPath = /^\/photo\/(\d{1,2})\.png$/.exec(url.pathname);
    if (photoPath) {
      res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
      return void res.end(photos(Number(photoPath[1])));
    }
    if (body === undefined) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
