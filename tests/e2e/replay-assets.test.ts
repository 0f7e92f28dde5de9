/**
 * Issue 20, the customer's side: the assets travel with the session. An http page whose stylesheet, web
 * font and images come from a second origin (which allows CORS), and an image that needs the customer's
 * cookie on the page's own origin. On the wire: every such URL in the events is a token, the stylesheet
 * that rrweb could not read travels as text, the bytes travel as asset messages whose hash is the sha-256
 * of the bytes sent (unscaled images byte for byte, the large photo scaled to its displayed size), a
 * blocked image is neither read nor sent, and a new connection (the viewer reloaded) gets the bytes again.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer } from './support/customer';
import { poll, startStack, type Stack } from './support/stack';
import { ViewerPage } from './support/viewer-page';
import { captureWire, decodeFrames, tapCustomerWire, tapViewerWire, type WireTap } from './support/privacy-wire';
import { photo } from './support/photo';
import { engineFromEnv } from './support/browser';

type Served = { path: string; dest: string; mode: string; cookie: string };

/** A tiny origin: `routes` by path; every request is logged with how the browser made it. */
async function origin(routes: (path: string, req: http.IncomingMessage) => { status?: number; type: string; body: Buffer | string; headers?: Record<string, string> } | undefined) {
  const log: Served[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    log.push({ path, dest: String(req.headers['sec-fetch-dest'] ?? ''), mode: String(req.headers['sec-fetch-mode'] ?? ''), cookie: String(req.headers.cookie ?? '') });
    const route = routes(path, req);
    if (!route) return void res.writeHead(404).end();
    // Nothing from the HTTP cache: every read shows up in the log.
    res.writeHead(route.status ?? 200, { 'content-type': route.type, 'cache-control': 'no-store', ...route.headers });
    res.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, log, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const pngWidth = (bytes: Buffer) => bytes.readUInt32BE(16);

// Unique per run: no shared prefixes (tests/e2e/support/sentinels.ts says why).
const BLOCKED = `blk${randomBytes(8).toString('hex')}`;
const COOKIE = `ck${randomBytes(8).toString('hex')}`;
const CSS_MARKER = `imported${randomBytes(4).toString('hex')}`;

const PHOTO = photo(1, 800, 600, 40);
const SMALL = photo(2, 40, 40);
const HERO = photo(3, 200, 50);
const FAR = photo(4, 30, 30);
const ACCOUNT = photo(5, 32, 32);
// An SVG, so the sentinel is in its bytes as text: it would show in an asset's data if it were sent.
const BLOCKED_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><desc>${BLOCKED}</desc><rect width="20" height="20"/></svg>`;
const FONT = Buffer.concat([Buffer.from('wOF2'), randomBytes(600)]);

let stack: Stack;
let wire: WireTap;
let shop: Awaited<ReturnType<typeof origin>>;
let cdn: Awaited<ReturnType<typeof origin>>;
const opened: Page[] = [];

beforeAll(async () => {
  cdn = await origin((path) => {
    const cors = { 'access-control-allow-origin': shop.url };
    const files: Record<string, [string, Buffer | string]> = {
      '/css/site.css': ['text/css', `@import url("extra.css");\n@font-face{font-family:Shopfont;src:url(../fonts/shop.woff2) format("woff2")}\nbody{font-family:Shopfont,sans-serif}\n.hero{width:200px;height:50px;background:url('../img/hero.png')}`],
      '/css/extra.css': ['text/css', `.${CSS_MARKER}{color:rgb(1,2,3)}`],
      '/fonts/shop.woff2': ['font/woff2', FONT],
      '/img/photo.png': ['image/png', PHOTO],
      '/img/small.png': ['image/png', SMALL],
      '/img/hero.png': ['image/png', HERO],
      '/img/far.png': ['image/png', FAR],
    };
    const file = files[path];
    return file && { type: file[0], body: file[1], headers: cors };
  });
  shop = await origin((path, req) => {
    if (path === '/shop.html') {
      // ?csp=1: a page that allows its images but no fetch() at all.
      const csp: Record<string, string> = new URL(req.url ?? '/', 'http://x').searchParams.get('csp') ? { 'content-security-policy': "connect-src 'none'" } : {};
      return {
        type: 'text/html; charset=utf-8',
        headers: { 'set-cookie': `shopsession=${COOKIE}; Path=/; SameSite=Lax`, ...csp },
        body: `<!doctype html><html><head><meta charset="utf-8"><title>Winkel</title>
<link rel="stylesheet" href="${cdn.url}/css/site.css"></head><body style="margin:0">
<h1 class="brand">Winkel</h1>
<img id="photo" src="${cdn.url}/img/photo.png" width="100" height="75">
<img id="small" src="${cdn.url}/img/small.png" width="40" height="40">
<img id="account" src="/private/account.png" width="32" height="32">
<div data-meekijk-block><img id="blocked" src="/blocked/${BLOCKED}.svg"></div>
<div class="hero"></div>
<img id="far" src="${cdn.url}/img/far.png" width="30" height="30" style="margin-top:4000px">
</body></html>`,
      };
    }
    // Only with the customer's cookie: a login-only image.
    if (path === '/private/account.png') return String(req.headers.cookie).includes(COOKIE) ? { type: 'image/png', body: ACCOUNT } : { status: 403, type: 'text/plain', body: 'login first' };
    if (path === `/blocked/${BLOCKED}.svg`) return { type: 'image/svg+xml', body: BLOCKED_SVG };
    return undefined;
  });
  stack = await startStack();
  wire = tapCustomerWire(stack.launched.browser, stack.launched.extension);
});
afterAll(async () => {
  for (const page of opened) await page.close().catch(() => undefined);
  wire?.stop();
  await stack?.close();
  await shop?.close();
  await cdn?.close();
});

type Node = { id: number; tagName?: string; attributes?: Record<string, unknown>; childNodes?: Node[] };
type Asset = { type: 'asset'; key: string; hash?: string; mime?: string; data?: string; missing?: string };

function parse(messages: string[]) {
  const parsed = messages.map((m) => JSON.parse(m) as { type: string; events?: Array<{ type: number; data: { node?: Node } }> });
  const events = parsed.filter((m) => m.type === 'events');
  const assets = parsed.filter((m): m is Asset & { type: 'asset' } => m.type === 'asset') as unknown as Asset[];
  const snapshots = events.flatMap((m) => m.events ?? []).filter((e) => e.type === 2).map((e) => e.data.node!);
  return { events, assets, snapshots };
}

/** A new session on the shop page at `path`, the viewer in front with the replay up. */
async function share(path: string, ticket: string): Promise<{ viewer: ViewerPage; customer: Customer }> {
  const viewer = await ViewerPage.open(stack.viewerBrowser, stack.serverUrl);
  opened.push(viewer.page);
  await tapViewerWire(viewer.page);
  await viewer.page.reload();
  await viewer.ensureSignedIn();
  const code = await viewer.startSession(ticket);
  const customer = await Customer.open(stack.launched.browser, stack.launched.extension, `${shop.url}${path}`);
  opened.push(customer.tab);
  await customer.tab.setViewport({ width: 1000, height: 700 });
  await customer.joinWithCode(code);
  await viewer.page.bringToFront();
  await viewer.waitForReplayText('.brand', (t) => t === 'Winkel');
  return { viewer, customer };
}

function findElement(node: Node, id: string): Node | undefined {
  if (node.attributes?.id === id) return node;
  for (const child of node.childNodes ?? []) {
    const found = findElement(child, id);
    if (found) return found;
  }
  return undefined;
}

const keyOf = (value: unknown) => /^meekijk-asset:([A-Za-z0-9_-]+)$/.exec(String(value))?.[1];

describe('replay assets: the customer side', () => {
  it('sends a second origin’s stylesheet, font and images and a cookie-only image as tokens and bytes, never a blocked one', async () => {
    const { viewer, customer } = await share('/shop.html', 'T-ASSETS');

    // Everything we expect arrives, the lazy one below the fold included.
    const wanted = [sha(SMALL), sha(ACCOUNT), sha(HERO), sha(FAR), sha(FONT)];
    await poll('every asset on the wire', async () => {
      const { assets } = parse(decodeFrames(await wire.sent()).messages);
      const hashes = new Set(assets.map((a) => a.hash));
      return wanted.every((h) => hashes.has(h)) && assets.filter((a) => a.data).length >= 6;
    }, 30_000, 500);
    // The viewer (viewer/lib/assets) shows them from its own origin: the replayed image is loaded, at its size.
    const shown = await poll('the replayed image loaded from the viewer’s own origin', () =>
      viewer.page.evaluate(() => {
        const img = document.querySelector<HTMLIFrameElement>('.stage iframe')?.contentDocument?.querySelector<HTMLImageElement>('#small');
        return img?.complete && img.naturalWidth > 0 ? { src: img.src.slice(0, 5), width: img.naturalWidth } : undefined;
      }),
    );
    expect(shown).toEqual({ src: 'blob:', width: 40 });
    // Then all of it, checked to be exactly what the viewer received.
    const captured = await captureWire(wire, viewer.page);
    const { events, assets, snapshots } = parse(captured.messages);
    const eventsJson = JSON.stringify(events);

    // No URL of either origin in anything the replay would load; nothing of the asset origin at all.
    expect(eventsJson).not.toContain(cdn.url);
    const shopPort = new URL(shop.url).port;
    // The Meta event's href is the page's address (the viewer shows it; it loads nothing).
    const loadable = JSON.stringify(events.map((m) => m.events?.filter((e) => e.type !== 4)));
    const offenders = (pattern: RegExp) => [...loadable.matchAll(pattern)].map((m) => loadable.slice(Math.max(0, m.index - 80), m.index + 120));
    expect(offenders(new RegExp(`"(src|srcset|href|xlink:href|poster|background)":"(https?:)?//127\\.0\\.0\\.1:${shopPort}`, 'g'))).toEqual([]);
    expect(offenders(/url\(\\?["']?(https?:)?\/\//g)).toEqual([]);
    expect(offenders(/"src":"\//g)).toEqual([]);

    const snapshot = snapshots[0]!;
    const byKey = new Map(assets.filter((a) => a.data).map((a) => [a.key, a]));
    const bytesOf = (key: string | undefined) => {
      const asset = key ? byKey.get(key) : undefined;
      if (!asset?.data || !asset.hash) throw new Error(`no bytes for ${key}`);
      const bytes = Buffer.from(asset.data, 'base64');
      // The hash names exactly the bytes sent.
      expect(sha(bytes)).toBe(asset.hash);
      return { bytes, asset };
    };
    // Shown at its own size: byte for byte. The login-only image: read with the customer's cookie.
    expect(bytesOf(keyOf(findElement(snapshot, 'small')?.attributes?.src)).bytes.equals(SMALL)).toBe(true);
    expect(bytesOf(keyOf(findElement(snapshot, 'account')?.attributes?.src)).bytes.equals(ACCOUNT)).toBe(true);
    // 800 x 600 shown at 100 x 75: scaled down; an opaque PNG may go as JPEG when that is smaller.
    const photo = bytesOf(keyOf(findElement(snapshot, 'photo')?.attributes?.src));
    expect(['image/png', 'image/jpeg']).toContain(photo.asset.mime);
    if (photo.asset.mime === 'image/png') expect(pngWidth(photo.bytes)).toBeLessThanOrEqual(Math.ceil(100 * 3 * 1.25));
    expect(photo.bytes.length).toBeLessThan(PHOTO.length / 10);

    // The stylesheet rrweb could not read (another origin) travels as text, its import inlined, its URLs tokens.
    expect(eventsJson).toContain(CSS_MARKER);
    expect(eventsJson).toMatch(/Shopfont/);
    const font = assets.find((a) => a.hash === sha(FONT) && a.data);
    expect(font?.mime).toBe('font/woff2');
    expect(eventsJson).toContain(`meekijk-asset:${font!.key}`);

    // The blocked image: neither in the events nor in any asset, and never read by the extension (only
    // by the page itself, as an image); the cookie image was read by the extension (mode cors), with the cookie.
    expect(captured.decoded).not.toContain(BLOCKED);
    for (const asset of assets) if (asset.data) expect(Buffer.from(asset.data, 'base64').toString('latin1')).not.toContain(BLOCKED);
    expect(shop.log.filter((r) => r.path.includes(BLOCKED) && r.mode === 'cors')).toEqual([]);
    expect(shop.log.filter((r) => r.path.includes(BLOCKED) && r.dest === 'image').length).toBeGreaterThan(0);
    expect(shop.log.some((r) => r.path === '/private/account.png' && r.mode === 'cors' && r.cookie.includes(COOKIE))).toBe(true);
    // Each hash's bytes once on this connection.
    const withData = assets.filter((a) => a.data).map((a) => a.hash);
    expect(new Set(withData).size).toBe(withData.length);
    console.log(`issue 20: ${assets.length} asset messages (${withData.length} with bytes, ${assets.filter((a) => a.missing).length} missing), ${captured.bytes.length} bytes on the wire; photo ${PHOTO.length} -> ${photo.bytes.length} bytes`);

    // The viewer reloads: a new connection, and the new snapshot's assets come again, with their bytes.
    await viewer.page.reload();
    await viewer.waitForLink('connected', 30_000);
    await viewer.page.bringToFront();
    await viewer.waitForReplayText('.brand', (t) => t === 'Winkel', 30_000);
    const smallKey = keyOf(findElement(snapshot, 'small')?.attributes?.src)!;
    const before = captured.frames.length;
    await poll('the small image and the font sent again to the new viewer', async () => {
      // The new connection starts a new deflate stream: its frames decode on their own.
      const frames = (await wire.sent()).slice(before);
      const start = frames.findIndex((f) => (f[1]! & 2) !== 0 && (f[1]! & 8) === 0);
      const again = parse(decodeFrames(frames.slice(Math.max(0, start))).messages).assets;
      // An image of the page, and the font of the stylesheet read with CORS.
      return (again.some((a) => a.key === smallKey && a.data && a.hash === sha(SMALL)) && again.some((a) => a.data && a.hash === sha(FONT))) || undefined;
    }, 30_000, 500);
    await viewer.endSession();
    await customer.waitForPhase('ended');
  });

  // Chromium only: in Firefox this case saw neither the images nor their `missing` within 30 s (open, see
  // docs/replay-assets.md), so it claims nothing there.
  it.skipIf(engineFromEnv('MEEKIJK_E2E_CUSTOMER') === 'firefox')('a page whose CSP forbids fetch() still gets its images sent (read by the tab script)', async () => {
    const sentBefore = (await wire.sent()).length;
    const { viewer, customer } = await share('/shop.html?csp=1', 'T-ASSETS-CSP');
    const frames = () => wire.sent().then((all) => all.slice(sentBefore));
    await poll('the cookie-only image under the page’s CSP', async () => {
      const all = await frames();
      const start = all.findIndex((f) => (f[1]! & 2) !== 0 && (f[1]! & 8) === 0);
      const { assets } = parse(decodeFrames(all.slice(Math.max(0, start))).messages);
      return assets.some((a) => a.hash === sha(ACCOUNT)) || undefined;
    }, 30_000, 500);
    const all = await frames();
    const { events } = parse(decodeFrames(all.slice(Math.max(0, all.findIndex((f) => (f[1]! & 2) !== 0 && (f[1]! & 8) === 0)))).messages);
    const json = JSON.stringify(events);
    // Whether or not the page world's CORS read of the stylesheet got through (docs/replay-assets.md), no URL
    // of the other origin is in the events.
    expect(json).not.toContain(cdn.url);
    await viewer.endSession();
    await customer.waitForPhase('ended');
  });
});
