/** Page object for the customer: their tab, and the extension's popup opened from the toolbar. */
import type { Browser, Extension, Page } from 'puppeteer-core';
import { poll } from './stack';

export class Customer {
  constructor(
    readonly browser: Browser,
    readonly extension: Extension,
    readonly tab: Page,
  ) {}

  static async open(browser: Browser, extension: Extension, url: string): Promise<Customer> {
    const tab = await browser.newPage({ type: 'window' });
    await tab.goto(url);
    return new Customer(browser, extension, tab);
  }

  /** Clicks the toolbar button (as the customer would), which grants activeTab and opens the popup. */
  async openPopup(): Promise<Page> {
    await this.tab.bringToFront();
    await this.tab.triggerExtensionAction(this.extension);
    const target = await this.browser.waitForTarget((t) => t.url().startsWith(`chrome-extension://${this.extension.id}/popup.html`), { timeout: 10_000 });
    const popup = await target.asPage();
    await popup.waitForSelector('main.popup h1');
    return popup;
  }

  /** Types the code, reads the consent screen and consents, all with real (trusted) input. */
  async joinWithCode(code: string): Promise<Page> {
    const popup = await this.openPopup();
    await popup.waitForSelector('#code');
    await popup.type('#code', code);
    await popup.click('button[type=submit]');
    await popup.waitForSelector('#consent-title');
    await popup.click('.actions button.primary');
    await poll('popup live', async () => popup.$('.status.live'));
    return popup;
  }
}
