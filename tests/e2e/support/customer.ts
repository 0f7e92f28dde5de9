/** Page object for the customer: their tab, and the extension's popup opened from the toolbar. */
import type { Browser, Page, WebWorker } from 'puppeteer-core';
import type { CustomerExtension } from './extension';
import { popupResponseSchema, type SessionState } from '@/lib/protocol/runtime';
import { poll } from './stack';

/** Marks the extension page the tests ask the background from (see `sessionState`). */
const PROBE = '#state-probe';
/** One such page per browser, in a window of its own; closed whenever the toolbar popup opens. */
const probes = new WeakMap<Browser, Page>();

export class Customer {
  constructor(
    readonly browser: Browser,
    readonly extension: CustomerExtension,
    readonly tab: Page,
  ) {}

  static async open(browser: Browser, extension: CustomerExtension, url: string): Promise<Customer> {
    const tab = await browser.newPage({ type: 'window' });
    await tab.goto(url);
    return new Customer(browser, extension, tab);
  }

  /** Clicks the toolbar button (as the customer would), which grants activeTab and opens the popup. */
  async openPopup(): Promise<Page> {
    // One popup at a time, as in a real browser.
    // The state probe too (see `sessionState`): the toolbar popup would take its window for the current one.
    for (const page of await this.browser.pages()) if (this.extension.isPopup(page)) await page.close().catch(() => undefined);
    const popup = await this.extension.openPopup(this.tab);
    await popup.waitForSelector('main.popup h1');
    return popup;
  }

  /** Types the code, reads the consent screen and consents, all with real (trusted) input. */
  async joinWithCode(code: string): Promise<void> {
    const popup = await this.openPopup();
    await popup.waitForSelector('#code');
    await popup.type('#code', code);
    await popup.click('button[type=submit]');
    await popup.waitForSelector('#consent-title');
    await this.consent(popup);
    await this.waitForPhase('live');
  }

  /** The consent click in the popup (and, in Firefox, Allow on the site-access prompt that comes with it). */
  consent(popup: Page, allowSiteAccess = true): Promise<void> {
    return this.extension.consent(popup, this.tab, allowSiteAccess);
  }

  /** Stops the session from the popup, the way a customer would. */
  async stopFromPopup(): Promise<void> {
    const popup = await this.openPopup();
    await popup.waitForSelector('button.danger');
    await popup.click('button.danger');
    await this.waitForPhase('ended');
  }

  /** Evaluates an expression in an extension context (`chrome.*` is the extension API there). */
  evaluate<T = unknown>(expression: string): Promise<T> {
    return this.extension.evaluate<T>(expression);
  }

  /** Chromium's extension service worker (resilience tests stop it; Firefox has a background page instead). */
  async worker(): Promise<WebWorker> {
    if (this.extension.engine !== 'chromium') throw new Error('the extension service worker is Chromium only');
    const target = await this.browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(`${this.extension.origin}/`),
      { timeout: 10_000 },
    );
    const worker = await target.worker();
    if (!worker) throw new Error('no extension service worker');
    return worker;
  }

  /**
   * The session state as the popup reads it: a `get-state` request to the background, from an extension
   * page of ours (the background answers only those), opened in a window of its own in the background,
   * so the shared tab stays in front and stays the active tab of its window.
   */
  async sessionState(): Promise<SessionState | undefined> {
    // Firefox: the extension page kept open for `evaluate` asks (support/extension.ts).
    if (this.extension.engine === 'firefox') {
      return popupResponseSchema.parse(await this.extension.evaluate(`chrome.runtime.sendMessage({ type: 'get-state' })`)).state;
    }
    let probe = probes.get(this.browser);
    if (!probe || probe.isClosed()) {
      probe = await this.browser.newPage({ type: 'window', background: true });
      probes.set(this.browser, probe);
      await probe.goto(`${this.extension.origin}/popup.html${PROBE}`);
    }
    // Bounded: a message to a service worker that is being stopped may never be answered.
    const raw: unknown = await Promise.race([
      probe.evaluate(`chrome.runtime.sendMessage({ type: 'get-state' })`),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer from the background in 5 s')), 5_000)),
    ]);
    return popupResponseSchema.parse(raw).state;
  }

  /** The toolbar button's tooltip. */
  async toolbarTitle(): Promise<string> {
    return String(await this.onExtensionPage(`chrome.action.getTitle({})`));
  }

  /** The customer's own record of past sessions, as the popup reads it. */
  async history(): Promise<Array<{ sessionId: string; endedReason: string | null }>> {
    const raw = await this.onExtensionPage(`chrome.runtime.sendMessage({ type: 'get-history' })`);
    const response = popupResponseSchema.parse(raw);
    return response.ok ? (response.history ?? []) : [];
  }

  /** The toolbar badge, read from the same extension page (no DevTools session on the worker: it would keep it alive). */
  async badgeText(): Promise<string> {
    return String(await this.onExtensionPage(`chrome.action.getBadgeText({})`));
  }

  /**
   * Evaluates `expression` on an extension page of ours, never in the background itself: Chromium's state
   * probe page (`sessionState` opens it), Firefox's page kept open for `evaluate` (support/extension.ts).
   */
  private async onExtensionPage(expression: string): Promise<unknown> {
    if (this.extension.engine === 'firefox') return this.extension.evaluate(expression);
    await this.sessionState();
    return probes.get(this.browser)!.evaluate(expression);
  }

  async waitForPhase(phase: SessionState['phase'], timeoutMs = 20_000): Promise<SessionState> {
    let last: SessionState | undefined;
    try {
      return await poll(`customer session ${phase}`, async () => {
        last = await this.sessionState();
        return last?.phase === phase ? last : undefined;
      }, timeoutMs);
    } catch (error) {
      throw new Error(`${String(error)}; last state: ${JSON.stringify(last)}`);
    }
  }
}
