/**
 * Issue 5, "the customer decides too": one click hides a part of the page from the technician, the
 * customer sees what the technician cannot see (outlined on their own screen), and only the customer
 * can show a hidden part again. Checked on the wire and in the viewer, with the page trying to undo it.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Customer } from './support/customer';
import { poll, startStack, type Stack } from './support/stack';
import { ViewerPage } from './support/viewer-page';
import { decodeFrames, tapCustomerWire, tapViewerWire, viewerReplayText, type WireTap } from './support/privacy-wire';
import { clickUi, outlineBoxes, uiNodes } from './support/privacy-ui';

const SHOTS = path.resolve(process.env.MEEKIJK_SCREENSHOTS ?? 'test-results/privacy');
const HIDE = /^(Verberg iets|Hide something)$/;
const SHOW_AGAIN = /^(Toon weer|Show again)$/;
const OUTLINE = /^(Toon wat verborgen is|Show what is hidden)$/;

let stack: Stack;
let wire: WireTap;
const opened: Page[] = [];

beforeAll(async () => {
  stack = await startStack();
  wire = tapCustomerWire(stack.launched.browser, stack.launched.extension);
  await mkdir(SHOTS, { recursive: true });
});
afterEach(async () => {
  for (const page of opened.splice(0)) await page.close().catch(() => undefined);
});
afterAll(async () => {
  wire?.stop();
  await stack?.close();
});

type Dossier = { dossier: { setNotes(t: string): void; rerender(t: string): void; unhideAndShow(t: string): void; status(t: string): void } };
const dossier = (tab: Page, method: keyof Dossier['dossier'], text: string) =>
  tab.evaluate((m, t) => (window as unknown as Dossier).dossier[m as keyof Dossier['dossier']](t), method, text);

async function center(tab: Page, selector: string) {
  const box = await (await tab.$(selector))!.boundingBox();
  return { x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 };
}

describe('privacy: the customer hides what they want', () => {
  it('outlines what the technician cannot see, hides a part with one click, keeps it hidden, and only the customer shows it again', async () => {
    const viewer = await ViewerPage.open(stack.viewerBrowser, stack.serverUrl);
    await tapViewerWire(viewer.page);
    await viewer.page.reload();
    await viewer.ensureSignedIn();
    opened.push(viewer.page);
    const code = await viewer.startSession('T-HIDE');
    const customer = await Customer.open(stack.launched.browser, stack.launched.extension, `${stack.fixtures.url}/privacy/hide.html`);
    const tab = customer.tab;
    opened.push(tab);
    await tab.setViewport({ width: 1100, height: 700 });
    // A page script listens in on the extension's messages in its window (it can), to forge them later.
    await tab.evaluate(() =>
      window.addEventListener('meekijk:to-page', (e: Event) => {
        const data = JSON.parse(String((e as CustomEvent).detail)) as { channel?: string; token?: string } | null;
        if (data?.channel === 'meekijk:page' && data.token) (window as unknown as { sniffed: string }).sniffed = data.token;
      }),
    );
    await customer.joinWithCode(code);
    await viewer.waitForReplayText('#notes-text', (t) => t === 'ZZSNThideInitial0a1b');

    // At a glance: masked fields and text dashed, the site's blocked part hatched.
    await tab.bringToFront();
    const outlined = await poll('outline drawn', async () => {
      const boxes = await outlineBoxes(tab);
      return boxes.masked >= 4 && boxes.blocked >= 1 ? boxes : undefined;
    });
    expect(outlined.hidden).toBe(0);
    await tab.screenshot({ path: path.join(SHOTS, 'outline.png') });

    // One click on "hide something", then one click on the part (arrow up takes the whole card).
    await clickUi(tab, HIDE);
    const notes = await center(tab, '#notes-text');
    await tab.mouse.move(notes.x, notes.y);
    await tab.keyboard.press('ArrowUp');
    await tab.screenshot({ path: path.join(SHOTS, 'picking.png') });
    await tab.keyboard.press('Escape'); // changed my mind ...
    expect(await tab.$eval('#notes', (el) => el.hasAttribute('data-meekijk-hidden'))).toBe(false);
    await clickUi(tab, HIDE); // ... and back: the click itself hides
    const card = await center(tab, '#notes h2');
    await tab.mouse.click(card.x, card.y);
    expect(await tab.$eval('#notes h2', (el) => el.hasAttribute('data-meekijk-hidden'))).toBe(true);
    await clickUi(tab, /^(Alles weer tonen|Show everything again)$/); // start over, with the whole card
    await clickUi(tab, HIDE);
    await tab.mouse.move(notes.x, notes.y);
    await tab.keyboard.press('ArrowUp');
    await tab.keyboard.press('Enter');
    expect(await tab.$eval('#notes', (el) => el.hasAttribute('data-meekijk-hidden'))).toBe(true);
    await poll('the technician no longer sees the notes', async () => !(await viewerReplayText(viewer.page)).includes('ZZSNThideInitial0a1b'));
    expect(await viewer.replayText('#notes-text')).toBeNull(); // a placeholder of the same size instead
    await viewer.page.screenshot({ path: path.join(SHOTS, 'viewer-hidden.png') });
    await poll('hidden part outlined', async () => ((await outlineBoxes(tab)).hidden === 1 ? true : undefined));
    await tab.screenshot({ path: path.join(SHOTS, 'hidden.png') });

    // The page goes on changing the hidden part, re-renders it, and tries to take the hiding away.
    const secrets = ['ZZSNThideChanged1c2d', 'ZZSNThideRerendered3e4f', 'ZZSNThideUnhidden5a6b', 'ZZSNThideForged7c8d'];
    await dossier(tab, 'setNotes', secrets[0]!);
    await dossier(tab, 'status', 'een');
    await viewer.waitForReplayText('#status', (t) => t === 'een');
    await dossier(tab, 'rerender', secrets[1]!);
    await dossier(tab, 'status', 'twee');
    await viewer.waitForReplayText('#status', (t) => t === 'twee');
    await dossier(tab, 'unhideAndShow', secrets[2]!);
    await dossier(tab, 'status', 'drie');
    await viewer.waitForReplayText('#status', (t) => t === 'drie');
    // It forges the extension's own message: "nothing is hidden" (the recorder starts over without selectors).
    expect(await tab.evaluate(() => typeof (window as unknown as { sniffed?: string }).sniffed)).toBe('string');
    await tab.evaluate((secret) => {
      const token = (window as unknown as { sniffed: string }).sniffed;
      window.dispatchEvent(new CustomEvent('meekijk:to-page', { detail: JSON.stringify({ channel: 'meekijk:page', type: 'hide', token, selectors: [] }) }));
      setTimeout(() => {
        document.getElementById('notes-text')!.textContent = secret;
        document.getElementById('status')!.textContent = 'vier';
      }, 300);
    }, secrets[3]!);
    await viewer.waitForReplayText('#status', (t) => t === 'vier');
    await new Promise((r) => setTimeout(r, 500));
    expect(await tab.$eval('#notes', (el) => el.hasAttribute('data-meekijk-hidden'))).toBe(true);
    const { messages } = decodeFrames(await wire.sent());
    const decoded = messages.join('\n');
    for (const secret of secrets) expect(decoded, secret).not.toContain(secret);
    const replay = await viewerReplayText(viewer.page);
    for (const secret of ['ZZSNThideInitial0a1b', ...secrets]) expect(replay, secret).not.toContain(secret);

    // Only the customer shows it again: a real click on "show again" on their own screen.
    await dossier(tab, 'setNotes', 'weer zichtbaar');
    await poll('hidden part still outlined', async () => ((await outlineBoxes(tab)).hidden === 1 ? true : undefined));
    await clickUi(tab, SHOW_AGAIN);
    await viewer.waitForReplayText('#notes-text', (t) => t === 'weer zichtbaar');
    expect(await tab.$eval('#notes', (el) => el.hasAttribute('data-meekijk-hidden'))).toBe(false);

    // The outline can be switched off, and on.
    await clickUi(tab, OUTLINE);
    await poll('outline off', async () => ((await outlineBoxes(tab)).masked === 0 ? true : undefined));
    await clickUi(tab, OUTLINE);
    await poll('outline on', async () => ((await outlineBoxes(tab)).masked > 0 ? true : undefined));

    // When the session ends, nothing of ours stays in the page.
    await viewer.endSession();
    await customer.waitForPhase('ended');
    await poll('our UI removed', async () => ((await uiNodes(tab)).length === 0 ? true : undefined));
    expect(await tab.$$eval('[data-meekijk-hidden]', (els) => els.length)).toBe(0);
  });
});
