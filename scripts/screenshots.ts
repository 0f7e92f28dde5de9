/**
 * `npm run screenshots`: drives the real stack (server, viewer, built extension in Chromium) through a
 * session, once with the browser in Dutch and once in English, and saves what customer and technician
 * see to docs/screenshots/ (Dutch as `<name>.png`, English as `<name>-en.png`), for the README and reviews.
 * The popup is shown at Chrome's largest popup size (360 x 600) in a tab of its own: headless Chromium's
 * real popup window keeps the size of its first screen.
 */
import type { Browser, Page } from 'puppeteer-core';
import { startStack, poll } from '../tests/e2e/support/stack';
import { ViewerPage } from '../tests/e2e/support/viewer-page';
import { Customer } from '../tests/e2e/support/customer';
import { allowWithKeyboard } from '../tests/e2e/support/control';

for (const lang of ['nl', 'en'] as const) {
  const out = (name: string) => `docs/screenshots/${name}${lang === 'nl' ? '' : '-en'}.png`;
  const stack = await startStack({}, [`--lang=${lang}`]);
  try {
    const { browser, extension } = stack.launched;
    const popupView = async (phase: string, height = 600): Promise<Page> => {
      const page = await browser.newPage();
      await page.setViewport({ width: 360, height });
      await page.goto(`chrome-extension://${extension.id}/popup.html`);
      await page.waitForSelector(`main.popup[data-phase=${phase}]`);
      await new Promise((r) => setTimeout(r, 300));
      return page;
    };
    let viewer = await ViewerPage.open(browser, stack.serverUrl);
    await viewer.page.waitForSelector('input[name=email]');
    await viewer.page.screenshot({ path: out('viewer-sign-in') });
    await viewer.ensureSignedIn();
    await viewer.page.screenshot({ path: out('viewer-new-session') });
    await viewer.startSession('T-2041');
    await viewer.page.screenshot({ path: out('viewer-waiting') });

    // The helpdesk link's page: in a browser without the extension (a context it does not run in), and with it.
    const joinUrl = await viewer.page.$eval('[data-testid=join-link]', (el) => el.getAttribute('href') ?? '');
    const bare = await browser.createBrowserContext();
    const bareTab = await bare.newPage();
    await bareTab.goto(joinUrl);
    await bareTab.screenshot({ path: out('join-no-extension'), fullPage: true });
    await bare.close();

    const customer = await Customer.open(browser, extension, `${stack.fixtures.url}/shop.html`);
    let view = await popupView('idle');
    await view.screenshot({ path: out('popup-code') });
    await view.close();
    // In by the helpdesk link (the code's way in is in the e2e tests): the extension picks it up on its page.
    await customer.tab.goto(joinUrl);
    await customer.tab.waitForSelector('[data-meekijk-join=ready]');
    await customer.tab.screenshot({ path: out('join-with-extension'), fullPage: true });
    await customer.tab.goto(`${stack.fixtures.url}/shop.html`);
    let popup = await customer.openPopup();
    await popup.waitForSelector('#consent-title');
    view = await popupView('invited');
    await view.screenshot({ path: out('popup-consent') });
    await view.click('.read-terms');
    await view.screenshot({ path: out('popup-terms') });
    await view.close();
    popup = await customer.openPopup();
    await popup.waitForSelector('#consent-title');
    await popup.click('.actions button.primary');
    await customer.waitForPhase('live');
    await viewer.waitForReplayText('#title', (t) => t.length > 0);
    await customer.tab.type('#name', 'Jan Jansen');
    await new Promise((r) => setTimeout(r, 500));
    await customer.tab.bringToFront();
    await customer.tab.screenshot({ path: out('customer-tab-indicator') });
    await viewer.page.bringToFront();
    await new Promise((r) => setTimeout(r, 500));
    await viewer.waitForReplayText('#title', (t) => t.length > 0);
    // The masked value of what the customer typed, as the technician sees it.
    await poll('masked name in the viewer', async () => ((await viewer.replayValue('#name')) ?? '').length > 0, 10_000);
    await viewer.page.screenshot({ path: out('viewer-live') });
    // Control: asked, allowed with the keyboard in the page, given back (for the prompt and the records).
    await viewer.page.click('[data-testid=control-request]');
    await viewer.page.waitForSelector('[data-testid=control-bar][data-state=requested]');
    await customer.tab.bringToFront();
    await new Promise((r) => setTimeout(r, 700));
    await customer.tab.screenshot({ path: out('customer-control-prompt') });
    await allowWithKeyboard(customer.tab, viewer.page);
    await new Promise((r) => setTimeout(r, 300));
    await customer.tab.screenshot({ path: out('customer-tab-control') });
    await viewer.page.bringToFront();
    await viewer.page.click('[data-testid=control-release]');
    await viewer.page.waitForSelector('[data-testid=control-bar][data-state=watching]');
    view = await popupView('live');
    await view.waitForSelector('[data-testid=verification-code]');
    await view.screenshot({ path: out('popup-live') });
    await view.close();
    viewer = await reconnectingScreens(browser, viewer, customer, popupView, out);
    popup = await customer.openPopup();
    await popup.waitForSelector('button.danger');
    await popup.click('button.danger');
    await customer.waitForPhase('ended');
    view = await popupView('ended', 330);
    await view.screenshot({ path: out('popup-ended') });
    await view.click('.history-toggle');
    await view.waitForSelector('.history');
    await view.screenshot({ path: out('popup-history') });
    // The control record of the session, in words (lib/shared/audit/detail-text.ts).
    await view.click('.control-log summary');
    await view.evaluate(() => document.querySelector('.control-log')?.scrollIntoView());
    await view.screenshot({ path: out('popup-history-control') });
    await view.close();
    await viewer.page.bringToFront();
    await viewer.page.waitForSelector('[data-testid=end-reason]');
    await viewer.page.screenshot({ path: out('viewer-ended') });
    const sessionId = decodeURIComponent(viewer.page.url().split('#/session/')[1] ?? '');
    // A hash change is no navigation: set it in the page.
    await viewer.page.evaluate((hash) => (location.hash = hash), `#/audit/${encodeURIComponent(sessionId)}`);
    await viewer.page.waitForSelector('[data-testid=audit-table]');
    await viewer.page.screenshot({ path: out('viewer-audit') });
    await viewer.page.evaluate(() => (location.hash = '#/'));
    await viewer.page.waitForSelector('[data-testid=session-list]');
    await viewer.page.screenshot({ path: out('viewer-home') });
    console.log(`screenshots (${lang}) written to docs/screenshots/`);
  } finally {
    await stack.close();
  }
}
process.exit(process.exitCode ?? 0);

