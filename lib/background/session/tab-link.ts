/**
 * The background's end of the shared tab's port (`meekijk:tab`): only the consented tab's top frame is
 * accepted, everything it sends is parsed (the content script runs inside a page we do not trust), and
 * the tab is told to start only once the peer host knows which tab's events to accept.
 */
import type { Runtime } from 'webextension-polyfill';
import { tabToBackgroundSchema, type BackgroundToTab, type TabToBackground } from '@/lib/protocol/runtime';

export interface TabLink {
  /** Posts to the tab; false when the port is gone. */
  post(message: BackgroundToTab): boolean;
  readonly connected: boolean;
  disconnect(): void;
}

export interface TabLinkEvents {
  onMessage(message: TabToBackground): void;
  /** The tab's side went away (navigation, tab closed, extension reloaded). */
  onLost(): void;
}

/** Whether `port` comes from the top frame of the shared tab. */
export function isSharedTabPort(port: Runtime.Port, tabId: number | null): boolean {
  return tabId !== null && port.sender?.tab?.id === tabId && port.sender?.frameId === 0;
}

export function linkTab(port: Runtime.Port, events: TabLinkEvents): TabLink {
  let connected = true;
  port.onMessage.addListener((raw: unknown) => {
    if (!connected) return;
    const parsed = tabToBackgroundSchema.safeParse(raw);
    if (!parsed.success) {
      console.warn('meekijk: dropped a malformed message from the shared tab', parsed.error.issues[0]);
      return;
    }
    events.onMessage(parsed.data);
  });
  port.onDisconnect.addListener(() => {
    if (!connected) return;
    connected = false;
    events.onLost();
  });
  return {
    post(message) {
      if (!connected) return false;
      try {
        port.postMessage(message);
        return true;
      } catch {
        connected = false;
        return false;
      }
    },
    get connected() {
      return connected;
    },
    disconnect() {
      if (!connected) return;
      connected = false;
      port.disconnect();
    },
  };
}

export function originOf(url: string | undefined): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}
