/**
 * TURN for real (issue 22): Debian's coturn with deploy/turnserver.conf and a static-auth-secret, the
 * server handing out per-session credentials for it, and both ends forced to relay
 * (MEEKIJK_ICE_TRANSPORT_POLICY=relay, so the browsers gather no other candidate): a whole session works,
 * and coturn saw each end allocate a relay with that session's credentials.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoturn, type Turn } from '@/scripts/services/coturn';
import { Customer } from './support/customer';
import { poll, startStack, type Stack } from './support/stack';
import { ViewerPage } from './support/viewer-page';

let turn: Turn;
let stack: Stack;

beforeAll(async () => {
  turn = await startCoturn(randomBytes(24).toString('base64url'));
  stack = await startStack({ MEEKIJK_TURN_URLS: turn.url, MEEKIJK_TURN_SECRET: turn.secret, MEEKIJK_ICE_TRANSPORT_POLICY: 'relay' });
});

afterAll(async () => {
  await stack?.close();
  await turn?.stop();
});

describe('TURN relay (coturn)', () => {
  it('a whole session works with both ends forced through the relay', async () => {
    const { browser, extension } = stack.launched;
    const viewer = await ViewerPage.open(browser, stack.serverUrl);
    await viewer.ensureSignedIn();
    const code = await viewer.startSession('TURN-1');
    const sessionId = decodeURIComponent(viewer.page.url().split('#/session/')[1] ?? '');
    const customer = await Customer.open(browser, extension, `${stack.fixtures.url}/shop.html`);
    await customer.joinWithCode(code);
    await viewer.waitForTab('sharing');
    await viewer.waitForReplayText('#title', (t) => t === 'Uw bestelling');
    const sentinel = `relayed-${randomBytes(6).toString('hex')}`;
    await customer.tab.evaluate((text) => {
      const title = document.querySelector('#title');
      if (title) title.textContent = text;
    }, sentinel);
    await viewer.waitForReplayText('#title', (t) => t === sentinel);

    // Both ends allocated a relay with this session's credentials (username "<expiry>:<session id>").
    const allocations = await poll('two relay allocations', async () => {
      const lines = turn.output().split('\n').filter((line) => line.includes(`:${sessionId}>`) && /ALLOCATE processed, success/.test(line));
      return lines.length >= 2 ? lines : undefined;
    });
    expect(allocations.length).toBeGreaterThanOrEqual(2);

    await viewer.endSession();
    expect((await customer.waitForPhase('ended')).endedReason).toBe('technician-ended');
    await viewer.page.close();
    await customer.tab.close();
  });
});
