/**
 * The set-up both peer ends share (lib/peer/peer-end.ts; used by lib/peer/customer-link.ts and
 * viewer/lib/viewer-host.ts): our own PeerServer and ICE, the wire protocol with a hello first, the
 * liveness watch and the verification code, and silence once the end is destroyed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DataConnection } from 'peerjs';
import { createPeerEnd } from '@/lib/peer/peer-end';
import { createWireLink } from '@/lib/peer/wire-link';
import { verificationCode } from '@/lib/peer/verification';
import { parseToExtension, parseToViewer, type ToExtension, type ToViewer } from '@/lib/protocol/wire';
import { PROTOCOL_VERSION } from '@/lib/protocol/version';
import { channelPair } from './fake-channel';

const peers = vi.hoisted(() => [] as Array<{ id: string; options: Record<string, unknown>; handlers: Map<string, (arg: unknown) => void>; destroyed: boolean }>);
vi.mock('peerjs', () => ({
  default: class {
    handlers = new Map<string, (arg: unknown) => void>();
    destroyed = false;
    constructor(
      readonly id: string,
      readonly options: Record<string, unknown>,
    ) {
      peers.push(this);
    }
    on(event: string, handler: (arg: unknown) => void) {
      this.handlers.set(event, handler);
    }
    off(event: string) {
      this.handlers.delete(event);
    }
    destroy() {
      this.destroyed = true;
    }
  },
}));

const fingerprint = (n: number) => Array.from({ length: 32 }, (_, i) => ((i * 7 + n) % 256).toString(16).padStart(2, '0').toUpperCase()).join(':');
const sdp = (n: number) => `v=0\r\na=fingerprint:sha-256 ${fingerprint(n)}\r\n`;

function fakeConnection() {
  const [near, far] = channelPair();
  const pc = Object.assign(new EventTarget(), {
    connectionState: 'connected' as RTCPeerConnectionState,
    localDescription: { sdp: sdp(1) },
    remoteDescription: { sdp: sdp(2) },
  });
  let closed = false;
  const connection = { dataChannel: near, peerConnection: pc, close: () => void (closed = true) } as unknown as DataConnection;
  return { connection, near, far, pc, closed: () => closed };
}

function customerEnd() {
  const reports = { lost: [] as Array<string | undefined>, failed: [] as Array<string | undefined>, codes: [] as string[], received: [] as ToExtension[] };
  const end = createPeerEnd<ToExtension, ToViewer>({
    serverUrl: 'https://meekijk.example:8443',
    endpoint: { path: '/peerjs', key: 'meekijk' },
    credentials: { peerId: 'customer-peer', token: 'customer-token' },
    iceServers: [{ urls: 'turn:turn.example:3478', username: 'u', credential: 'c' }],
    parse: parseToExtension,
    onMessage: (m) => reports.received.push(m),
    onDown: (state, detail) => (state === 'closed' ? reports.lost : reports.failed).push(detail),
    onVerificationCode: (code) => reports.codes.push(code),
  });
  return { end, reports, peer: peers.at(-1)! };
}

const settle = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => void peers.splice(0));

describe('a peer end', () => {
  it('registers its own id on our PeerServer with its token and our ICE servers only', () => {
    const { peer } = customerEnd();
    expect(peer.id).toBe('customer-peer');
    expect(peer.options).toMatchObject({ host: 'meekijk.example', port: 8443, path: '/peerjs/', secure: true, key: 'meekijk', token: 'customer-token' });
    expect(peer.options['config']).toEqual({ iceServers: [{ urls: 'turn:turn.example:3478', username: 'u', credential: 'c' }], iceTransportPolicy: 'all' });
  });

  it('speaks the wire protocol on an open connection, hello first, and reports the verification code', async () => {
    const { end, reports } = customerEnd();
    const { connection, near, far } = fakeConnection();
    const atViewer: ToViewer[] = [];
    const viewer = createWireLink<ToViewer, ToExtension>({ channel: far, parse: parseToViewer, onMessage: (m) => atViewer.push(m), errorReply: (code, message) => ({ type: 'error', code, message }) });
    const hello: ToViewer = { type: 'hello', protocol: PROTOCOL_VERSION, sessionId: 's-1', invite: 'a.b' };
    const link = end.open(connection, hello);
    expect((near as unknown as { binaryType: string }).binaryType).toBe('arraybuffer');
    expect(end.link).toBe(link);
    viewer.send({ type: 'resync' });
    await settle();
    expect(atViewer[0]).toEqual(hello);
    expect(reports.received).toEqual([{ type: 'resync' }]);
    await settle(10);
    expect(reports.codes).toEqual([await verificationCode(sdp(1), sdp(2))]);
  });

  it('reports a failed connection and a PeerJS error, and nothing once destroyed', async () => {
    const { end, reports, peer } = customerEnd();
    const { connection, pc, closed } = fakeConnection();
    end.open(connection, { type: 'hello', protocol: PROTOCOL_VERSION, sessionId: 's-1', invite: 'a.b' });
    pc.connectionState = 'failed';
    pc.dispatchEvent(new Event('connectionstatechange'));
    // Losing the signalling server once the channel is open is no failure (lib/peer/signalling-loss.ts) ...
    peer.handlers.get('error')!(Object.assign(new Error('lost the server'), { type: 'network' }));
    // ... anything else PeerJS reports is.
    peer.handlers.get('error')!(Object.assign(new Error('ice failed'), { type: 'webrtc' }));
    expect(reports.lost).toEqual(['connection failed']);
    expect(reports.failed).toEqual(['webrtc: ice failed']);

    const second = customerEnd();
    const other = fakeConnection();
    second.end.open(other.connection, { type: 'hello', protocol: PROTOCOL_VERSION, sessionId: 's-1', invite: 'a.b' });
    second.end.destroy();
    expect(second.end.destroyed).toBe(true);
    expect(other.closed()).toBe(true);
    expect(second.peer.destroyed).toBe(true);
    other.pc.connectionState = 'failed';
    other.pc.dispatchEvent(new Event('connectionstatechange'));
    second.peer.handlers.get('error')!(Object.assign(new Error('late'), { type: 'network' }));
    expect(second.reports.lost).toEqual([]);
    expect(second.reports.failed).toEqual([]);
    expect(closed()).toBe(false);
  });
});
