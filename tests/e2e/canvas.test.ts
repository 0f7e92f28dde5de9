/**
 * Issue 20: a visible canvas (a chart) shows in the replay as pictures, about two a second while it
 * changes; a blocked canvas, and one far below the fold, are never read; a site rule turns pictures off.
 * Pixels compared with pixelmatch (at most 1 % of the chart's pixels differ).
 */
import { describe, expect, it } from 'vitest';
import pixelmatch from 'pixelmatch';
import type { Page } from 'puppeteer-core';
import { useStack } from './support/suite';
import { poll } from './support/stack';
import type { ViewerPage } from './support/viewer-page';
import { captureWire } from './support/privacy-wire';
import { CANVAS_PICTURE_TAG } from '@/lib/protocol/canvas';

// Pictures off for the fixtures' second host name only: the same pages, with and without the rule.
const suite = useStack({ MEEKIJK_SITE_RULES: JSON.stringify([{ sites: ['localhost'], canvas: false }]) });

const WIDTH = 300;
const HEIGHT = 150;

const customerPixels = (tab: Page): Promise<number[]> =>
  tab.evaluate((w, h) => Array.from(document.querySelector<HTMLCanvasElement>('#chart')!.getContext('2d')!.getImageData(0, 0, w, h).data), WIDTH, HEIGHT);
const replayPixels = (viewer: ViewerPage): Promise<number[] | null> =>
  viewer.page.evaluate((w, h) => {
    const canvas = document.querySelector<HTMLIFrameElement>('.stage iframe')?.contentDocument?.querySelector<HTMLCanvasElement>('#chart');
    if (!canvas || canvas.width !== w || canvas.height !== h) return null;
    return Array.from(canvas.getContext('2d')!.getImageData(0, 0, w, h).data);
  }, WIDTH, HEIGHT);

/** Pixels that differ between the customer's chart and the replay's. */
function differing(a: number[], b: number[]): number {
  return pixelmatch(new Uint8Array(a), new Uint8Array(b), undefined, WIDTH, HEIGHT, { threshold: 0.1 });
}

async function waitForSamePicture(viewer: ViewerPage, tab: Page, what: string): Promise<number> {
  const wanted = await customerPixels(tab);
  await viewer.page.bringToFront();
  let last = WIDTH * HEIGHT;
  try {
    return await poll(what, async () => {
      const got = await replayPixels(viewer);
      if (!got) return undefined;
      last = differing(wanted, got);
      return last <= WIDTH * HEIGHT * 0.01 ? last : undefined;
    }, 15_000);
  } catch (error) {
    throw new Error(`${String(error)}; ${last} of ${WIDTH * HEIGHT} pixels differ`);
  }
}

/** A session on the canvas page from `host`, the data channel tapped at both ends, the replay up. */
async function session(host: string) {
  const invited = await suite.inviteWithWire(`${suite.stack.fixtures.url.replace('127.0.0.1', host)}/canvas.html`);
  await invited.customer.joinWithCode(invited.code);
  await invited.viewer.waitForTab('sharing');
  await invited.viewer.waitForReplayText('#title', (t) => t === 'Omzet per maand');
  return invited;
}

/** The canvas ids named by picture events on the wire, one per picture. */
const pictureIds = (decoded: string): number[] =>
  [...decoded.matchAll(new RegExp(`"tag":"${CANVAS_PICTURE_TAG}","payload":\\{"id":(\\d+)`, 'g'))].map((m) => Number(m[1]));

describe('canvas pictures', () => {
  it('show the chart in the replay and follow its changes; blocked and off-screen canvases are never read', async () => {
    const { viewer, customer, wire } = await session('127.0.0.1');
    // The replay shows the customer's chart (not a blank canvas: the test compares a drawn one).
    expect((await customerPixels(customer.tab)).some((v, i) => i % 4 !== 3 && v < 200)).toBe(true);
    const first = await waitForSamePicture(viewer, customer.tab, 'the chart in the replay');
    await customer.tab.click('#next');
    const before = await replayPixels(viewer);
    const second = await waitForSamePicture(viewer, customer.tab, 'the changed chart in the replay');
    expect(differing(before!, (await replayPixels(viewer))!)).toBeGreaterThan(500);
    // Unchanged for 2 s after that: no more pictures (a fingerprint is read, nothing drawn or sent).
    await new Promise((r) => setTimeout(r, 2000));
    const { decoded, messages } = await captureWire(wire, viewer.page);
    const ids = pictureIds(decoded);
    const bytes = messages.filter((m) => m.startsWith('{"type":"asset"') && m.includes('"mime":"image/png"')).map((m) => Math.round(((JSON.parse(m) as { data: string }).data.length * 3) / 4));
    console.log(`issue 20 canvas: ${ids.length} pictures for 2 drawings (${bytes.join(', ')} bytes of PNG); ${first} and ${second} of ${WIDTH * HEIGHT} pixels differ`);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(ids.length).toBeLessThanOrEqual(3);
    expect(new Set(ids).size).toBe(1);
    const reads = (await customer.tab.evaluate(() => (window as unknown as { __reads: string[] }).__reads)) as string[];
    expect(reads).toContain('chart');
    expect(reads).not.toContain('secret');
    expect(reads).not.toContain('below');
    await viewer.endSession();
  });

  it('are not taken where a site rule turns them off', async () => {
    const { viewer, customer, wire } = await session('localhost');
    await customer.tab.click('#next');
    await new Promise((r) => setTimeout(r, 2500));
    await customer.tab.evaluate(() => document.body.append(Object.assign(document.createElement('p'), { id: 'done', textContent: 'klaar' })));
    await viewer.waitForReplayText('#done', (t) => t === 'klaar');
    const { decoded } = await captureWire(wire, viewer.page);
    expect(decoded).toContain('Omzet per maand');
    expect(pictureIds(decoded)).toEqual([]);
    expect(decoded).not.toContain(CANVAS_PICTURE_TAG);
    expect((await customer.tab.evaluate(() => (window as unknown as { __reads: string[] }).__reads)) as string[]).toEqual([]);
    await viewer.endSession();
  });
});
