/**
 * The tab agent lets go when its page goes away (pagehide): Firefox can keep the page in its
 * back-forward cache with the ports open, and the background would not learn that the shared tab has a
 * new document to share (lib/tab/tab-agent.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { startTabAgent } from '@/lib/tab/tab-agent';

function fakePort(name: string) {
  const port = {
    name,
    disconnected: false,
    postMessage: vi.fn(),
    disconnect: () => void (port.disconnected = true),
    onMessage: { addListener: vi.fn(), removeListener: vi.fn(), hasListener: vi.fn() },
    onDisconnect: { addListener: vi.fn(), removeListener: vi.fn(), hasListener: vi.fn() },
  };
  return port;
}

describe('tab agent and the page going away', () => {
  it('disconnects from the background on pagehide, once, and listens to nothing afterwards', () => {
    const win = Object.assign(new EventTarget(), { location: { hostname: 'shop.example' } }) as unknown as Window;
    const ports: Array<ReturnType<typeof fakePort>> = [];
    const connect = (name: string) => {
      const port = fakePort(name);
      ports.push(port);
      return port as unknown as Runtime.Port;
    };
    const toPage = vi.fn();
    win.addEventListener('meekijk:to-page', toPage);
    startTabAgent({ connect, window: win });
    expect(ports.map((p) => p.disconnected)).toEqual([false]);
    win.dispatchEvent(new Event('pagehide'));
    expect(ports.map((p) => p.disconnected)).toEqual([true]);
    expect(toPage).toHaveBeenCalledTimes(1); // the page-world recorder is told to stop
    win.dispatchEvent(new Event('pagehide'));
    expect(toPage).toHaveBeenCalledTimes(1);
  });
});
