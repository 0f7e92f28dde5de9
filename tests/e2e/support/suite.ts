/**
 * The shared shape of an end-to-end file: one stack (server, fixtures, Chromium with the extension) for
 * the file, pages opened by a test closed after it, and the usual way into a session.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startStack, type Stack } from './stack';
import { ViewerPage } from './viewer-page';
import { Customer } from './customer';
import { installChannelSpy } from './channel-spy';
import { tapCustomerWire, tapViewerWire, type WireTap } from './privacy-wire';

export interface Invited {
  viewer: ViewerPage;
  customer: Customer;
  code: string;
  sessionId: string;
}

export interface Suite {
  readonly stack: Stack;
  /** Pages to close after the current test. */
  readonly opened: Page[];
  /** Viewer signed in with a new session (channel spy installed), and the customer's tab on `page` (a fixture path or a full URL). */
  invite(page?: string, ticket?: string): Promise<Invited>;
  /**
   * As invite(), with the data channel tapped at both ends for captureWire (support/privacy-wire.ts): the
   * customer's sender from before the viewer opens until the end of the test, and every frame the viewer receives.
   */
  inviteWithWire(page?: string, ticket?: string): Promise<Invited & { wire: WireTap }>;
}

export function useStack(env: Record<string, string> = {}, browserArgs: string[] = [], engines: Parameters<typeof startStack>[2] = {}): Suite {
  let stack: Stack | undefined;
  const opened: Page[] = [];
  const wires: WireTap[] = [];
  beforeAll(async () => {
    stack = await startStack(env, browserArgs, engines);
  });
  afterEach(async () => {
    for (const wire of wires.splice(0)) wire.stop();
    for (const page of opened.splice(0)) await page.close().catch(() => undefined);
  });
  afterAll(async () => {
    await stack?.close();
  });
  async function invite(page: string, ticket: string | undefined, tapViewer: boolean): Promise<Invited> {
    const { browser, extension } = suite.stack.launched;
    const viewer = await ViewerPage.open(suite.stack.viewerBrowser, suite.stack.serverUrl);
    opened.push(viewer.page);
    await installChannelSpy(viewer.page);
    if (tapViewer) await tapViewerWire(viewer.page);
    await viewer.page.reload();
    await viewer.ensureSignedIn();
    const code = await viewer.startSession(ticket);
    const sessionId = decodeURIComponent(viewer.page.url().split('#/session/')[1] ?? '');
    const customer = await Customer.open(browser, extension, /^https?:/.test(page) ? page : `${suite.stack.fixtures.url}${page}`);
    opened.push(customer.tab);
    return { viewer, customer, code, sessionId };
  }
  const suite: Suite = {
    get stack() {
      if (!stack) throw new Error('the stack is not up yet (use it inside a test)');
      return stack;
    },
    opened,
    invite: (page = '/shop.html', ticket) => invite(page, ticket, false),
    async inviteWithWire(page = '/shop.html', ticket) {
      const { browser, extension } = suite.stack.launched;
      const wire = tapCustomerWire(browser, extension);
      wires.push(wire);
      return { ...(await invite(page, ticket, true)), wire };
    },
  };
  return suite;
}