/**
 * Issue 17, the reconnecting states: the technician's viewer closes, and until it is back the customer's
 * indicator and popup say the connection is being restored (nothing is shared meanwhile). The viewer opened
 * again says it waits for the customer's extension, which dials back within 2 s: taken as soon as it shows,
 * and again if the customer was back before the picture was.
 */
async function reconnectingScreens(
  browser: Browser,
  first: ViewerPage,
  customer: Customer,
  popupView: (phase: string, height?: number) => Promise<Page>,
  out: (name: string) => string,
): Promise<ViewerPage> {
  const url = first.page.url();
  let viewer = first;
  for (let attempt = 1; ; attempt += 1) {
    await viewer.page.close();
    await customer.waitForPhase('reconnecting');
    if (attempt === 1) {
      await customer.tab.bringToFront();
      await new Promise((r) => setTimeout(r, 500));
      await customer.tab.screenshot({ path: out('customer-tab-reconnecting') });
      const view = await popupView('reconnecting');
      await view.screenshot({ path: out('popup-reconnecting') });
      await view.close();
    }
    const page = await browser.newPage();
    await page.goto(url);
    viewer = ViewerPage.attach(page);
    await page.waitForSelector('main.session[data-link=reconnecting] [data-testid=server-link][data-state=down]');
    await page.screenshot({ path: out('viewer-reconnecting') });
    const still = await page.$eval('main.session', (el) => el.getAttribute('data-link'));
    if (still === 'reconnecting' || attempt === 3) {
      await viewer.waitForLink('connected', 30_000);
      return viewer;
    }
  }
}
