/**
 * Remote control after a second approval, and the technician's pointer (issue 6), in real Chromium with
 * the built extension, the real server and a real WebRTC link. The extension enforces control: a hostile
 * viewer (raw protocol messages on the data channel) is refused and logged, and the session stays up.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, poll, type Stack } from './support/stack';
import { ViewerPage } from './support/viewer-page';
import { FIREFOX_CUSTOMER } from './support/browser';
import { Customer } from './support/customer';
import { installChannelSpy } from './support/channel-spy';
import { ClosedUi, RECEIVE_TAP, sendAsViewer, WireReader } from './support/control';
import type { ControlEvent } from '@/lib/protocol/control';

/** Screenshots of the prompt and of the viewer in control, for a person to look at. */
const SHOTS = process.env['MEEKIJK_SHOTS'] ?? path.join(tmpdir(), 'meekijk-control-shots');
let stack: Stack;
const opened: Page[] = [];

beforeAll(async () => {
  stack = await startStack();
  mkdirSync(SHOTS, { recursive: true });
});
afterEach(async () => {
  for (const page of opened.splice(0)) await page.close().catch(() => undefined);
});
afterAll(async () => {
  await stack?.close();
});

interface Live {
  viewer: ViewerPage;
  customer: Customer;
  ui: ClosedUi;
  wire: WireReader;
  sessionId: string;
}

async function live(limits: Record<string, number> = {}, page = '/control.html'): Promise<Live> {
  const viewer = await ViewerPage.open(stack.viewerBrowser, stack.serverUrl);
  await installChannelSpy(viewer.page);
  await viewer.page.evaluateOnNewDocument(RECEIVE_TAP);
  await viewer.page.reload();
  await viewer.ensureSignedIn();
  const code = await viewer.startSession();
  const customer = await Customer.open(stack.launched.browser, stack.launched.extension, `${stack.fixtures.url}${page}`);
  opened.push(viewer.page, customer.tab);
  await customer.evaluate(`chrome.storage.local.set({ controlLimits: ${JSON.stringify(limits)} })`);
  await customer.joinWithCode(code);
  await viewer.waitForTab('sharing');
  await viewer.waitForReplayText('#title', (t) => t.length > 0);
  const sessionId = decodeURIComponent(viewer.page.url().split('#/session/')[1] ?? '');
  return { viewer, customer, ui: await ClosedUi.attach(customer.tab), wire: new WireReader(viewer.page), sessionId };
}

const controlState = (viewer: ViewerPage) => viewer.page.$eval('[data-testid=control-bar]', (el) => el.getAttribute('data-state')).catch(() => null);
const waitControl = (viewer: ViewerPage, state: string, timeoutMs = 15_000) =>
  poll(`viewer control state ${state}`, async () => (await controlState(viewer)) === state, timeoutMs);
const controlNote = (viewer: ViewerPage) => viewer.page.$eval('[data-testid=control-note]', (el) => el.getAttribute('data-reason')).catch(() => null);

async function request(s: Live) {
  await s.viewer.page.click('[data-testid=control-request]');
  await waitControl(s.viewer, 'requested');
  await poll('prompt in the customer tab', () => s.ui.center('allow'));
}

/** The customer allows with the keyboard: focus starts on Refuse, Tab to Allow, Enter. */
async function allowWithKeyboard(s: Live) {
  await s.customer.tab.bringToFront();
  await new Promise((r) => setTimeout(r, 700));
  await s.customer.tab.keyboard.press('Tab');
  await new Promise((r) => setTimeout(r, 700));
  await s.customer.tab.keyboard.press('Enter');
  await waitControl(s.viewer, 'granted');
}

/** A real (trusted) mouse click on one of our buttons inside a closed shadow root. */
async function clickClosed(s: Live, action: string) {
  const at = await poll(`${action} button`, () => s.ui.center(action));
  await s.customer.tab.bringToFront();
  await s.customer.tab.mouse.click(at.x, at.y);
}

async function history(customer: Customer, sessionId: string) {
  const stored = (await customer.evaluate('chrome.storage.local.get("history")')) as { history: Array<{ sessionId: string; controlGranted: boolean; control?: ControlEvent[] }> };
  return stored.history.find((h) => h.sessionId === sessionId);
}

