/**
 * Closing the browser ends the session for good (issue 3, art. 1.2): the peer dies with the browser, and
 * when the browser starts again the extension records the session as ended and tells the server; the same
 * session cannot be taken up again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension } from './support/browser';
import { pointExtensionAt, poll, startStack, type Stack } from './support/stack';
import { ViewerPage } from './support/viewer-page';
import { Customer } from './support/customer';

let stack: Stack;
let profile: string;

beforeAll(async () => {
  stack = await startStack();
  profile = await mkdtemp(path.join(tmpdir(), 'meekijk-profile-'));
});
afterAll(async () => {
  await stack?.close();
  await rm(profile, { recursive: true, force: true });
});

describe('closing the browser', () => {
  it('ends the session; after a restart it is recorded as ended and cannot be resumed', async () => {
    // The technician in the stack's browser; the customer in a browser of their own, with a kept profile.
    const viewer = await ViewerPage.open(stack.launched.browser, stack.serverUrl);
    await viewer.ensureSignedIn();
    const code = await viewer.startSession('HD-8000');
    const sessionId = decodeURIComponent(viewer.page.url().split('#/session/')[1] ?? '');

    const first = await launchWithExtension([], profile);
    await pointExtensionAt(first, stack.serverUrl);
    const customer = await Customer.open(first.browser, first.extension, `${stack.fixtures.url}/shop.html`);
    await customer.joinWithCode(code);
    await viewer.waitForTab('sharing');
    await first.browser.close();

    // The technician sees the connection go: waiting for the customer to come back within the grace period
    // (issue 17), or ended at once when the closing browser still told the tab's end.
    await poll('viewer reconnecting or ended', async () => (await viewer.linkState()) === 'reconnecting' || (await viewer.tabState()) === 'ended', 30_000);

    const second = await launchWithExtension([], profile);
    try {
      const again = new Customer(second.browser, second.extension, await second.browser.newPage());
      const entry = await poll('history entry ended by browser close', async () => {
        const worker = await again.worker();
        const stored = (await worker.evaluate('chrome.storage.local.get(["history", "activeSession", "endedSessions"])')) as {
          history?: Array<{ sessionId: string; endedReason: string | null }>;
          activeSession?: unknown;
          endedSessions?: string[];
        };
        const found = stored.history?.find((e) => e.sessionId === sessionId);
        return found?.endedReason && !stored.activeSession ? { found, ended: stored.endedSessions ?? [] } : undefined;
      }, 20_000);
      expect(entry.found.endedReason).toBe('browser-closed');
      expect(entry.ended).toContain(sessionId);
      const row = await stack.server.db.selectFrom('sessions').select('status').where('id', '=', sessionId).executeTakeFirstOrThrow();
      expect(row.status).toBe('ended');
      // The viewer shows the end (from the server when no goodbye came: it did not cause it).
      await viewer.waitForTab('ended', 10_000);
    } finally {
      await second.close();
    }
  });
});
