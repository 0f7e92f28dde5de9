/**
 * Test instrumentation, injected by the test into a page before its scripts run (never shipped): keeps a
 * reference to every RTCDataChannel the page gets, and counts what arrives on it, so a test can act as a
 * hostile peer or prove that nothing more arrives.
 */
import type { Page } from 'puppeteer-core';

export const CHANNEL_SPY = `(() => {
  const Original = window.RTCPeerConnection;
  window.__channels = [];
  const track = (channel) => {
    channel.__received = 0;
    channel.__receivedBytes = 0;
    channel.addEventListener('message', (e) => { channel.__received++; channel.__receivedBytes += e.data.byteLength ?? e.data.length ?? 0; });
    window.__channels.push(channel);
  };
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener('datachannel', (e) => track(e.channel));
    }
    createDataChannel(...args) {
      const channel = super.createDataChannel(...args);
      track(channel);
      return channel;
    }
  };
})();`;

export async function installChannelSpy(page: Page) {
  await page.evaluateOnNewDocument(CHANNEL_SPY);
}

export async function receivedCount(page: Page): Promise<{ messages: number; bytes: number }> {
  return page.evaluate(`(() => {
    const all = window.__channels ?? [];
    return { messages: all.reduce((n, c) => n + c.__received, 0), bytes: all.reduce((n, c) => n + c.__receivedBytes, 0) };
  })()`) as Promise<{ messages: number; bytes: number }>;
}

/** Sends raw bytes (given as an array of numbers) on the page's open data channel. */
export async function sendRaw(page: Page, bytes: number[]) {
  await page.evaluate(`(() => {
    const channel = (window.__channels ?? []).find((c) => c.readyState === 'open');
    if (!channel) throw new Error('no open data channel');
    channel.send(new Uint8Array(${JSON.stringify(bytes)}));
  })()`);
}

/**
 * Waits until nothing has arrived for `quietMs`, and returns the count then. The end of a session has
 * messages of its own in flight (the other side's goodbye), which may land after either side shows
 * "ended"; a test that proves nothing *more* arrives counts from here.
 */
export async function settledCount(page: Page, quietMs = 300, timeoutMs = 10_000): Promise<{ messages: number; bytes: number }> {
  const deadline = Date.now() + timeoutMs;
  let last = await receivedCount(page);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const now = await receivedCount(page);
    if (now.messages === last.messages && now.bytes === last.bytes) return now;
    if (Date.now() > deadline) throw new Error(`messages still arriving ${timeoutMs} ms after the end (${now.messages})`);
    last = now;
  }
}
