/**
 * The shared tab's events port, received where the peer lives (the offscreen document in Chrome, the
 * background page in Firefox), so recorded events go from the page straight to the sender instead of
 * through the service worker, which is markedly faster for a large snapshot (docs/performance.md, "A port
 * for the events, straight to the peer host").
 *
 * A trust boundary: the port is opened by a content script inside a page we do not trust. Accepted only
 * from this extension's own content script, in the top frame of the one tab the customer consented to
 * (told by the background in its `connect` order); anything else is disconnected. What arrives is checked
 * again by the peer host (decodeEvents) before it is sent.
 */
import * as z from 'zod/mini';
import { EVENTS_PORT, tabAssetSchema, tabEventsSchema, type TabAsset } from '@/lib/protocol/tab-port';

/** Everything the events port carries: event batches, and the assets their tokens name (issue 20). */
const tabPortSchema = z.union([tabEventsSchema, tabAssetSchema]);

/** The part of a runtime port this module uses (webextension-polyfill's Runtime.Port has it). */
export interface EventsPort {
  readonly name: string;
  readonly sender?: { id?: string; frameId?: number; tab?: { id?: number } };
  onMessage: { addListener(listener: (raw: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
  disconnect(): void;
}

export interface EventsPortSource {
  /** This extension's id: a port from anyone else is refused. */
  extensionId: string;
  /** Subscribes to every new runtime port; returns the unsubscribe. */
  onConnect(listener: (port: EventsPort) => void): () => void;
}

export interface TabEventsOptions {
  /** A well-formed batch from the consented tab, as JSON text. */
  onEvents(json: string): void;
  /** An asset's bytes, or why there are none, from the consented tab (issue 20). */
  onAsset?(message: TabAsset): void;
  /** The tab sent something: its page is in use (at most once per `activityEveryMs`). */
  onActivity(): void;
  activityEveryMs?: number;
  now?: () => number;
}

export interface TabEvents {
  /** The consented tab; a port that came before it was known is checked now. */
  expect(tabId: number): void;
  /** Disconnects the tab and stops listening. */
  close(): void;
}

/** Batches a port may send before its tab is known (it normally is; this only covers a reordering). */
const EARLY_LIMIT = 64;

export function receiveTabEvents(source: EventsPortSource, options: TabEventsOptions): TabEvents {
  const now = options.now ?? Date.now;
  const activityEveryMs = options.activityEveryMs ?? 1_000;
  let tabId: number | undefined;
  let current: EventsPort | undefined;
  /** A port that came before its tab was known, and what it sent meanwhile. */
  let early: { port: EventsPort; held: unknown[] } | undefined;
  let lastActivity = -Infinity;

  const refuse = (port: EventsPort) => {
    try {
      port.disconnect();
    } catch {
      // already gone
    }
  };
  const deliver = (raw: unknown) => {
    const parsed = tabPortSchema.safeParse(raw);
    if (!parsed.success) {
      console.warn('meekijk: dropped a malformed message on the events port', parsed.error.issues[0]);
      return;
    }
    const message = parsed.data;
    // Assets are the recorder's own reading, not the customer using the page: no activity.
    if (message.type !== 'events') return options.onAsset?.(message);
    options.onEvents(message.json);
    const at = now();
    if (at - lastActivity >= activityEveryMs) {
      lastActivity = at;
      options.onActivity();
    }
  };
  const fromConsentedTab = (port: EventsPort) => port.sender?.frameId === 0 && port.sender.tab?.id === tabId;
  const adopt = (port: EventsPort, held: unknown[] = []) => {
    if (current && current !== port) refuse(current);
    current = port;
    held.forEach(deliver);
  };

  const unsubscribe = source.onConnect((port) => {
    if (port.name !== EVENTS_PORT) return;
    const sender = port.sender;
    if (sender?.id !== source.extensionId || sender.frameId !== 0 || typeof sender.tab?.id !== 'number') {
      refuse(port);
      return;
    }
    port.onMessage.addListener((raw) => {
      if (current === port) deliver(raw);
      else if (early?.port === port && early.held.push(raw) > EARLY_LIMIT) {
        early = undefined;
        refuse(port);
      }
    });
    port.onDisconnect.addListener(() => {
      if (current === port) current = undefined;
      if (early?.port === port) early = undefined;
    });
    if (tabId === undefined) {
      if (early) refuse(early.port);
      early = { port, held: [] };
    } else if (fromConsentedTab(port)) adopt(port);
    else refuse(port);
  });

  return {
    expect(id) {
      tabId = id;
      if (current && !fromConsentedTab(current)) {
        refuse(current);
        current = undefined;
      }
      const waiting = early;
      early = undefined;
      if (waiting && fromConsentedTab(waiting.port)) adopt(waiting.port, waiting.held);
      else if (waiting) refuse(waiting.port);
    },
    close() {
      unsubscribe();
      if (current) refuse(current);
      if (early) refuse(early.port);
      current = undefined;
      early = undefined;
      tabId = undefined;
    },
  };
}
