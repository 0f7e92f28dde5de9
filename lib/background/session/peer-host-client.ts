/**
 * How the background reaches the peer host. Chrome: an offscreen document (reason WEB_RTC) connected over
 * a runtime port. Firefox: the background page has RTCPeerConnection itself, so the host runs in-process.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { servePeerHost } from '@/lib/peer/peer-host';
import { runtimePorts } from '@/lib/peer/runtime-ports';
import { PEER_PORT, peerToBackgroundSchema, type BackgroundToPeer, type PeerToBackground } from '@/lib/protocol/runtime';

export interface PeerHostClient {
  post(message: BackgroundToPeer): Promise<void>;
  /**
   * Sends `goodbye` (if given) and tears the peer down. Starts synchronously: a session started right
   * after waits for this one's peer to be gone.
   */
  close(goodbye?: BackgroundToPeer): Promise<void>;
  onEvent(listener: (message: PeerToBackground) => void): void;
  /** The peer host went away on its own (its offscreen document was closed or crashed), not by `close()`. */
  onLost?(listener: () => void): void;
}

interface OffscreenApi {
  offscreen: {
    createDocument(options: { url: string; reasons: string[]; justification: string }): Promise<void>;
    closeDocument(): Promise<void>;
  };
  runtime: { getContexts(filter: { contextTypes: string[] }): Promise<unknown[]> };
}

export function createOffscreenPeerHost(chromeApi: OffscreenApi): PeerHostClient {
  const listeners: Array<(message: PeerToBackground) => void> = [];
  const lostListeners: Array<() => void> = [];
  const offscreenUrl = browser.runtime.getURL('/offscreen.html');
  let port: Runtime.Port | undefined;
  let waiting: Array<(port: Runtime.Port) => void> = [];
  /** The previous session's document going away; a new session waits for it (one peer at a time). */
  let closing: Promise<void> = Promise.resolve();

  browser.runtime.onConnect.addListener((candidate) => {
    // Others, the shared tab's events port among them (the offscreen document's: lib/peer/tab-events.ts),
    // are left alone: a disconnect here would close them for the tab too.
    if (candidate.name !== PEER_PORT) return;
    // Only our own offscreen document may host the peer.
    if (candidate.sender?.url !== offscreenUrl || candidate.sender?.id !== browser.runtime.id) {
      candidate.disconnect();
      return;
    }
    port = candidate;
    candidate.onMessage.addListener((raw: unknown) => {
      const parsed = peerToBackgroundSchema.safeParse(raw);
      if (parsed.success) listeners.forEach((l) => l(parsed.data));
    });
    candidate.onDisconnect.addListener(() => {
      if (port !== candidate) return;
      port = undefined;
      lostListeners.forEach((l) => l());
    });
    const ready = waiting;
    waiting = [];
    ready.forEach((resolve) => resolve(candidate));
  });

  const start = async (): Promise<Runtime.Port> => {
    await closing;
    if (port) return port;
    const connected = new Promise<Runtime.Port>((resolve) => waiting.push(resolve));
    const existing = await chromeApi.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
    if (existing.length === 0) {
      await chromeApi.offscreen.createDocument({
        url: 'offscreen.html',
        reasons: ['WEB_RTC'],
        justification: 'Holds the WebRTC connection to the technician during a session the customer consented to.',
      });
    }
    return connected;
  };
  /**
   * One start at a time, shared by every message posted meanwhile: a second createDocument would fail (one
   * offscreen document per extension) and lose its message, and the messages go out in the order posted
   * (the connect order first, then the tab's events, which start at consent too).
   */
  let starting: Promise<Runtime.Port> | undefined;
  const ensure = (): Promise<Runtime.Port> => {
    if (port && !starting) return Promise.resolve(port);
    starting ??= start().finally(() => {
      starting = undefined;
    });
    return starting;
  };

  return {
    async post(message) {
      (await ensure()).postMessage(message);
    },
    close(goodbye) {
      const current = port;
      port = undefined;
      closing = (async () => {
        if (current && goodbye) {
          try {
            current.postMessage(goodbye);
          } catch {
            // already disconnected
          }
        }
        if (current) {
          // The document tears the peer down (letting the goodbye drain) and then closes itself.
          const gone = new Promise<void>((resolve) => current.onDisconnect.addListener(() => resolve()));
          try {
            current.postMessage({ type: 'close' } satisfies BackgroundToPeer);
          } catch {
            // already disconnected
          }
          await Promise.race([gone, new Promise((r) => setTimeout(r, 2_000))]);
        }
        const left = await chromeApi.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] }).catch(() => []);
        if (left.length > 0) await chromeApi.offscreen.closeDocument().catch(() => undefined);
      })();
      return closing;
    },
    onEvent(listener) {
      listeners.push(listener);
    },
    onLost(listener) {
      lostListeners.push(listener);
    },
  };
}

export function createInlinePeerHost(): PeerHostClient {
  const listeners: Array<(message: PeerToBackground) => void> = [];
  let toHost: ((raw: unknown) => void) | undefined;
  let disconnect: (() => void) | undefined;
  const start = () => {
    servePeerHost(
      {
        post: (message) => listeners.forEach((l) => l(message)),
        onMessage: (listener) => (toHost = listener),
        onDisconnect: (listener) => (disconnect = listener),
      },
      undefined,
      // Firefox: the shared tab's events port comes to this background page, where the peer is.
      runtimePorts(),
    );
  };
  return {
    async post(message) {
      if (!toHost) start();
      toHost?.(message);
    },
    async close(goodbye) {
      if (goodbye) toHost?.(goodbye);
      toHost?.({ type: 'close' } satisfies BackgroundToPeer);
      toHost = undefined;
      disconnect = undefined;
    },
    onEvent(listener) {
      listeners.push(listener);
    },
  };
}
