/**
 * `npm run store-assets`: the extension stores' images, taken from the real UI so they stay true. For
 * each language (the customer's browser in Dutch, then in English) a whole session is driven as in
 * `npm run screenshots`, and saved at the stores' size, 1280x800:
 *   1-consent.png     the customer's page with the consent popup open over it (the popup as it renders)
 *   2-indicator.png   the shared tab while the technician watches: the indicator, the masked field
 *   3-viewer.png      the technician's live view of that tab
 *   4-control.png     the second approval, asked in the shared tab
 * into store-assets/screenshots/<lang>/, and the small promo tile (440x280) into store-assets/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';
import { startStack, poll } from '../tests/e2e/support/stack';
import { ViewerPage } from '../tests/e2e/support/viewer-page';
import { Customer } from '../tests/e2e/support/customer';

const SIZE = { width: 1280, height: 800 };

/** Renders HTML at a fixed size in a page of `browser` and saves it: for composing real screenshots. */
async function compose(browser: Browser, html: string, size: { width: number; height: number }, path: string) {
  const page = await browser.newPage();
  try {
    await page.setViewport(size);
    await page.setContent(html, { waitUntil: 'load' });
    await page.screenshot({ path });
  } finally {
    await page.close();
  }
}

const dataUrl = (png: Uint8Array) => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;

async function shoot(lang: 'nl' | 'en') {
  const out = `store-assets/screenshots/${lang}`;
  mkdirSync(out, { recursive: true });
  const stack = await startStack({}, [`--lang=${lang}`]);
  try {
    const { browser, extension } = stack.launched;
    const viewer = await ViewerPage.open(stack.viewerBrowser, stack.serverUrl);
    await viewer.page.setViewport(SIZE);
    await viewer.ensureSignedIn();
    const code = await viewer.startSession('T-2041');
    const customer = await Customer.open(browser, extension, `${stack.fixtures.url}/shop.html`);
    await customer.tab.setViewport(SIZE);
    const popup: Page = await customer.openPopup();
    await popup.setViewport({ width: 392, height: 600 });
    await popup.type('#code', code);
    await popup.click('button[type=submit]');
    await popup.waitForSelector('#consent-title');
    const popupPng = await popup.screenshot();
    await customer.tab.bringToFront();
    const tabPng = await customer.tab.screenshot();
    await compose(
      browser,
      `<body style="margin:0"><img src="${dataUrl(tabPng)}" style="display:block">` +
        `<img src="${dataUrl(popupPng)}" style="position:absolute;top:8px;right:24px;border:1px solid #d0d5dd;border-radius:8px;box-shadow:0 12px 40px rgba(0,0,0,.25)"></body>`,
      SIZE,
      `${out}/1-consent.png`,
    );
    // Bringing the tab to the front closed the popup, as a click beside it does: open it again to consent.
    const again = await customer.openPopup();
    await again.waitForSelector('#consent-title');
    await customer.consent(again);
    await customer.waitForPhase('live');
    await viewer.waitForReplayText('#title', (t) => t.length > 0);
    await customer.tab.type('#name', lang === 'nl' ? 'Jan Jansen' : 'John Smith');
    await new Promise((r) => setTimeout(r, 500));
    await customer.tab.bringToFront();
    await customer.tab.screenshot({ path: `${out}/2-indicator.png` });
    await viewer.page.bringToFront();
    await poll('masked name in the viewer', async () => ((await viewer.replayValue('#name')) ?? '').length > 0, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    await viewer.page.screenshot({ path: `${out}/3-viewer.png` });
    await viewer.page.click('[data-testid=control-request]');
    await customer.tab.bringToFront();
    await new Promise((r) => setTimeout(r, 1500));
    await customer.tab.screenshot({ path: `${out}/4-control.png` });
    await viewer.endSession();
    await customer.waitForPhase('ended');
    if (lang === 'nl') {
      const icon = readFileSync('store-assets/icon.svg', 'utf8');
      await compose(
        browser,
        `<body style="margin:0;width:440px;height:280px;display:flex;align-items:center;gap:24px;padding:0 32px;box-sizing:border-box;background:#1849a9;color:#fff;font:16px/1.4 system-ui,sans-serif">` +
          `<div style="width:112px;height:112px;flex:none">${icon.replace('<svg', '<svg width="112" height="112"')}</div>` +
          `<div><div style="font:700 34px system-ui,sans-serif">Meekijk</div><div>Laat uw helpdesk meekijken in één tabblad: alleen met uw toestemming.</div></div></body>`,
        { width: 440, height: 280 },
        'store-assets/promo-tile-440x280.png',
      );
    }
  } finally {
    await stack.close();
  }
}

await shoot('nl');
await shoot('en');
console.log('store images written to store-assets/screenshots/ and store-assets/promo-tile-440x280.png');
process.exit(process.exitCode ?? 0);
