/**
 * Runs in a plain Chromium page (bundled by tests/e2e/verification-mitm.test.ts): the peer ends' own
 * channel link (lib/peer/peer-end.ts: wire protocol, hello, verification exchange) on real
 * RTCPeerConnections, so a test can wire them directly or through a party in the middle.
 */
import { openChannelLink } from '@/lib/peer/peer-end';
import { parseToExtension, parseToViewer } from '@/lib/protocol/wire';
import { PROTOCOL_VERSION } from '@/lib/protocol/version';

(window as unknown as { meekijkPeer: object }).meekijkPeer = { openChannelLink, parseToExtension, parseToViewer, PROTOCOL_VERSION };
