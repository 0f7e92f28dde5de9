/**
 * Consent and the one-off session (issue 3), in real Chromium with the built extension: nothing before
 * consent, consent only from the customer's own click, the indicator, only the consented tab, every way a
 * session ends in the browser, and the customer's own history.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { poll } from './support/stack';
import { useStack } from './support/suite';
import { receivedCount } from './support/channel-spy';

const suite = useStack();
const { opened } = suite;

async function invited(page = '/shop.html') {
  const { viewer, customer, code, sessionId } = await suite.invite(page);
  const popup = await customer.openPopup();
  await popup.type('#code', code);
  await popup.click('button[type=submit]');
  await popup.waitForSelector('#consent-title');
  return { viewer, customer, popup, sessionId };
}

async function live(page?: string) {
  const s = await invited(page);
  await s.popup.click('.actions button.primary');
  await s.customer.waitForPhase('live');
  await s.viewer.waitForTab('sharing');
  await s.viewer.waitForReplayText('#title', (t) => t.length > 0);
  return s;
}

const sessionRow = (id: string) =>
  suite.stack.server.db
    .selectFrom('sessions')
    .select(['status', 'end_reason', 'consent_terms_hash', 'consent_locale'])
    .where('id', '=', id)
    .executeTakeFirst();

/** The bridge between our two worlds in the page (DOM events on the window), as a page script would see it. */
async function watchPageChannel(tab: Page) {
  await tab.evaluate(`window.__meekijkSeen = [];
    for (const type of ['meekijk:to-page', 'meekijk:from-page']) addEventListener(type, (e) => { try { window.__meekijkSeen.push(JSON.parse(e.detail).type); } catch {} });
    addEventListener('meekijk:events', () => window.__meekijkSeen.push('events'));`);
  return async () => (await tab.evaluate('window.__meekijkSeen')) as string[];
}

