/**
 * Issue 20, the technician's side, end to end: the replay loads nothing from any origin but the viewer's
 * own. The customer's tab shows a plain-http page whose stylesheet, font and images come from its own
 * origin; on top, the test plays a modified (hostile) extension and puts raw http/https/relative URLs in
 * every place the replay could load one, straight into the viewer's data channel. Every request the
 * viewer's page makes is recorded with CDP: none goes to another origin, and the replay's frame makes no
 * network request at all. A token whose asset arrives after the events shows the image once it arrives;
 * a missing asset and one whose bytes do not match their hash show the placeholder. The page's own photo
 * and background, sent by the customer's side as tokens and bytes, show from blob: URLs.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CDPSession, Protocol } from 'puppeteer-core';
import { encodeFrame } from '@/lib/protocol/frame';
import { MISSING_IMAGE } from '@/viewer/lib/assets/urls';
import { poll } from './support/stack';
import { useStack } from './support/suite';
import { RECEIVE_TAP, WireReader } from './support/control';
import { ViewerPage } from './support/viewer-page';
import { installChannelSpy } from './support/channel-spy';
import { Customer } from './support/customer';

const suite = useStack();
let nextId = 0x7100_0000;

/** Delivers one message to the viewer as if the customer's extension had sent it on the data channel. */
async function deliver(viewer: ViewerPage, message: unknown) {
  const frame = encodeFrame({ flags: 0, messageId: nextId++, index: 0, count: 1 }, new TextEncoder().encode(JSON.stringify(message)));
  await viewer.page.evaluate((bytes: number[]) => {
    const channel = ((window as unknown as { __channels?: RTCDataChannel[] }).__channels ?? []).find((c) => c.readyState === 'open');
    if (!channel) throw new Error('no open data channel');
    channel.dispatchEvent(new MessageEvent('message', { data: new Uint8Array(bytes).buffer }));
  }, [...frame]);
}

const attr = (viewer: ViewerPage, selector: string, name: string) =>
  viewer.page.evaluate(
    (sel, n) => document.querySelector<HTMLIFrameElement>('.stage iframe')?.contentDocument?.querySelector(sel)?.getAttribute(n) ?? null,
    selector,
    name,
  );

