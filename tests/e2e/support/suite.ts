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

export interface Suite {
  readonly stack: Stack;
  /** Pages to close after the current test. */
  readonly opened: Page[];
  /** Viewer signed in with a new session (channel spy installed), and the customer's tab on `page`. */
  invite(page?: string, ticket?: string): Promise<{ viewer: ViewerPage; customer: Customer; code: string; sessionId: string }>;
}

export function useStack(env: Record<string, string> = {}, browserArgs: string[] = [], executablePath?: string): Suite {
  let stack: Stack | undefined;
  const opened: Page[] = [];
  beforeAll(async () => {
    stack = await startStack(env, browserArgs, executablePath);
  });
  afterEach(async () => {
    for (const page of opened.splice(0)) await page.close().catch(() => undefined);
  });
  afterAll(async () => {
    await stack?.close();
  });
  const suite: Suite = {
    get stack() {
      if (!stack) throw new Error('the stack is not up yet (use it inside a test)');
      return stack;
    },
    opened,
    async invite(page = '/shop.html', ticket) {
      const { browser, extension } = suite.stack.launched;
      const viewer = await ViewerPage.open(browser, suite.stack.serverUrl);
      opened.push(viewer.page);
      await installChannelSpy(viewer.page);
      await viewer.page.reload();
      await viewer.ensureSignedIn();
      const code = await viewer.startSession(ticket);
      const sessionId = decodeURIComponent(viewer.page.url().split('#/session/')[1] ?? '');
      const customer = await Customer.open(browser, extension, `${suite.stack.fixtures.url}${page}`);
      opened.push(customer.tab);
      return { viewer, customer, code, sessionId };
    },
  };
  return suite;
}