describe('consent and the one-off session', () => {
  it('shows who watches, what is shared, the back-up advice and both terms; refusing shares nothing', async () => {
    const { viewer, customer, popup, sessionId } = await invited();
    const text = await popup.$eval('main', (el) => el.textContent ?? '');
    expect(text).toContain('Sanne de Vries');
    expect(text).toContain('Reconi');
    expect(text).toContain('127.0.0.1'); // the one tab that would be shared
    expect(await popup.$('.backup')).not.toBeNull();
    // The full terms are one step away from the summary (issue 23).
    await popup.click('.read-terms');
    expect(await popup.$eval('[data-testid=terms-text]', (el) => el.textContent)).toContain('Artikel 4 Aansprakelijkheid');
    await popup.click('.lang button:not(.on)');
    expect(await popup.$eval('[data-testid=terms-text]', (el) => el.getAttribute('lang'))).toBe('en');
    const published = await popup.$eval('a.published', (el) => el.getAttribute('href'));
    expect(published).toBe(`${suite.stack.serverUrl}/terms/en`);
    expect((await fetch(published!)).status).toBe(200);

    // Nothing has been shared while the consent screen is open.
    expect(await customer.tab.$('meekijk-ui')).toBeNull();
    expect(await viewer.linkState()).toBe('waiting');
    await popup.click('.actions button:not(.primary)');
    await customer.waitForPhase('idle');
    await new Promise((r) => setTimeout(r, 500));
    expect(await viewer.linkState()).toBe('waiting');
    expect(await receivedCount(viewer.page)).toEqual({ messages: 0, bytes: 0 });
    expect((await sessionRow(sessionId))?.status).toBe('waiting');
  });

  it('records the consent with the hash of the terms the customer read, on the server and locally', async () => {
    const { viewer, customer, sessionId } = await live();
    const nl = createHash('sha256').update(readFileSync('terms/voorwaarden-meekijksessie.nl.md')).digest('hex');
    expect(await sessionRow(sessionId)).toMatchObject({ status: 'active', consent_terms_hash: nl, consent_locale: 'nl' });
    const worker = await customer.worker();
    const stored = (await worker.evaluate('chrome.storage.local.get("history")')) as { history: Array<{ sessionId: string; consent: { termsHash: string } }> };
    expect(stored.history[0]).toMatchObject({ sessionId, consent: { termsHash: nl } });
    // The toolbar icon says someone is watching, and stops saying so at the end.
    expect(await worker.evaluate('chrome.action.getBadgeText({})')).toBe('ON');
    await viewer.endSession();
    await customer.waitForPhase('ended');
    await poll('badge cleared', async () => (await worker.evaluate('chrome.action.getBadgeText({})')) === '');
  });

  it('a page script can neither start, approve nor stop a session', async () => {
    const { viewer, customer, popup } = await invited();
    const seen = await watchPageChannel(customer.tab);
    // Forged messages to our (not yet injected) bridge, and a forged consent to the extension.
    const attempt = await customer.tab.evaluate(`(() => {
      dispatchEvent(new CustomEvent('meekijk:to-page', { detail: JSON.stringify({ channel: 'meekijk:page', type: 'start', token: 'forged' }) }));
      dispatchEvent(new CustomEvent('meekijk:from-page', { detail: JSON.stringify({ channel: 'meekijk:page', type: 'ready' }) }));
      postMessage({ type: 'consent', tabId: 1, termsHash: 'x', locale: 'nl' }, '*');
      return typeof chrome !== 'undefined' && chrome.runtime && typeof chrome.runtime.sendMessage === 'function' ? 'reachable' : 'unreachable';
    })()`);
    expect(attempt).toBe('unreachable');
    await new Promise((r) => setTimeout(r, 800));
    expect((await customer.sessionState())?.phase).toBe('invited');
    expect(await seen()).toEqual(['start', 'ready']); // only the page's own forged messages; nobody answered
    expect(await viewer.linkState()).toBe('waiting');

    // The customer consents for real; then the page tries to click the indicator's stop button.
    await popup.click('.actions button.primary');
    await customer.waitForPhase('live');
    await customer.tab.waitForSelector('meekijk-ui');
    const reach = await customer.tab.evaluate(`(() => {
      const host = document.querySelector('meekijk-ui');
      host.click();
      host.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      return host.shadowRoot === null ? 'closed' : 'open';
    })()`);
    expect(reach).toBe('closed');
    await new Promise((r) => setTimeout(r, 500));
    expect((await customer.sessionState())?.phase).toBe('live');
    await viewer.endSession();
  });

  it('the indicator is visible on the shared tab and its stop button ends the session', async () => {
    const { viewer, customer } = await live();
    await customer.tab.waitForSelector('meekijk-ui');
    // The indicator sits in the bottom-right corner, its stop button at the box's right end (16px inset,
    // 12px padding). The closed shadow root hides the button from the page, so find it by hit-testing.
    const viewport = customer.tab.viewport()!;
    const point = { x: viewport.width - 16 - 12 - 14, y: viewport.height - 16 - 24 };
    expect(await customer.tab.evaluate(`document.elementFromPoint(${point.x}, ${point.y})?.tagName`)).toBe('MEEKIJK-UI');
    await customer.tab.bringToFront();
    await customer.tab.mouse.click(point.x, point.y);
    const ended = await customer.waitForPhase('ended');
    expect(ended.endedReason).toBe('customer-stopped');
    await viewer.waitForTab('ended');
    expect(await customer.tab.$('meekijk-ui')).toBeNull();
  });

  it('shares only the consented tab: another tab, even in front, sends nothing', async () => {
    const { viewer, customer } = await live();
    const other = await suite.stack.launched.browser.newPage({ type: 'window' });
    opened.push(other);
    await other.goto(`${suite.stack.fixtures.url}/page2.html`);
    await other.bringToFront();
    await other.evaluate(`document.querySelector('#marker').textContent = 'geheim op ander tabblad'`);
    // The shared tab keeps flowing, the other one never appears.
    await customer.tab.click('#change');
    const status = await customer.tab.$eval('#status', (el) => el.textContent ?? '');
    await viewer.waitForReplayText('#status', (t) => t === status);
    expect(await viewer.replayHtml()).not.toContain('geheim op ander tabblad');
    expect(await other.$('meekijk-ui')).toBeNull();
    expect((await customer.sessionState())?.phase).toBe('live');
    await viewer.endSession();
  });

  it('closing the shared tab ends the session everywhere, and it cannot be resumed', async () => {
    const { viewer, customer, sessionId } = await live();
    const code = await viewer.page.$eval('[data-testid=invite-code]', (el) => el.textContent?.replace(/\s+/g, '') ?? '').catch(() => '');
    await customer.tab.close();
    const ended = await customer.waitForPhase('ended');
    expect(ended.endedReason).toBe('tab-closed');
    await viewer.waitForTab('ended');
    await poll('server session ended', async () => (await sessionRow(sessionId))?.status === 'ended');
    expect((await sessionRow(sessionId))?.end_reason).toBe('tab-closed');
    // The spent invite is refused by the server.
    if (code) {
      const again = await fetch(`${suite.stack.serverUrl}/api/invites/redeem`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
      expect(again.ok).toBe(false);
    }
  });

  it('after the end nothing of ours runs in the page and no byte reaches the viewer', async () => {
    const { viewer, customer } = await live();
    const seen = await watchPageChannel(customer.tab);
    await customer.stopFromPopup();
    await viewer.waitForTab('ended');
    const before = await receivedCount(viewer.page);
    await customer.tab.evaluate(`
      dispatchEvent(new CustomEvent('meekijk:to-page', { detail: JSON.stringify({ channel: 'meekijk:page', type: 'snapshot', token: 'x' }) }));
      dispatchEvent(new CustomEvent('meekijk:from-page', { detail: JSON.stringify({ channel: 'meekijk:page', type: 'ready' }) }));`);
    await customer.tab.click('#change');
    await new Promise((r) => setTimeout(r, 1000));
    expect((await seen()).filter((t) => t === 'events')).toEqual([]);
    expect(await receivedCount(viewer.page)).toEqual(before);
    expect(await customer.tab.$('meekijk-ui')).toBeNull();
    const worker = await customer.worker();
    const permissions = (await worker.evaluate('chrome.permissions.getAll()')) as { origins: string[] };
    // No host access at all, apart from the server's own join pages (the one declared content script).
    expect(permissions.origins.filter((o) => !o.endsWith('/join/*'))).toEqual([]);
  });

  it('ends an idle session after the configured time', async () => {
    const s = await invited();
    const worker = await s.customer.worker();
    await worker.evaluate(`chrome.storage.local.set({ limits: { idleMs: 5000, maxMs: 3600000 } })`);
    try {
      await s.popup.click('.actions button.primary');
      await s.customer.waitForPhase('live');
      const ended = await s.customer.waitForPhase('ended', 20_000);
      expect(ended.endedReason).toBe('idle-timeout');
      await s.viewer.waitForTab('ended');
    } finally {
      await worker.evaluate(`chrome.storage.local.remove('limits')`);
    }
  });

  it('keeps the customer a history of past sessions, which they can clear', async () => {
    const { customer } = await live();
    await customer.stopFromPopup();
    const popup = await customer.openPopup();
    await popup.click('.history-toggle');
    await popup.waitForSelector('.history');
    const entry = await popup.$eval('.history .entries li', (el) => el.textContent ?? '');
    expect(entry).toContain('Sanne de Vries');
    expect(entry).toMatch(/you stopped sharing|u bent gestopt met delen/);
    await popup.click('.history button.link');
    await poll('history cleared', async () => (await popup.$('.history .entries')) === null);
  });
});
