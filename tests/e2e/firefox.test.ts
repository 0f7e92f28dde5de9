/**
 * Firefox on both ends (issue 21): the customer's add-on and the technician's viewer in Firefox ESR, real
 * WebRTC between Firefox's background page and a Firefox viewer page. The other e2e files run with the
 * customer in Firefox and the viewer in Chromium (vitest project e2e-firefox).
 */
import { describe, expect, it } from 'vitest';
import { poll } from './support/stack';
import { useStack } from './support/suite';
import { settledCount, receivedCount } from './support/channel-spy';

const suite = useStack({}, [], { customer: 'firefox', viewer: 'firefox' });

describe('Firefox customer, Firefox viewer', () => {
  it('mirrors the page live, masks what is typed, carries on after a page load, and ends for good', async () => {
    expect((await suite.stack.viewerBrowser.version()).toLowerCase()).toContain('firefox');
    // The customer's site on another host than the server's, so giving back its access can be seen apart
    // from the join pages' access on the server's host.
    const site = suite.stack.fixtures.url.replace('127.0.0.1', 'localhost');
    const { viewer, customer, code } = await suite.invite(`${site}/shop.html`);
    await customer.joinWithCode(code);
    await viewer.waitForTab('sharing');
    await viewer.waitForReplayText('#title', (t) => t === 'Uw bestelling');
    await customer.tab.click('#change');
    const text = await customer.tab.$eval('#status', (el) => el.textContent ?? '');
    await viewer.waitForReplayText('#status', (t) => t === text);

    const secret = 'Geheim-ff-9d2a';
    await customer.tab.type('#name', secret);
    const shown = await poll('masked value', async () => {
      const v = await viewer.replayValue('#name');
      return v && v.length > 0 ? v : undefined;
    });
    expect(shown).not.toContain('Geheim');
    expect(await viewer.replayHtml()).not.toContain(secret);

    const during = await customer.evaluate<{ origins: string[] }>('chrome.permissions.getAll()');
    expect(during.origins).toContain('http://localhost/*');
    await customer.tab.click('#next');
    await customer.tab.waitForSelector('#marker');
    await viewer.waitForReplayText('#marker', (t) => t === 'tweede pagina geladen');

    await viewer.endSession();
    expect((await customer.waitForPhase('ended')).endedReason).toBe('technician-ended');
    const before = await settledCount(viewer.page);
    await customer.tab.evaluate(`document.querySelector('#marker').textContent = 'na het einde'`);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await receivedCount(viewer.page)).toEqual(before);
    // The site access asked for at consent is given back (art. 1.2).
    const held = await customer.evaluate<{ origins: string[] }>('chrome.permissions.getAll()');
    const server = new URL(suite.stack.serverUrl);
    expect(held.origins.filter((o) => !o.endsWith('/join/*') && !o.startsWith(`${server.protocol}//${server.hostname}/`))).toEqual([]);
  });
});
