/**
 * Issue 20: frames of another origin (payment widgets, embeds) show in the replay as a labelled box of
 * their size, in the technician's language, and nothing of them is recorded: neither their contents nor
 * their address (a random sentinel in both, looked for in every byte the customer's extension sent).
 * Frames of the page's own origin are replayed as before.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { useStack } from './support/suite';
import { poll } from './support/stack';
import type { ViewerPage } from './support/viewer-page';
import { captureWire } from './support/privacy-wire';
import { MESSAGES } from '@/viewer/lib/messages';
import { PLACEHOLDER_ATTRIBUTE } from '@/lib/protocol/placeholders';

const suite = useStack();
const sentinel = (name: string) => `ZZSNT${name}${randomBytes(5).toString('hex')}`;

/** A frame of the fixtures' other origin (localhost instead of 127.0.0.1), `s` in its address and text. */
async function addForeignFrame(tab: Page, origin: string, id: string, s: string, size: { width: number; height: number }) {
  await tab.evaluate(
    (src, id, size) => {
      const frame = document.createElement('iframe');
      frame.id = id;
      frame.src = src;
      frame.width = String(size.width);
      frame.height = String(size.height);
      frame.className = 'widget';
      document.getElementById('widgets')!.append(frame);
      return new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    },
    `${origin}/foreign.html?s=${s}`,
    id,
    size,
  );
}

/** The placeholders in the replay: their size and the label their ::before shows. */
async function replayPlaceholders(viewer: ViewerPage) {
  return viewer.page.evaluate((attribute) => {
    const doc = document.querySelector<HTMLIFrameElement>('.stage iframe')?.contentDocument;
    return [...(doc?.querySelectorAll(`[${attribute}]`) ?? [])].map((el) => {
      const box = el.getBoundingClientRect();
      return { id: el.id, tag: el.tagName, width: box.width, height: box.height, label: getComputedStyle(el, '::before').content };
    });
  }, PLACEHOLDER_ATTRIBUTE);
}

describe('frames of another origin', () => {
  it('are a labelled placeholder of their size in the replay, and nothing of them leaves the page', async () => {
    const other = suite.stack.fixtures.url.replace('127.0.0.1', 'localhost');
    const { viewer, customer, code, wire } = await suite.inviteWithWire('/frames.html');
    // One frame there before the session, one added while it runs (rrweb's mutation path).
    const before = sentinel('frameBefore');
    await addForeignFrame(customer.tab, other, 'pay', before, { width: 320, height: 140 });
    await customer.joinWithCode(code);
    await viewer.waitForTab('sharing');
    await viewer.waitForReplayText('#after', (t) => t === 'Na de frames');
    const during = sentinel('frameDuring');
    await addForeignFrame(customer.tab, other, 'map', during, { width: 200, height: 90 });
    // The customer's frames really show the other site (a test of an empty frame proves nothing).
    const shown = await Promise.all(customer.tab.frames().map((f) => f.evaluate(() => document.body?.textContent ?? '').catch(() => '')));
    expect(shown.join('\n')).toContain(before);
    expect(shown.join('\n')).toContain(during);

    const placeholders = await poll('both placeholders in the replay', async () => {
      const found = await replayPlaceholders(viewer);
      return found.length === 2 ? found : undefined;
    });
    const lang = (await viewer.page.evaluate(() => document.documentElement.lang)) as 'nl' | 'en';
    const label = JSON.stringify(MESSAGES[lang === 'en' ? 'en' : 'nl'].replayOtherSite);
    for (const id of ['pay', 'map']) {
      const boxOnPage = await customer.tab.$eval(`#${id}`, (el) => ({ width: el.getBoundingClientRect().width, height: el.getBoundingClientRect().height }));
      const placeholder = placeholders.find((p) => p.id === id);
      expect(placeholder, id).toMatchObject({ tag: 'DIV', label });
      expect(Math.abs(placeholder!.width - boxOnPage.width), `${id} width`).toBeLessThanOrEqual(1);
      expect(Math.abs(placeholder!.height - boxOnPage.height), `${id} height`).toBeLessThanOrEqual(1);
    }
    // The placeholders take the frames' place in the layout: what follows them is where it is on the page.
    const afterOnPage = await customer.tab.$eval('#after', (el) => el.getBoundingClientRect().top);
    const afterInReplay = await viewer.page.evaluate(
      () => document.querySelector<HTMLIFrameElement>('.stage iframe')?.contentDocument?.querySelector('#after')?.getBoundingClientRect().top ?? -1,
    );
    expect(Math.abs(afterInReplay - afterOnPage)).toBeLessThanOrEqual(1);
    // The frame of the page's own origin is replayed with its contents, as before.
    const ownText = await poll('own frame replayed', () =>
      viewer.page.evaluate(() => {
        const doc = document.querySelector<HTMLIFrameElement>('.stage iframe')?.contentDocument;
        const own = doc?.querySelector<HTMLIFrameElement>('#own')?.contentDocument;
        return own?.querySelector('#own-text')?.textContent ?? undefined;
      }),
    );
    expect(ownText).toBe('Tekst in een frame van dezelfde site');
    await viewer.page.screenshot({ path: 'test-results/foreign-frames-viewer.png' }).catch(() => undefined);

    // Nothing of the other site on the wire: not its text, not its address.
    const { decoded, bytes } = await captureWire(wire, viewer.page);
    expect(decoded).toContain('Na de frames');
    for (const s of [before, during]) {
      expect(decoded).not.toContain(s);
      expect(bytes.includes(Buffer.from(s))).toBe(false);
    }
    expect(decoded).not.toContain('foreign.html');
    expect(decoded).not.toContain('rr_src');
    await viewer.endSession();
  });
});
