import browser from 'webextension-polyfill';
import { servePeerHost } from '@/lib/peer/peer-host';
import { runtimePorts } from '@/lib/peer/runtime-ports';
import { PEER_PORT } from '@/lib/protocol/runtime';

// Chrome only: MV3 service workers have no RTCPeerConnection, so the peer lives in this offscreen
// document, which also survives navigation in the shared tab. The shared tab's events port comes here
// directly, not through the service worker.
const port = browser.runtime.connect({ name: PEER_PORT });
servePeerHost(
  {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => port.onMessage.addListener(listener),
    onDisconnect: (listener) => port.onDisconnect.addListener(listener),
  },
  () => {
    // The service worker went away (stopped, crashed, updated): wake it, so it finds the session it was
    // running and ends it with the true reason at once (lib/background/background.ts, issue 17), rather
    // than leave "is viewing" on its icon until something else wakes it. Any message does; this one is harmless.
    void browser.runtime.sendMessage({ type: 'get-state' }).catch(() => undefined).finally(() => window.close());
  },
  runtimePorts(),
);
