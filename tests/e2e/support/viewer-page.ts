/** Page object for the technician's viewer. */
import type { Browser, Page } from 'puppeteer-core';
import { poll, TECHNICIAN } from './stack';

export class ViewerPage {
  private constructor(readonly page: Page) {}

  /** A viewer already open in `page` (signed in by the test itself, in its own browser context). */
  static attach(page: Page): ViewerPage {
    return new ViewerPage(page);
  }

  static async open(browser: Browser, serverUrl: string): Promise<ViewerPage> {
    // Its own window, so it keeps rendering (rrweb's live replay runs on requestAnimationFrame).
    const page = await browser.newPage({ type: 'window' });
    await page.goto(`${serverUrl}/`);
    return new ViewerPage(page);
  }

  /** Signs in unless this browser already holds a session cookie. */
  async ensureSignedIn() {
    const first = await this.page.waitForSelector('input[name=email], input[name=ticket]');
    if (await first?.evaluate((el) => el.getAttribute('name') === 'email')) await this.signIn();
  }

  async signIn(email = TECHNICIAN.email, password = TECHNICIAN.password) {
    await this.page.waitForSelector('input[name=email]');
    await this.page.type('input[name=email]', email);
    await this.page.type('input[name=password]', password);
    await this.page.click('button[type=submit]');
    await this.page.waitForSelector('input[name=ticket]');
  }

  /** Starts a session for a ticket and returns the 6-digit code shown to give the customer. */
  async startSession(ticket = 'T-1001'): Promise<string> {
    await this.page.type('input[name=ticket]', ticket);
    await this.page.click('button[type=submit]');
    await this.page.waitForSelector('[data-testid=invite-code]');
    await this.waitForLink('waiting');
    const code = await this.page.$eval('[data-testid=invite-code]', (el) => el.textContent ?? '');
    return code.replace(/\s+/g, '');
  }

  async linkState(): Promise<string | null> {
    return this.page.$eval('main.session', (el) => el.getAttribute('data-link')).catch(() => null);
  }

  async tabState(): Promise<string | null> {
    return this.page.$eval('main.session', (el) => el.getAttribute('data-tab')).catch(() => null);
  }

  async waitForLink(state: string, timeoutMs = 15_000) {
    await poll(`viewer link state ${state}`, async () => (await this.linkState()) === state, timeoutMs);
  }

  async waitForTab(state: string, timeoutMs = 15_000) {
    await poll(`viewer tab state ${state}`, async () => (await this.tabState()) === state, timeoutMs);
  }

  /** Text of an element inside the replayed page, or null. */
  async replayText(selector: string): Promise<string | null> {
    return this.page.evaluate((sel) => {
      const frame = document.querySelector<HTMLIFrameElement>('.stage iframe');
      return frame?.contentDocument?.querySelector(sel)?.textContent ?? null;
    }, selector);
  }

  async replayValue(selector: string): Promise<string | null> {
    return this.page.evaluate((sel) => {
      const frame = document.querySelector<HTMLIFrameElement>('.stage iframe');
      const el = frame?.contentDocument?.querySelector(sel);
      return el && 'value' in el ? String((el as HTMLInputElement).value) : null;
    }, selector);
  }

  async replayHtml(): Promise<string> {
    return this.page.evaluate(() => document.querySelector<HTMLIFrameElement>('.stage iframe')?.contentDocument?.documentElement.outerHTML ?? '');
  }

  async waitForReplayText(selector: string, predicate: (text: string) => boolean, timeoutMs = 15_000): Promise<string> {
    await this.page.bringToFront();
    return poll(`replayed ${selector}`, async () => {
      const text = await this.replayText(selector);
      return text !== null && predicate(text) ? text : undefined;
    }, timeoutMs);
  }

  async endSession() {
    await this.page.click('.statusbar button.danger');
  }

  /** The technician clicks on a replayed element, as a person would; returns where, in the viewer's pixels. */
  async clickReplayed(selector: string): Promise<{ x: number; y: number }> {
    const at = await this.page.evaluate((sel) => {
      const iframe = document.querySelector<HTMLIFrameElement>('.stage iframe')!;
      const el = iframe.contentDocument!.querySelector(sel)!;
      const r = el.getBoundingClientRect();
      const f = iframe.getBoundingClientRect();
      const scale = f.width / iframe.offsetWidth;
      return { x: f.left + (r.left + r.width / 2) * scale, y: f.top + (r.top + r.height / 2) * scale };
    }, selector);
    await this.page.bringToFront();
    await this.page.mouse.click(at.x, at.y);
    return at;
  }
}
