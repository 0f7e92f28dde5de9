/**
 * TURN for real (issue 22): Debian's coturn with deploy/turnserver.conf and a static-auth-secret, the
 * server handing out per-session credentials for it, and both ends forced to relay
 * (MEEKIJK_ICE_TRANSPORT_POLICY=relay, so the browsers gather no other candidate): a whole session works,
 * and coturn saw each end allocate a relay with that session's credentials. Those credentials end: coturn
 * refuses one whose expiry (the first part of the username, which the server sets to the session's latest
 * end: tests/server/turn-lifetime.test.ts) has passed, and grants the same one with a future expiry.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { turnCredential } from '@/server/ice';
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

  it('coturn refuses the session credentials once their expiry has passed', async () => {
    const page = await stack.launched.browser.newPage();
    try {
      await page.goto(stack.serverUrl);
      const sessionId = randomBytes(16).toString('base64url');
      const nowS = Math.floor(Date.now() / 1000);
      const expired = await relayCandidates(page, `${nowS - 60}:${sessionId}`);
      const valid = await relayCandidates(page, `${nowS + 600}:${sessionId}`);
      expect(valid).toBeGreaterThan(0); // the same scheme and secret, not yet expired: a relay
      expect(expired).toBe(0);
      // coturn's own word for it: the expired name has no credentials (error 401).
      expect(turn.output()).toContain(`user <${nowS - 60}:${sessionId}>: incoming packet message processed, error 401: Unauthorized`);
    } finally {
      await page.close();
    }
  });
});

/** Relay candidates Chromium gathers with this TURN username (the credential made as server/ice.ts makes it). */
async function relayCandidates(page: Page, username: string): Promise<number> {
  const server = { urls: turn.url, username, credential: turnCredential(turn.secret, username) };
  return page.evaluate(async (iceServer) => {
    const pc = new RTCPeerConnection({ iceServers: [iceServer], iceTransportPolicy: 'relay' });
    let relays = 0;
    const done = new Promise<void>((resolve) => {
      pc.addEventListener('icecandidate', (event) => {
        if (event.candidate === null) resolve();
        else if (event.candidate.type === 'relay') relays += 1;
      });
      setTimeout(resolve, 20_000);
    });
    pc.createDataChannel('probe');
    await pc.setLocalDescription(await pc.createOffer());
    await done;
    pc.close();
    return relays;
  }, server);
}
