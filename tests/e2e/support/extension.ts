/**
 * The customer's installed extension, in either browser: how a test clicks its toolbar button and reads
 * its state. Chromium goes through the DevTools protocol (the action, the service worker); Firefox through
 * WebDriver BiDi with chrome-privileged script (support/gecko.ts) and an extension page as the handle.
 */
import type { Browser, Extension, Page, WebWorker } from 'puppeteer-core';
import { answerPermissionPrompt, clickToolbarButton, contextOf, openBackgroundTab } from './gecko';

export type Engine = 'chromium' | 'firefox';

export interface CustomerExtension {
  readonly engine: Engine;
  /** Chromium's extension id, or Firefox's internal UUID (pinned by the test, see browser.ts). */
  readonly id: string;
  /** The origin of the extension's own pages: chrome-extension://id or moz-extension://uuid. */
  readonly origin: string;
  /** Clicks the toolbar button while `tab` is in front (granting activeTab) and returns the popup page. */
  openPopup(tab: Page): Promise<Page>;
  /** Evaluates an expression in an extension context, where `chrome.*` is the extension API. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Whether this page is one of the extension's popups. */
  isPopup(page: Page): boolean;
  /**
   * The customer's consent click in `popup`, and their answer to what the browser asks with it: Firefox
   * asks for the site's access for the session (lib/shared/site-access); Chrome asks nothing.
   */
  consent(popup: Page, tab: Page, allowSiteAccess?: boolean): Promise<void>;
}

export function chromiumExtension(browser: Browser, extension: Extension): CustomerExtension {
  const origin = `chrome-extension://${extension.id}`;
  const worker = async (): Promise<WebWorker> => {
    const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`${origin}/`), { timeout: 10_000 });
    const found = await target.worker();
    if (!found) throw new Error('no extension service worker');
    return found;
  };
  const popupUrl = `${origin}/popup.html`;
  return {
    engine: 'chromium',
    id: extension.id,
    origin,
    async openPopup(tab) {
      await tab.bringToFront();
      await tab.triggerExtensionAction(extension);
      const target = await browser.waitForTarget((t) => t.url().startsWith(popupUrl), { timeout: 10_000 });
      return target.asPage();
    },
    async evaluate<T>(expression: string) {
      return (await (await worker()).evaluate(expression)) as T;
    },
    isPopup: (page) => page.url().startsWith(popupUrl),
    async consent(popup) {
      await popup.click('.actions button.primary');
    },
  };
}

/**
 * Firefox. The real popup opens in a panel that WebDriver BiDi does not reach, so the test clicks the real
 * button (which grants activeTab exactly as a click does) and then drives the same popup page loaded in a
 * background tab of the customer's window: there `tabs.query({ active: true, currentWindow: true })`, which
 * the popup asks for the tab to share, answers the customer's tab, as in the panel.
 */
export function firefoxExtension(browser: Browser, addonId: string, uuid: string): CustomerExtension {
  const origin = `moz-extension://${uuid}`;
  const popupUrl = `${origin}/popup.html`;
  /** An extension page kept open for `evaluate` (the background page is not reachable over BiDi). */
  const handleUrl = `${origin}/popup.html#test-handle`;
  let handle: Promise<Page> | undefined;
  const getHandle = () => {
    handle ??= (async () => {
      const page = await browser.newPage({ background: true });
      await page.goto(handleUrl, { waitUntil: 'domcontentloaded' }).catch(() => undefined);
      return page;
    })();
    return handle;
  };
  return {
    engine: 'firefox',
    id: uuid,
    origin,
    async openPopup(tab) {
      await tab.bringToFront();
      return openBackgroundTab(browser, tab, await clickToolbarButton(browser, tab, addonId));
    },
    async evaluate<T>(expression: string) {
      const page = await getHandle();
      return (await page.evaluate(`(async () => await (${expression}))()`)) as T;
    },
    isPopup: (page) => page.url().startsWith(popupUrl) && page.url() !== handleUrl,
    async consent(popup, tab, allowSiteAccess = true) {
      await popup.click('.actions button.primary');
      const asked = await answerPermissionPrompt(popup, allowSiteAccess, 10_000);
      if (asked !== null) return;
      // No prompt: Firefox asks nothing when the site's access is held already.
      const site = `${new URL(tab.url()).protocol}//${new URL(tab.url()).hostname}/*`;
      const held = await this.evaluate<boolean>(`chrome.permissions.contains({ origins: [${JSON.stringify(site)}] })`);
      if (!held) throw new Error(`Firefox did not ask for the site access (${site}) with the consent`);
    },
  };
}

export { contextOf };
