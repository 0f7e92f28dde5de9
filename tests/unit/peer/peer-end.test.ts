/**
 * The set-up both peer ends share (lib/peer/peer-end.ts; used by lib/peer/customer-link.ts and
 * viewer/lib/viewer-host.ts): our own PeerServer and ICE, the wire protocol with a hello first, the
 * liveness watch and the verification code, and silence once the end is destroyed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DataConnection } from 'peerjs';
import { createPeerEnd } from '@/lib/peer/peer-end';
import { BEAT_EVERY_MS, QUIET_AFTER_MS } from '@/lib/peer/liveness';
import { createWireLink } from '@/lib/peer/wire-link';
import { commitTo, verificationCode } from '@/lib/peer/verification';
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

function fakeConnection(channel = channelPair(), local = 1, remote = 2) {
  const [near, far] = channel;
  const pc = Object.assign(new EventTarget(), {
    connectionState: 'connected' as RTCPeerConnectionState,
    localDescription: { sdp: sdp(local) },
    remoteDescription: { sdp: sdp(remote) },
  });
  let closed = false;
  const connection = { dataChannel: near, peerConnection: pc, close: () => void (closed = true) } as unknown as DataConnection;
  return { connection, near, far, pc, closed: () => closed };
}

function technicianEnd() {
  const reports = { codes: [] as string[], failed: [] as string[], received: [] as ToViewer[], rejected: [] as string[], quiet: [] as boolean[] };
  const end = createPeerEnd<ToViewer, ToExtension>({
    role: 'technician',
    serverUrl: 'https://meekijk.example:8443',
    endpoint: { path: '/peerjs', key: 'meekijk' },
    credentials: { peerId: 'viewer-peer', token: 'viewer-token' },
    iceServers: [],
    parse: parseToViewer,
    onMessage: (m) => reports.received.push(m),
    onReject: (code, message) => reports.rejected.push(`${code}: ${message}`),
    onDown: () => undefined,
    onVerificationCode: (code) => reports.codes.push(code),
    onVerificationFailed: (detail) => reports.failed.push(detail),
    onQuiet: (quiet) => reports.quiet.push(quiet),
  });
  return { end, reports };
}

function customerEnd() {
  const reports = { lost: [] as Array<string | undefined>, failed: [] as Array<string | undefined>, codes: [] as string[], received: [] as ToExtension[] };
  const end = createPeerEnd<ToExtension, ToViewer>({
    role: 'customer',
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
    await vi.waitFor(() => expect(atViewer[1]).toMatchObject({ type: 'verify-commit' }));
    expect(atViewer[0]).toEqual(hello);
    expect(reports.received).toEqual([{ type: 'resync' }]);
    const technicianNonce = 'a1'.repeat(32);
    viewer.send({ type: 'verify-nonce', nonce: technicianNonce });
    await vi.waitFor(() => expect(reports.codes).toHaveLength(1));
    const reveal = atViewer.find((m) => m.type === 'verify-reveal');
    if (reveal?.type !== 'verify-reveal') throw new Error('no reveal');
    expect(await commitTo(reveal.nonce)).toBe((atViewer[1] as { commit: string }).commit);
    expect(reports.codes).toEqual([await verificationCode({ localSdp: sdp(1), remoteSdp: sdp(2), customerNonce: reveal.nonce, technicianNonce })]);
    // The exchange stays inside the peer end: the customer's handler saw only the resync.
    expect(reports.received).toEqual([{ type: 'resync' }]);
  });

  it('gives the customer and the technician the same code over one connection', async () => {
    const customer = customerEnd();
    const technician = technicianEnd();
    const channel = channelPair();
    const atCustomer = fakeConnection(channel, 1, 2);
    const atTechnician = fakeConnection([channel[1], channel[0]], 2, 1);
    technician.end.open(atTechnician.connection, { type: 'hello', protocol: PROTOCOL_VERSION });
    customer.end.open(atCustomer.connection, { type: 'hello', protocol: PROTOCOL_VERSION, sessionId: 's-1', invite: 'a.b' });
    await vi.waitFor(() => expect(technician.reports.codes).toHaveLength(1));
    expect(customer.reports.codes).toHaveLength(1);
    expect(technician.reports.codes).toEqual(customer.reports.codes);
    expect(technician.reports.received.map((m) => m.type)).toEqual(['hello']);
    expect(customer.reports.received.map((m) => m.type)).toEqual(['hello']);
  });

  it('beats while idle, keeps the beats from the handlers, and calls a link quiet only while nothing arrives', async () => {
    const customer = customerEnd();
    const technician = technicianEnd();
    const channel = channelPair();
    technician.end.open(fakeConnection([channel[1], channel[0]], 2, 1).connection, { type: 'hello', protocol: PROTOCOL_VERSION });
    customer.end.open(fakeConnection(channel, 1, 2).connection, { type: 'hello', protocol: PROTOCOL_VERSION, sessionId: 's-1', invite: 'a.b' });
    await vi.waitFor(() => expect(technician.reports.codes).toHaveLength(1));
    const before = channel[0].sent.length;
    await new Promise((r) => setTimeout(r, 2_000));
    // About two beats a second from the customer, none of them seen by either end's handler, and no quiet.
    expect(channel[0].sent.length - before).toBeGreaterThanOrEqual(3);
    expect(technician.reports.received.map((m) => m.type)).toEqual(['hello']);
    expect(customer.reports.received.map((m) => m.type)).toEqual(['hello']);
    expect(technician.reports.quiet).toEqual([]);
    // Everything from the customer is lost on the way: the technician calls the link quiet within 1.5-2 s.
    channel[0].tamper = () => undefined;
    const cut = Date.now();
    await vi.waitFor(() => expect(technician.reports.quiet).toEqual([true]), { timeout: 5_000, interval: 50 });
    const after = Date.now() - cut;
    // 1.5 s after the last frame heard, which came at most one beat interval before the cut.
    expect(after).toBeGreaterThanOrEqual(QUIET_AFTER_MS - BEAT_EVERY_MS - 50);
    expect(after).toBeLessThan(3_000); // 1.5-1.75 s when this machine is not busy; the e2e holds the 2 s
    channel[0].tamper = undefined;
    await vi.waitFor(() => expect(technician.reports.quiet).toEqual([true, false]), { timeout: 1_500, interval: 50 });
    customer.end.destroy();
    technician.end.destroy();
  });

  it('refuses a customer whose reveal does not match its commitment: no code, a failure and an error reply', async () => {
    const technician = technicianEnd();
    const { connection, far } = fakeConnection(channelPair(), 2, 1);
    const fromTechnician: ToExtension[] = [];
    const forger = createWireLink<ToExtension, ToViewer>({ channel: far, parse: parseToExtension, onMessage: (m) => fromTechnician.push(m), errorReply: (code, message) => ({ type: 'error', code, message }) });
    technician.end.open(connection, { type: 'hello', protocol: PROTOCOL_VERSION });
    forger.send({ type: 'verify-commit', commit: await commitTo('c'.repeat(64)) });
    await vi.waitFor(() => expect(fromTechnician).toHaveLength(2));
    expect(fromTechnician.map((m) => m.type)).toEqual(['hello', 'verify-nonce']);
    forger.send({ type: 'verify-reveal', nonce: 'd'.repeat(64) });
    await vi.waitFor(() => expect(fromTechnician).toHaveLength(3));
    expect(technician.reports.codes).toEqual([]);
    expect(technician.reports.failed).toEqual(['the customer revealed a nonce that does not match its commitment']);
    expect(fromTechnician.at(-1)).toEqual({ type: 'error', code: 'not-allowed', message: 'the customer revealed a nonce that does not match its commitment' });
    expect(technician.reports.rejected).toEqual(['not-allowed: the customer revealed a nonce that does not match its commitment']);
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
