/**
 * `npm run screenshots`: drives the real stack (server, viewer, built extension in Chromium) through a
 * session and saves what customer and technician see to docs/screenshots/, for the README and reviews.
 */
import { startStack } from '../tests/e2e/support/stack';
import { ViewerPage } from '../tests/e2e/support/viewer-page';
import { Customer } from '../tests/e2e/support/customer';
import { poll } from '../tests/e2e/support/stack';

const out = (name: string) => `docs/screenshots/${name}.png`;
// The customer's browser in Dutch, the extension's default locale.
const stack = await startStack({}, ['--lang=nl']);
try {
  const { browser, extension } = stack.launched;
  const viewer = await ViewerPage.open(browser, stack.serverUrl);
  await viewer.page.screenshot({ path: out('viewer-sign-in') });
  await viewer.ensureSignedIn();
  const code = await viewer.startSession('T-2041');
  await viewer.page.screenshot({ path: out('viewer-waiting') });

  const customer = await Customer.open(browser, extension, `${stack.fixtures.url}/shop.html`);
  let popup = await customer.openPopup();
  await popup.setViewport({ width: 392, height: 600 });
  const shot = async (name: string) => popup.screenshot({ path: out(name) });
  await shot('popup-code');
  await popup.type('#code', code);
  await popup.click('button[type=submit]');
  await popup.waitForSelector('#consent-title');
  await shot('popup-consent');
  await popup.click('.lang button:not(.on)');
  await shot('popup-consent-en');
  await popup.click('.lang button:not(.on)');
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
  popup = await customer.openPopup();
  await popup.setViewport({ width: 392, height: 220 });
  await popup.screenshot({ path: out('popup-live') });
  await popup.click('button.danger');
  await customer.waitForPhase('ended');
  await popup.waitForSelector('.notice');
  await popup.setViewport({ width: 392, height: 330 });
  await popup.screenshot({ path: out('popup-ended') });
  await popup.click('.history-toggle');
  await popup.waitForSelector('.history');
  await popup.screenshot({ path: out('popup-history') });
  await viewer.page.bringToFront();
  await viewer.page.screenshot({ path: out('viewer-ended') });
  const sessionId = decodeURIComponent(viewer.page.url().split('#/session/')[1] ?? '');
  await viewer.page.goto(`${stack.serverUrl}/#/audit/${encodeURIComponent(sessionId)}`);
  await viewer.page.waitForSelector('[data-testid=audit-table]');
  await viewer.page.screenshot({ path: out('viewer-audit') });
  await viewer.page.goto(`${stack.serverUrl}/#/`);
  await viewer.page.waitForSelector('[data-testid=session-list]');
  await viewer.page.screenshot({ path: out('viewer-home') });
  console.log('screenshots written to docs/screenshots/');
} finally {
  await stack.close();
}
process.exit(process.exitCode ?? 0);
