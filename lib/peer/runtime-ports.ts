/** The browser's runtime ports as an EventsPortSource (lib/peer/tab-events.ts), for wherever the peer host runs. */
import browser, { type Runtime } from 'webextension-polyfill';
import { EVENTS_PORT } from '@/lib/protocol/tab-port';
import type { EventsPortSource } from './tab-events';

/**
 * A port opened with runtime.connect reaches every extension context that listens (in Chrome, the service
 * worker and the offscreen document both get the tab's ports), and a disconnect by any of them closes it
 * for the opener. So ports that are not ours are left alone here, never disconnected: the background's
 * tab port goes on working while this context ignores it.
 */
export function runtimePorts(): EventsPortSource {
  return {
    extensionId: browser.runtime.id,
    onConnect(listener) {
      const forward = (port: Runtime.Port) => {
        if (port.name === EVENTS_PORT) listener(port);
      };
      browser.runtime.onConnect.addListener(forward);
      return () => browser.runtime.onConnect.removeListener(forward);
    },
  };
}
