/**
 * Replay fidelity on a plain-http site, and the technician's browser contacting no one (issue 20).
 *
 * The customer's page (tests/e2e/support/fidelity-site.ts) takes its stylesheet, web font and photos from a
 * second origin, a photo from its own origin behind the login cookie, draws a changing canvas chart, styles
 * a web component with adopted stylesheets, and embeds a third party's widget. The replay must look like
 * the customer's tab (at most 1 % of pixels differ, our own UI and what is meant to differ left out), and
 * every request the viewer page makes, in any of its frames, goes to the viewer's own origin.
 *
 * The canvas is compared as painted: a canvas in the script-less replay paints its fallback content, not
 * its bitmap, so the viewer shows pictures as its background (viewer/lib/replay-canvas.ts).
 *
 * The screenshots and the diff are saved in test-results/fidelity/ to look at.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { poll } from './support/stack';
import { useStack } from './support/suite';
import { startFidelitySite, type FidelitySite } from './support/fidelity-site';
import { comparePngs, type DiffResult, type Rect } from './support/pixel-diff';
import { Sentinels } from './support/sentinels';

const suite = useStack();
let site: FidelitySite;
beforeAll(async () => {
  site = await startFidelitySite();
});
afterAll(async () => {
  await site?.close();
});

const VIEWPORT = { width: 1000, height: 640 };
const MAX_DIFF = 0.01;
const SAVE_TO = path.resolve('test-results/fidelity');

/** Every URL the viewer page asks for, from any of its frames, as the DevTools protocol reports it. */
async function recordRequests(page: Page): Promise<string[]> {
  const urls: string[] = [];
  const cdp = await page.createCDPSession();
  cdp.on('Network.requestWillBeSent', (event) => urls.push(event.request.url));
  cdp.on('Network.webSocketCreated', (event) => urls.push(event.url));
  await cdp.send('Network.enable');
  return urls;
}

async function rectOf(tab: Page, selector: string, name: string): Promise<Rect> {
  const r = await tab.$eval(selector, (el) => {
    const b = el.getBoundingClientRect();
    return { x: b.x, y: b.y, width: b.width, height: b.height };
  });
  return { name, ...r };
}

describe('replay fidelity on an http site (issue 20)', () => {
  it('looks like the customer tab, and the viewer contacts no origin but its own', async () => {
    const { viewer, customer, code } = await suite.invite(site.pageUrl);
    const requests = await recordRequests(viewer.page);
    await customer.tab.setViewport(VIEWPORT);
    // The replay at its own size (scale 1): the stage is larger than the customer's viewport.
    await viewer.page.setViewport({ width: 1600, height: 1100 });
    await customer.tab.waitForFunction(() => (document.getElementById('private') as HTMLImageElement).naturalWidth > 0);
    await customer.tab.type('#name', new Sentinels().phrase());
    await customer.joinWithCode(code);
    await viewer.waitForTab('sharing');
    await viewer.waitForReplayText('#title', (t) => t === 'Bestellingen');
    await poll('the chart drew its last picture', async () => (await customer.tab.$eval('#chart', (el) => (el as HTMLElement).dataset['step'])) === '5');

    // Our own UI is not recorded (art. 1.1): it is left out of the customer's picture, as is the masked field.
    await customer.tab.addStyleTag({ content: 'meekijk-ui { display: none !important; }' });
    const leaveOut = [await rectOf(customer.tab, '#name', 'masked field')];
    const regions = [
      await rectOf(customer.tab, '#title', 'title (web font)'),
      await rectOf(customer.tab, '.card img', 'photo from the second origin'),
      await rectOf(customer.tab, '#private', 'photo behind the login cookie'),
      await rectOf(customer.tab, '#chart', 'canvas chart'),
      await rectOf(customer.tab, '#alert', 'web component (adopted stylesheets)'),
      await rectOf(customer.tab, '#widget', 'cross-origin iframe (placeholder)'),
    ];
    // The cross-origin widget is by design not shared: the replay shows a labelled placeholder instead.
    leaveOut.push(regions.at(-1)!);

    // The viewer's own drawing over the replay (rrweb's cursor) is ours too.
    await viewer.page.addStyleTag({ content: '.replayer-mouse, .replayer-mouse-tail { display: none !important; }' });
    const frame = await viewer.page.waitForSelector('.stage iframe');
    const shown = await frame!.evaluate((el) => ({ width: el.getBoundingClientRect().width, own: (el as HTMLIFrameElement).offsetWidth }));
    expect(shown.width, 'the replay is shown at scale 1').toBe(shown.own);

    let result: DiffResult | undefined;
    // The replay converges: late assets and the chart's last picture arrive after the snapshot.
    await poll(
      'the replay to match the customer tab',
      async () => {
        await viewer.page.bringToFront();
        const replay = Buffer.from(await frame!.screenshot({ clip: { x: 0, y: 0, ...VIEWPORT } as never }));
        const tab = Buffer.from(await customer.tab.screenshot({ clip: { x: 0, y: 0, ...VIEWPORT } }));
        result = comparePngs(tab, replay, { leaveOut, regions, saveTo: SAVE_TO });
        return result.ratio <= MAX_DIFF;
      },
      30_000,
      1_000,
    ).catch(() => undefined);
    console.log(`[fidelity] ${JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 10_000) / 10_000 : v))}`);
    expect(result, 'the screenshots were compared').toBeDefined();
    expect(result!.ratio, `differing pixels; see ${SAVE_TO}`).toBeLessThanOrEqual(MAX_DIFF);
    // Each feature's own box too, where both screens come from one engine: a Firefox customer's text is
    // drawn by another rasteriser than the Chromium viewer's (same layout, other anti-aliasing), which in
    // a small box of bold text is up to 10 % of its pixels.
    for (const [name, ratio] of Object.entries(result!.regions)) {
      if (name.startsWith('cross-origin') || suite.stack.launched.extension.engine !== 'chromium') continue;
      expect(ratio, `${name}: differing pixels in its box`).toBeLessThanOrEqual(0.05);
    }

    const viewerOrigin = new URL(suite.stack.serverUrl).origin;
    const foreign = requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== viewerOrigin);
    expect(foreign, 'requests from the viewer page to other origins').toEqual([]);
    expect(viewer.page.frames().map((f) => f.url()).filter((u) => u !== 'about:blank' && new URL(u).origin !== viewerOrigin)).toEqual([]);
    await viewer.endSession();
  });
});