const audit = (sessionId: string) =>
  stack.server.db.selectFrom('audit_events').select(['kind', 'detail', 'actor']).where('session_id', '=', sessionId).orderBy('id').execute();

const text = (tab: Page, selector: string) => tab.$eval(selector, (el) => el.textContent ?? '');

describe('remote control after a second approval', () => {
  it('asks in the tab; allowed with the keyboard, a viewer click runs on the customer page, recorded without content', async () => {
    const s = await live();
    await request(s);
    const prompt = await s.ui.html('card');
    expect(prompt).toContain('Sanne de Vries');
    expect(prompt).toContain('role="alertdialog"');
    await s.customer.tab.screenshot({ path: `${SHOTS}/customer-control-prompt.png` });
    await allowWithKeyboard(s);
    expect(await s.ui.center('allow')).toBeNull(); // the prompt is gone
    expect(await s.ui.center('take-back')).not.toBeNull(); // the indicator offers to take control back

    const clickedAt = await s.viewer.clickReplayed('#plus');
    // The viewer marks where the technician clicked (and its layout does not jump under the mouse).
    await s.viewer.page.waitForSelector('.click-marker');
    const marker = await s.viewer.page.$eval('.click-marker', (el) => {
      const r = el.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    expect(Math.abs(marker.x - clickedAt.x)).toBeLessThan(3);
    expect(Math.abs(marker.y - clickedAt.y)).toBeLessThan(3);
    await poll('the click ran', async () => (await text(s.customer.tab, '#count')) === '1');
    expect(await s.customer.tab.evaluate('window.__seen')).toEqual(['pointerover', 'pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']);
    const result = await poll('click result in the viewer', () =>
      s.viewer.page.$eval('[data-testid=click-result]', (el) => ({ ok: el.getAttribute('data-ok'), rtt: Number(el.getAttribute('data-rtt')), text: el.textContent })).catch(() => null),
    );
    expect(result.ok).toBe('true');
    expect(result.text).toContain('button');
    await s.viewer.waitForReplayText('#count', (t) => t === '1');
    await s.viewer.page.screenshot({ path: `${SHOTS}/viewer-in-control.png` });
    await s.viewer.page.mouse.move(200, 400); // the technician's cursor shows on the customer's page
    const cursor = await poll('technician cursor', async () => {
      const html = await s.ui.html('hand');
      return html?.includes('cursor') && html.includes(' on') ? html : undefined;
    });
    expect(cursor).toContain('Sanne de Vries');
    await s.customer.tab.screenshot({ path: `${SHOTS}/customer-in-control.png` });

    // Round trip of a technician click, measured at the viewer (send -> executed -> result).
    const rtts: number[] = [result.rtt];
    for (let i = 2; i <= 6; i++) {
      await s.viewer.clickReplayed('#plus');
      await poll(`click ${i}`, async () => (await text(s.customer.tab, '#count')) === String(i));
      await poll(`result ${i}`, async () => {
        const seq = await s.viewer.page.$eval('[data-testid=click-result]', (el) => Number(el.getAttribute('data-seq')));
        return seq === i ? true : undefined;
      });
      rtts.push(Number(await s.viewer.page.$eval('[data-testid=click-result]', (el) => el.getAttribute('data-rtt'))));
    }
    console.log(`click round trip (ms): ${rtts.join(', ')}; median ${[...rtts].sort((a, b) => a - b)[Math.floor(rtts.length / 2)]}`);

    await s.viewer.endSession();
    await s.customer.waitForPhase('ended');
    const entry = await poll('history entry', async () => {
      const h = await history(s.customer, s.sessionId);
      return h?.control?.some((e) => e.detail === 'session-ended') ? h : undefined;
    });
    expect(entry.controlGranted).toBe(true);
    expect(entry.control?.map((e) => e.kind)).toEqual(['requested', 'granted', 'click', 'click', 'click', 'click', 'click', 'click', 'revoked']);
    expect(entry.control?.find((e) => e.kind === 'click')?.detail).toBe('button role=button');
    const kinds = (await audit(s.sessionId)).map((a) => a.kind);
    // The server ended the session itself (the technician ended it there): its own 'ended' row closes the trail.
    expect(kinds).toEqual(expect.arrayContaining(['control-requested', 'control-granted', 'click-executed', 'ended']));
    expect(kinds.filter((k) => k === 'click-executed')).toHaveLength(6);
    // Described without content: no label text, no ids.
    expect(JSON.stringify(await audit(s.sessionId))).not.toMatch(/Eén erbij|plus/);
  });

  it('only a real user gesture answers: a page script cannot; the mouse can; the indicator and Esc take control back', async () => {
    const s = await live();
    await request(s);
    const allowAt = await s.ui.center('allow');
    const attempt = await s.customer.tab.evaluate(`(async () => {
      const hosts = [...document.querySelectorAll('meekijk-ui')];
      const open = hosts.filter((h) => h.shadowRoot !== null).length;
      for (const h of hosts) {
        h.click();
        h.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
        h.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
        h.focus && h.focus();
      }
      const under = document.elementFromPoint(${allowAt!.x}, ${allowAt!.y});
      under && under.click();
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }));
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      postMessage({ channel: 'meekijk:control', type: 'answer', allow: true }, '*');
      postMessage({ channel: 'meekijk:page', type: 'control-answer', allow: true }, '*');
      dispatchEvent(new CustomEvent('meekijk:from-page', { detail: JSON.stringify({ channel: 'meekijk:page', type: 'control-answer', allow: true }) }));
      await new Promise((r) => setTimeout(r, 1000));
      return { hosts: hosts.length, open, under: under && under.tagName, chrome: typeof chrome !== 'undefined' && !!(chrome.runtime && chrome.runtime.sendMessage) };
    })()`);
    expect(attempt).toMatchObject({ open: 0, under: 'MEEKIJK-UI', chrome: false });
    expect(await controlState(s.viewer)).toBe('requested');
    expect(await s.ui.center('allow')).not.toBeNull();

    await new Promise((r) => setTimeout(r, 300));
    await clickClosed(s, 'allow');
    await waitControl(s.viewer, 'granted');

    // A page script cannot take control back for the customer either (that would be harmless, but the
    // indicator's button counts trusted clicks only); the customer's own click does.
    await clickClosed(s, 'take-back');
    await waitControl(s.viewer, 'watching');
    expect(await controlNote(s.viewer)).toBe('revoked');
    // After taking back, a click is refused by the extension, whatever the viewer sends.
    await sendAsViewer(s.viewer.page, { type: 'click', seq: 500, id: await s.wire.idOf('plus'), x: 0.5, y: 0.5 });
    await poll('refusal logged', async () => (await history(s.customer, s.sessionId))?.control?.some((e) => e.kind === 'click-refused'));
    expect(await text(s.customer.tab, '#count')).toBe('0');

    // A new approval each time; Esc takes it back too.
    await request(s);
    await allowWithKeyboard(s);
    await s.customer.tab.keyboard.press('Escape');
    await waitControl(s.viewer, 'watching');
    expect(await controlNote(s.viewer)).toBe('revoked');
    const kinds = (await history(s.customer, s.sessionId))?.control?.map((e) => e.kind);
    expect(kinds).toEqual(['requested', 'granted', 'revoked', 'click-refused', 'requested', 'granted', 'revoked']);
    await s.viewer.endSession();
  });

  it('refuses a hostile viewer: clicks before approval, on unknown, stale and no-control nodes, after expiry; logs them; the session stays up', async () => {
    const s = await live({ grantMs: 6_000 });
    const ids = Object.fromEntries(await Promise.all(['plus', 'vanish', 'pay', 'inner', 'far'].map(async (d) => [d, await s.wire.idOf(d)] as const)));
    const plus = ids['plus']!;
    const click = (id: number, seq: number) => sendAsViewer(s.viewer.page, { type: 'click', seq, id, x: 0.5, y: 0.5 });
    await s.customer.tab.evaluate(`document.getElementById('vanish').remove()`);
    await poll('removal replayed', async () => (await s.viewer.page.evaluate(() => !document.querySelector<HTMLIFrameElement>('.stage iframe')?.contentDocument?.getElementById('vanish'))) || undefined);

    await click(plus, 1); // before any approval
    await sendAsViewer(s.viewer.page, { type: 'scroll', x: 0.5, y: 0.5, dx: 0, dy: 400 });
    await sendAsViewer(s.viewer.page, { type: 'control-answer', promptId: 'x'.repeat(20), allow: true }); // not a viewer message
    await poll('first refusal', async () => (await history(s.customer, s.sessionId))?.control?.length === 1);

    await request(s);
    await allowWithKeyboard(s);
    await click(987_654, 2); // never existed
    await click(ids['vanish']!, 3); // removed from the page
    await click(ids['pay']!, 4); // data-meekijk-no-control on the button
    await click(ids['inner']!, 5); // inside a data-meekijk-no-control zone
    await click(ids['far']!, 6); // allowed: far below, scrolled into view first
    await poll('far click ran', async () => (await text(s.customer.tab, '#log')) === 'onderaan geklikt');
    expect(await s.customer.tab.evaluate('window.scrollY')).toBeGreaterThan(500);

    await waitControl(s.viewer, 'watching', 15_000); // control expires after 6 s
    expect(await controlNote(s.viewer)).toBe('expired');
    await click(plus, 7); // after expiry

    const refused = await poll('all refusals recorded', async () => {
      const events = (await history(s.customer, s.sessionId))?.control ?? [];
      const list = events.filter((e) => e.kind === 'click-refused').map((e) => e.detail);
      return list.length >= 6 ? list : undefined;
    });
    // Clicks resolve in parallel in the page, so their results may come back in any order.
    expect(refused[0]).toBe('no-control');
    expect(refused.at(-1)).toBe('no-control');
    const middle = refused.slice(1, -1);
    expect(middle.filter((r) => r === 'no-control-zone')).toHaveLength(2);
    // The removed node: rrweb may have dropped its id (unknown) or still map it to the detached node (stale).
    expect(middle.filter((r) => r !== 'no-control-zone').sort()).toEqual(expect.arrayContaining(['unknown-node']));
    expect(middle.every((r) => ['no-control-zone', 'unknown-node', 'stale-node'].includes(r))).toBe(true);
    expect(await text(s.customer.tab, '#log')).toBe('onderaan geklikt'); // neither BETAALD nor REKENING GEWIJZIGD
    expect(await text(s.customer.tab, '#count')).toBe('0');
    await poll('audit trail', async () => (await audit(s.sessionId)).filter((a) => a.kind === 'click-refused').length === 6 || undefined);
    expect((await audit(s.sessionId)).map((a) => a.kind)).toEqual(expect.arrayContaining(['control-expired', 'click-executed']));
    expect((await audit(s.sessionId)).filter((a) => a.kind === 'click-refused').every((a) => a.actor === 'customer')).toBe(true);

    // The session is still up and still mirrors the page.
    expect(await s.viewer.linkState()).toBe('connected');
    expect((await s.customer.sessionState())?.phase).toBe('live');
    await s.customer.tab.evaluate(`document.getElementById('log').textContent = 'nog steeds live'`);
    await s.viewer.waitForReplayText('#log', (t) => t === 'nog steeds live');
    await s.viewer.endSession();
  });

  it('an unanswered prompt expires; refusing works; the technician can withdraw a request and give control back', async () => {
    const s = await live({ promptMs: 3_000, cooldownMs: 0 });
    await request(s);
    await waitControl(s.viewer, 'watching', 10_000);
    expect(await controlNote(s.viewer)).toBe('unanswered');
    expect(await s.ui.center('allow')).toBeNull();

    await request(s);
    await new Promise((r) => setTimeout(r, 700));
    await clickClosed(s, 'refuse');
    await waitControl(s.viewer, 'watching');
    expect(await controlNote(s.viewer)).toBe('refused');

    await request(s);
    await s.viewer.page.click('[data-testid=control-release]');
    await waitControl(s.viewer, 'watching');
    await poll('prompt withdrawn', async () => (await s.ui.center('allow')) === null || undefined);
    expect((await history(s.customer, s.sessionId))?.controlGranted).toBe(false);

    await request(s);
    await allowWithKeyboard(s);
    await s.viewer.page.click('[data-testid=control-release]');
    await waitControl(s.viewer, 'watching');
    expect(await controlNote(s.viewer)).toBe('released');
    await poll('indicator back to watching', async () => (await s.ui.center('take-back')) === null || undefined);
    const kinds = (await history(s.customer, s.sessionId))?.control?.map((e) => `${e.kind}:${e.detail}`);
    expect(kinds).toEqual([
      'requested:',
      'refused:unanswered',
      'requested:',
      'refused:customer',
      'requested:',
      'refused:technician',
      'requested:',
      'granted:minutes=10',
      'revoked:technician',
    ]);
    expect((await history(s.customer, s.sessionId))?.controlGranted).toBe(true);
    await s.viewer.endSession();
  });

  it('the technician scrolls; control carries over within the site and ends when the tab goes to another site', async () => {
    const s = await live();
    await request(s);
    await allowWithKeyboard(s);

    // The technician scrolls with the wheel over the replay.
    const box = await s.viewer.page.$eval('.stage', (el) => {
      const r = el.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await s.viewer.page.mouse.move(box.x, box.y);
    await s.viewer.page.mouse.wheel({ deltaY: 600 });
    await poll('customer page scrolled', async () => ((await s.customer.tab.evaluate('window.scrollY')) as number) > 300 || undefined);
    await s.customer.tab.evaluate('window.scrollTo(0, 0)');
    // The technician clicks what they see: wait until the replay is back at the top (Firefox scrolls
    // smoothly, so the page passes through a few positions first).
    await poll('replay back at the top', async () =>
      (await s.viewer.page.evaluate(() => document.querySelector<HTMLIFrameElement>('.stage iframe')!.contentWindow!.scrollY)) === 0 || undefined);

    await s.viewer.clickReplayed('#next'); // same site: page2.html
    await s.customer.tab.waitForSelector('#marker');
    await s.viewer.waitForReplayText('#marker', (t) => t === 'tweede pagina geladen');
    await new Promise((r) => setTimeout(r, 500));
    expect(await controlState(s.viewer)).toBe('granted');

    // Another site (another origin): control ends, and sharing pauses.
    await s.customer.tab.goto(`${stack.fixtures.url.replace('127.0.0.1', 'localhost')}/shop.html`);
    await waitControl(s.viewer, 'watching');
    expect(await controlNote(s.viewer)).toBe('navigated');
    const kinds = (await history(s.customer, s.sessionId))?.control?.map((e) => e.kind);
    expect(kinds).toEqual(['requested', 'granted', 'click', 'revoked']);

    // Asking again on a page the extension may not share is refused at once.
    await s.viewer.page.click('[data-testid=control-request]').catch(() => undefined);
    expect(await controlState(s.viewer)).toBe('watching');
    await s.viewer.endSession();
  });

  it('without control the technician points: a short-lived laser dot with their name, rate limited', async () => {
    const s = await live();
    const stage = await s.viewer.page.$eval('.stage iframe', (el) => {
      const r = el.getBoundingClientRect();
      return { x: r.left + r.width * 0.3, y: r.top + r.height * 0.4 };
    });
    await s.viewer.page.bringToFront();
    await s.viewer.page.mouse.move(stage.x, stage.y);
    await s.viewer.page.mouse.click(stage.x, stage.y);
    const hand = await poll('laser dot', async () => {
      const html = await s.ui.html('hand');
      return html?.includes('hand on') ? html : undefined;
    });
    expect(hand).toContain('Sanne de Vries');
    expect(hand).not.toContain('cursor');
    await s.customer.tab.screenshot({ path: `${SHOTS}/customer-pointer.png` });
    // Short-lived: gone 1.5 s after the technician stops pointing.
    await poll('laser dot fades', async () => !(await s.ui.html('hand'))?.includes('hand on') || undefined, 5_000);
    // Nothing was clicked: pointing is not control.
    expect(await text(s.customer.tab, '#count')).toBe('0');

    // A flood of pointer messages is cut down by the extension (tests/unit/control: at most 20 a second
    // reach the page); the session does not suffer.
    const started = Date.now();
    for (let i = 0; i < 200; i++) await sendAsViewer(s.viewer.page, { type: 'pointer', x: (i % 100) / 100, y: 0.5 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await s.viewer.linkState()).toBe('connected');
    expect((await s.customer.sessionState())?.phase).toBe('live');
    await s.viewer.endSession();
  });
});
