/**
 * The peer host: where the customer's WebRTC peer lives during a session (the offscreen document in
 * Chrome, the background page in Firefox). It takes orders from the background over a port and reports
 * state and the viewer's messages back. Same code in both browsers; only the port differs.
 */
import { backgroundToPeerSchema, type PeerToBackground } from '@/lib/protocol/runtime';
import { decodeEvents } from '@/lib/protocol/events-decode';
import { connectCustomer, type CustomerLink } from './customer-link';
import { receiveTabEvents, type EventsPortSource } from './tab-events';
import { createAssetRelay } from './assets/asset-relay';

export interface HostPort {
  post(message: PeerToBackground): void;
  onMessage(listener: (raw: unknown) => void): void;
  onDisconnect(listener: () => void): void;
}

const HEARTBEAT_MS = 10_000;

/**
 * Serves one background connection; returns the teardown. `tabPorts`: where the shared tab's events port
 * comes in (lib/peer/tab-events.ts).
 */
export function servePeerHost(port: HostPort, onIdle: () => void = () => undefined, tabPorts?: EventsPortSource): () => Promise<void> {
  let link: CustomerLink | undefined;
  const heartbeat = setInterval(() => port.post({ type: 'heartbeat' }), HEARTBEAT_MS);
  let stats: ReturnType<typeof setInterval> | undefined;
  // Issue 20: the bytes of what the events' tokens name, once per connection, behind the events; a new
  // session (`connect`) starts with a relay of its own.
  const newAssetRelay = () =>
    createAssetRelay({
      link: () => {
        const current = link;
        const s = current?.stats;
        // In our queue and in the channel's own buffer: an event sent now waits behind all of it.
        return current && s ? { send: (m) => current.send(m), generation: current.generation, queuedBytes: s.queuedBytes + s.bufferedBytes } : undefined;
      },
      onError: (error) => console.warn('meekijk: peer host could not prepare an asset:', error instanceof Error ? error.message : error),
    });
  let assets = newAssetRelay();
  const tabEvents = tabPorts
    ? receiveTabEvents(tabPorts, {
        // The trust boundary for what the shared page recorded: parsed and checked here, before it is sent.
        onEvents: (json) => {
          if (!link) return;
          try {
            link.send({ type: 'events', events: decodeEvents(json) });
          } catch (error) {
            console.warn('meekijk: peer host dropped a malformed event batch:', error instanceof Error ? error.message : error);
          }
        },
        onAsset: (message) => assets.accept(message),
        onActivity: () => port.post({ type: 'activity' }),
      })
    : undefined;

  const teardown = async () => {
    clearInterval(heartbeat);
    if (stats) clearInterval(stats);
    tabEvents?.close();
    assets.stop();
    const closing = link;
    link = undefined;
    await closing?.close();
  };

  port.onMessage((raw) => {
    const parsed = backgroundToPeerSchema.safeParse(raw);
    if (!parsed.success) {
      console.warn('meekijk: peer host dropped a malformed order', parsed.error.issues[0]);
      return;
    }
    const message = parsed.data;
    if (message.type === 'connect') {
      void link?.close();
      assets.stop();
      assets = newAssetRelay();
      link = connectCustomer({
        serverUrl: message.serverUrl,
        join: message.join,
        invite: message.invite,
        onMessage: (viewerMessage) => port.post({ type: 'message', message: viewerMessage }),
        onState: (state, detail) => port.post({ type: 'state', state, ...(detail ? { detail } : {}) }),
        onVerificationCode: (code) => port.post({ type: 'verification', code: code.replace(/\s+/g, '') }),
        onServerBack: () => port.post({ type: 'server-back' }),
      });
      tabEvents?.expect(message.tabId);
      stats ??= setInterval(() => {
        const s = link?.stats;
        if (s) port.post({ type: 'stats', wireBytes: s.sentBytes, rawBytes: s.rawBytes });
      }, 2_000);
    } else if (message.type === 'send') {
      link?.send(message.message);
    } else if (message.type === 'close') {
      void teardown().then(onIdle);
    }
  });
  port.onDisconnect(() => void teardown().then(onIdle));
  return teardown;
}
