/**
 * Art. 1.2: after the end nothing of ours keeps running in the page (issue 19). Counted, not inferred from
 * silence: the event listeners on the shared tab's window and document, as Chromium's DevTools protocol
 * lists them (DOMDebugger.getEventListeners, every world), before consent, while live and after the end.
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { poll } from './support/stack';
import { useStack } from './support/suite';

const suite = useStack();
const { opened } = suite;

/** Listeners per target and type, e.g. {"window:message": 1}, from the DevTools protocol. */
async function listenerCounts(tab: Page): Promise<Record<string, number>> {
  const cdp = await tab.createCDPSession();
  try {
    const counts: Record<string, number> = {};
    for (const target of ['window', 'document']) {
      const { result } = await cdp.send('Runtime.evaluate', { expression: target });
      if (result.objectId === undefined) throw new Error(`no object for ${target}`);
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
      for (const listener of listeners) counts[`${target}:${listener.type}`] = (counts[`${target}:${listener.type}`] ?? 0) + 1;
      await cdp.send('Runtime.releaseObject', { objectId: result.objectId });
    }
    return counts;
  } finally {
    await cdp.detach();
  }
}

describe('the page after the end', () => {
  it('has exactly the listeners on window and document it had before the session: the recorder bridge and the control resolver are gone', async () => {
    const { viewer, customer, code } = await suite.invite('/shop.html');
    opened.push(viewer.page, customer.tab);
    const before = await listenerCounts(customer.tab);

    const popup = await customer.openPopup();
    await popup.type('#code', code);
    await popup.click('button[type=submit]');
    await popup.waitForSelector('#consent-title');
    await popup.click('.actions button.primary');
    await customer.waitForPhase('live');
    await viewer.waitForTab('sharing');
    await viewer.waitForReplayText('#title', (t) => t.length > 0);
    const during = await listenerCounts(customer.tab);
    // Ours are there while live (so the count below can see them go): the page agent's and the node
    // resolver's, both on the one page bridge event (lib/protocol/page-bridge.ts).
    expect((during['window:meekijk:to-page'] ?? 0) - (before['window:meekijk:to-page'] ?? 0)).toBeGreaterThanOrEqual(2);

    await customer.stopFromPopup();
    await viewer.waitForTab('ended');
    let after: Record<string, number> = {};
    await poll('listeners back to what the page had', async () => {
      after = await listenerCounts(customer.tab);
      return JSON.stringify(after) === JSON.stringify(before);
    }, 5_000).catch(() => undefined);
    expect(after).toEqual(before);
  });
});
