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
  () => window.close(),
  runtimePorts(),
);