describe('replay with a hostile extension: the technician\'s browser contacts no one but the viewer', () => {
  it('makes no request to any other origin, with raw URLs from a hostile extension; a late asset appears', async () => {
    const { stack } = suite;
    const viewer = await ViewerPage.open(stack.viewerBrowser, stack.serverUrl);
    suite.opened.push(viewer.page);
    const requests: Protocol.Network.RequestWillBeSentEvent[] = [];
    const cdp: CDPSession = await viewer.page.createCDPSession();
    await cdp.send('Network.enable');
    cdp.on('Network.requestWillBeSent', (e) => requests.push(e));
    await installChannelSpy(viewer.page);
    await viewer.page.evaluateOnNewDocument(RECEIVE_TAP);
    await viewer.page.reload();
    await viewer.ensureSignedIn();
    const code = await viewer.startSession('T-assets');
    const customer = await Customer.open(stack.launched.browser, stack.launched.extension, `${stack.fixtures.url}/replay-assets.html`);
    suite.opened.push(customer.tab);
    await customer.joinWithCode(code);
    await viewer.waitForTab('sharing');
    await viewer.waitForReplayText('#title', (t) => t === 'Plaatjes');
    const body = await new WireReader(viewer.page).idOf('page-body');

    // The hostile extension: raw URLs in every place, to the customer's site, elsewhere and to our own API.
    const fixture = stack.fixtures.url;
    const el = (id: number, tagName: string, attributes: Record<string, string>, childNodes: unknown[] = [], isSVG = false) => ({ type: 2, id, tagName, attributes, childNodes, ...(isSVG ? { isSVG } : {}) });
    const nodes = [
      el(900001, 'img', { id: 'raw-http', src: `${fixture}/hostile-1.png`, srcset: `${fixture}/hostile-2.png 2x` }),
      el(900002, 'img', { id: 'raw-https', src: 'https://hostile.invalid/hostile-3.png' }),
      el(900003, 'img', { id: 'raw-api', src: '/api/sessions?hostile=4' }),
      el(900004, 'div', { id: 'raw-style', style: `background:u\\rl(//${new URL(fixture).host}/hostile-5.png)` }),
      el(900005, 'style', { _cssText: `@import url(${fixture}/hostile-6.css); .h { background: image-set("${fixture}/hostile-7.png" 1x) } @font-face { font-family: h; src: url(${fixture}/hostile-8.woff2) }` }),
      el(900006, 'iframe', { id: 'raw-frame', src: `${fixture}/page2.html` }),
      el(900007, 'link', { rel: 'preload', as: 'image', href: `${fixture}/hostile-9.png` }),
      el(900008, 'video', { poster: `${fixture}/hostile-10.png`, src: `${fixture}/hostile-11.mp4` }),
      el(900009, 'svg', { width: '20', height: '20' }, [el(900010, 'image', { href: `${fixture}/hostile-12.png`, width: '20', height: '20' }, [], true)], true),
      el(900011, 'img', { id: 'late', src: 'meekijk-asset:late1', width: '40', height: '30' }),
      el(900012, 'img', { id: 'gone', src: 'meekijk-asset:gone1', width: '40', height: '30' }),
      el(900013, 'img', { id: 'forged', src: 'meekijk-asset:forged1', width: '40', height: '30' }),
      el(900014, 'meta', { 'http-equiv': 'refresh', content: `0;url=${fixture}/hostile-13.html` }),
    ];
    await deliver(viewer, {
      type: 'events',
      events: [{ type: 3, timestamp: Date.now(), data: { source: 0, adds: nodes.map((node) => ({ parentId: body, nextId: null, node })), removes: [], texts: [], attributes: [] } }],
    });
    await poll('hostile nodes in the replay', async () => (await attr(viewer, '#late', 'src')) !== null);
    expect(await attr(viewer, '#late', 'src')).toMatch(/^data:image\/gif;base64,.*#meekijk-asset:late1$/);
    expect(await attr(viewer, '#raw-https', 'src')).toBe(MISSING_IMAGE);
    expect(await attr(viewer, '#raw-api', 'src')).toBe(MISSING_IMAGE);
    expect(await attr(viewer, '#raw-frame', 'src')).toBeNull();

    // The late asset: a real PNG (4 x 3), and two that will not come.
    const png = await viewer.page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 4;
      c.height = 3;
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = '#c0392b';
      ctx.fillRect(0, 0, 4, 3);
      return c.toDataURL('image/png').split(',')[1]!;
    });
    const hash = createHash('sha256').update(Buffer.from(png, 'base64')).digest('hex');
    await deliver(viewer, { type: 'asset', key: 'late1', hash, mime: 'image/png', data: png });
    await deliver(viewer, { type: 'asset', key: 'gone1', missing: 'unreadable' });
    await deliver(viewer, { type: 'asset', key: 'forged1', hash: createHash('sha256').update('other bytes').digest('hex'), mime: 'image/png', data: png });
    const late = await poll('the late image in the replay', () =>
      viewer.page.evaluate(() => {
        const img = document.querySelector<HTMLIFrameElement>('.stage iframe')?.contentDocument?.querySelector<HTMLImageElement>('#late');
        return img && img.complete && img.naturalWidth > 0 ? { src: img.src, width: img.naturalWidth, height: img.naturalHeight } : undefined;
      }),
    );
    expect(late.src).toMatch(new RegExp(`^blob:${new URL(stack.serverUrl).origin}/`));
    expect([late.width, late.height]).toEqual([4, 3]);
    await poll('placeholders', async () => (await attr(viewer, '#gone', 'src')) === MISSING_IMAGE && (await attr(viewer, '#forged', 'src')) === MISSING_IMAGE);

    // The customer's page's own images, as the customer's side sent them (tokens and bytes): shown from
    // blob: URLs of the viewer's origin (the photo by its src, the card by its stylesheet's background).
    const viewerBlob = `blob:${new URL(stack.serverUrl).origin}/`;
    const own = await poll('the page\'s own photo and card from blob: URLs', () =>
      viewer.page.evaluate(async () => {
        const doc = document.querySelector<HTMLIFrameElement>('.stage iframe')?.contentDocument;
        const img = doc?.querySelector<HTMLImageElement>('#photo');
        const card = doc?.querySelector('.card');
        const background = card ? getComputedStyle(card).backgroundImage : '';
        const src = img?.getAttribute('src') ?? '';
        if (!src.startsWith('blob:') || !background.includes('blob:')) return undefined;
        // The bytes behind the blob: URL are the customer's photo (80 x 60).
        const probe = new Image();
        probe.src = src;
        await probe.decode();
        return { src, srcset: img!.getAttribute('srcset') ?? '', width: probe.naturalWidth, background };
      }),
    );
    expect(own.src.startsWith(viewerBlob)).toBe(true);
    expect(own.srcset.startsWith(`${own.src} 1x, `)).toBe(true);
    expect(own.width).toBe(80);
    expect(own.background).toContain(viewerBlob);

    // A change to the customer's page still shows: the replay goes on.
    await customer.tab.evaluate(() => {
      document.getElementById('title')!.textContent = 'Plaatjes bijgewerkt';
    });
    await viewer.waitForReplayText('#title', (t) => t === 'Plaatjes bijgewerkt');
    await new Promise((r) => setTimeout(r, 500));

    const viewerOrigin = new URL(stack.serverUrl).origin;
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const network = requests.filter((r) => !/^(data|blob):/.test(r.request.url));
    const elsewhere = network.filter((r) => new URL(r.request.url).origin !== viewerOrigin);
    expect(elsewhere.map((r) => r.request.url)).toEqual([]);
    // The replay's frame itself asked the network for nothing, not even the viewer's origin.
    const fromReplay = network.filter((r) => r.frameId !== frameTree.frame.id);
    expect(fromReplay.map((r) => r.request.url)).toEqual([]);
    expect(network.some((r) => r.request.url.includes('hostile'))).toBe(false);
    // The recording did see the viewer's own requests (so it was listening).
    expect(network.some((r) => r.request.url.startsWith(`${viewerOrigin}/api/`))).toBe(true);
    await cdp.detach();
    await viewer.endSession();
  });
});
