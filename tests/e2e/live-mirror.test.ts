/**
 * The live mirror, end to end: the built extension in real Chromium, the real server on 127.0.0.1, real
 * WebRTC between the customer's extension and the technician's viewer (issue 2).
 */
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '@/lib/protocol/frame';
import { poll } from './support/stack';
import { useStack } from './support/suite';
import { receivedCount, sendRaw, settledCount } from './support/channel-spy';

const suite = useStack();

async function liveSession(page = '/shop.html') {
  const { viewer, customer, code } = await suite.invite(page);
  await customer.joinWithCode(code);
  await viewer.waitForLink('connected');
  await viewer.waitForTab('sharing');
  return { viewer, customer };
}

describe('live mirror', () => {
  it('shows a DOM change on the customer page in the viewer', async () => {
    const { viewer, customer } = await liveSession();
    await viewer.waitForReplayText('#title', (t) => t === 'Uw bestelling');
    // The replay warm-up (viewer/lib/replay-warm-up.ts) ran while the viewer waited, and left nothing
    // behind: the page has one iframe, the replay's.
    expect(await viewer.page.evaluate(() => document.querySelectorAll('iframe').length)).toBe(1);
    await customer.tab.click('#change');
    const text = await customer.tab.$eval('#status', (el) => el.textContent ?? '');
    expect(text).toMatch(/^Gewijzigd om \d+$/);
    await viewer.waitForReplayText('#status', (t) => t === text);
    // The replay runs in rrweb's sandboxed iframe: no script execution (invariant 8).
    const sandbox = await viewer.page.$eval('.stage iframe', (el) => el.getAttribute('sandbox'));
    expect(sandbox).toBe('allow-same-origin');
    await viewer.endSession();
  });

  it('shows typed text masked, without its length', async () => {
    const { viewer, customer } = await liveSession();
    await viewer.waitForReplayText('#title', (t) => t.length > 0);
    const secret = 'Geheim-7c1f-wachtwoord';
    await customer.tab.type('#name', secret);
    // Shown while typing, before the field loses focus.
    expect(await customer.tab.evaluate(() => document.activeElement?.id)).toBe('name');
    const typing = await poll('masked value while typing', async () => {
      const v = await viewer.replayValue('#name');
      return v && v.length > 0 ? v : undefined;
    });
    expect(typing).not.toContain('Geheim');
    await customer.tab.type('#password', 'hunter2');
    await customer.tab.click('#change'); // a later change, so we know the input events have been applied
    const status = await customer.tab.$eval('#status', (el) => el.textContent ?? '');
    await viewer.waitForReplayText('#status', (t) => t === status);
    const shown = await poll('masked value', async () => {
      const v = await viewer.replayValue('#name');
      return v && v.length > 0 ? v : undefined;
    });
    expect(shown).not.toContain('Geheim');
    expect(shown).toBe(await viewer.replayValue('#password'));
    expect(await viewer.replayHtml()).not.toContain(secret);
    await viewer.endSession();
  });

  it('continues the session on the next page after navigation', async () => {
    const { viewer, customer } = await liveSession();
    await viewer.waitForReplayText('#title', (t) => t === 'Uw bestelling');
    await customer.tab.click('#next');
    await customer.tab.waitForSelector('#marker');
    await viewer.waitForReplayText('#marker', (t) => t === 'tweede pagina geladen');
    expect(await viewer.linkState()).toBe('connected');
    await viewer.endSession();
  });

  it('stops streaming when the customer stops the session', async () => {
    const { viewer, customer } = await liveSession();
    await viewer.waitForReplayText('#title', (t) => t === 'Uw bestelling');
    await customer.stopFromPopup();
    await viewer.waitForTab('ended');
    const before = await receivedCount(viewer.page);
    await customer.tab.click('#change');
    await customer.tab.type('#name', 'na het einde');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await receivedCount(viewer.page)).toEqual(before);
    expect(await viewer.replayText('#status')).toBe('Nog niets gebeurd');
  });

  it('stops streaming when the technician ends the session', async () => {
    const { viewer, customer } = await liveSession();
    await viewer.waitForReplayText('#title', (t) => t === 'Uw bestelling');
    await viewer.endSession();
    expect((await customer.waitForPhase('ended')).endedReason).toBe('technician-ended');
    // The customer's goodbye may still be on its way when the popup shows "ended".
    const before = await settledCount(viewer.page);
    await customer.tab.click('#change');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await receivedCount(viewer.page)).toEqual(before);
  });

  it('delivers a page with a DOM over 1 MB whole', async () => {
    const { viewer, customer } = await liveSession('/big.html?kb=1200');
    const size = await customer.tab.evaluate(() => document.documentElement.outerHTML.length);
    expect(size).toBeGreaterThan(1024 * 1024);
    await viewer.waitForReplayText('#last', (t) => t === 'einde van de pagina', 30_000);
    const rows = await viewer.page.evaluate(
      () => document.querySelector<HTMLIFrameElement>('.stage iframe')?.contentDocument?.querySelectorAll('#big tr').length ?? 0,
    );
    expect(rows).toBe(await customer.tab.evaluate(() => document.querySelectorAll('#big tr').length));
    await viewer.endSession();
  });

  it('answers malformed messages with an error and keeps the session up', async () => {
    const { viewer, customer } = await liveSession();
    await viewer.waitForReplayText('#title', (t) => t === 'Uw bestelling');
    const json = (value: string) => [...encodeFrame({ flags: 0, messageId: 900, index: 0, count: 1 }, new TextEncoder().encode(value))];
    await sendRaw(viewer.page, [1, 2, 3]); // shorter than a frame header
    await sendRaw(viewer.page, json('{not json'));
    await sendRaw(viewer.page, json(JSON.stringify({ type: 'format-disk' })));
    await sendRaw(viewer.page, [...encodeFrame({ flags: 0, messageId: 901, index: 5, count: 3 }, new Uint8Array(4))]);
    await poll('error reply shown', async () => viewer.page.$('[data-testid=peer-error]'));
    await customer.tab.click('#change');
    const text = await customer.tab.$eval('#status', (el) => el.textContent ?? '');
    await viewer.waitForReplayText('#status', (t) => t === text);
    expect(await viewer.linkState()).toBe('connected');
    await viewer.endSession();
  });
  it("leaves nothing in a strict site's CSP reports", async () => {
    // The page world runs our recorder under the site's own policy. A violation there, even one we catch,
    // is reported to the site's endpoint: the site would learn that, and when, its page was shared.
    const { fixtures } = suite.stack;
    // First, that reports do arrive: the probe page tries eval itself.
    const probe = await suite.stack.launched.browser.newPage();
    suite.opened.push(probe);
    await probe.goto(`${fixtures.url}/shop.html?csp=strict&probe=eval`);
    await poll('the probe page\'s own CSP report', async () => fixtures.cspReports.length > 0);
    await probe.close();
    fixtures.cspReports.splice(0);

    const { viewer, customer } = await liveSession('/shop.html?csp=strict');
    await viewer.waitForReplayText('#title', (t) => t === 'Uw bestelling');
    await customer.tab.click('#change');
    const text = await customer.tab.$eval('#status', (el) => el.textContent ?? '');
    await viewer.waitForReplayText('#status', (t) => t === text);
    await viewer.endSession();
    // Reports go out asynchronously; the probe's arrived within this time.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fixtures.cspReports).toEqual([]);
  });
});
