import { describe, expect, it } from 'vitest';
import { createWireLink, type WireLink } from '@/lib/peer/wire-link';
import { decodeFrame, FrameFlag, HEADER_BYTES } from '@/lib/protocol/frame';
import { parseToExtension, parseToViewer, type ToExtension, type ToViewer, type WireErrorCode } from '@/lib/protocol/wire';
import { PROTOCOL_VERSION } from '@/lib/protocol/version';
import { channelPair, type FakeChannel } from './fake-channel';

/** Lets every message in flight, and every reply to it, arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

interface End<In, Out> {
  link: WireLink<Out>;
  channel: FakeChannel;
  received: In[];
  rejected: Array<{ code: WireErrorCode; message: string }>;
  frames: Uint8Array[];
}

/**
 * The customer's end may send anything (`unknown`), so a test can play a customer that breaks the
 * protocol; the viewer's end is what the viewer runs.
 */
function connect() {
  const [customerChannel, viewerChannel] = channelPair();
  const customer: End<ToExtension, unknown> = { channel: customerChannel, received: [], rejected: [], frames: customerChannel.sent, link: undefined! };
  const viewer: End<ToViewer, ToExtension> = { channel: viewerChannel, received: [], rejected: [], frames: viewerChannel.sent, link: undefined! };
  customer.link = createWireLink<ToExtension, unknown>({
    channel: customerChannel,
    parse: parseToExtension,
    onMessage: (m) => customer.received.push(m),
    onReject: (code, message) => customer.rejected.push({ code, message }),
    errorReply: (code, message) => ({ type: 'error', code, message }),
  });
  viewer.link = createWireLink<ToViewer, ToExtension>({
    channel: viewerChannel,
    parse: parseToViewer,
    onMessage: (m) => viewer.received.push(m),
    onReject: (code, message) => viewer.rejected.push({ code, message }),
    errorReply: (code, message) => ({ type: 'error', code, message }),
  });
  return { customer, viewer };
}

const hello: ToViewer = { type: 'hello', protocol: PROTOCOL_VERSION, sessionId: 'session-1', invite: 'payload.signature' };
const events = (n: number): ToViewer => ({ type: 'events', events: [{ type: 3, timestamp: n, data: { source: 0, n } }] });

describe('createWireLink', () => {
  it('carries messages both ways, in order', async () => {
    const { customer, viewer } = connect();
    customer.link.send(hello);
    for (let n = 0; n < 50; n++) customer.link.send(events(n));
    viewer.link.send({ type: 'hello', protocol: PROTOCOL_VERSION });
    viewer.link.send({ type: 'resync' });
    await settle();
    expect(viewer.received).toEqual([hello, ...Array.from({ length: 50 }, (_, n) => events(n))]);
    expect(customer.received).toEqual([{ type: 'hello', protocol: PROTOCOL_VERSION }, { type: 'resync' }]);
    expect(viewer.rejected).toEqual([]);
    expect(customer.rejected).toEqual([]);
    expect(customer.link.stats.messages).toBe(51);
    expect(customer.link.stats.sentBytes).toBe(customer.frames.reduce((n, f) => n + f.byteLength, 0));
  });

  it('carries a message larger than one frame', async () => {
    const { customer, viewer } = connect();
    const text = Array.from({ length: 40_000 }, (_, i) => ((i * 2654435761) >>> 0).toString(36)).join('');
    const big: ToViewer = { type: 'events', events: [{ type: 2, timestamp: 1, data: { text } }] };
    customer.link.send(big);
    await settle();
    expect(customer.frames.length).toBeGreaterThan(1);
    expect(viewer.received).toEqual([big]);
  });

  it.each([
    ['an unknown message type', { type: 'control', x: 1, y: 2 }, 'unknown-type'],
    ['a message of the wrong shape', { type: 'events', events: [{ type: 99, timestamp: 1, data: {} }] }, 'malformed'],
    ['a message without a type', { events: [] }, 'malformed'],
    ['a JSON value that is not an object', 'hello', 'malformed'],
  ])('answers %s with an error reply and stays up', async (_, bad, code) => {
    const { customer, viewer } = connect();
    customer.link.send(hello);
    customer.link.send(bad);
    customer.link.send(events(1));
    await settle();
    expect(viewer.received).toEqual([hello, events(1)]);
    expect(viewer.rejected.map((r) => r.code)).toEqual([code]);
    expect(customer.received).toEqual([{ type: 'error', code, message: viewer.rejected[0]!.message }]);
    // The error reply is accepted, not answered: no messages bouncing back and forth.
    expect(customer.rejected).toEqual([]);
    expect(viewer.frames).toHaveLength(1);
    expect(customer.frames).toHaveLength(3);
  });

  it('answers bytes that are not a frame, and text instead of bytes, and stays up', async () => {
    const { customer, viewer } = connect();
    customer.link.send(events(1));
    await settle();
    viewer.channel.deliver('{"type":"resync"}');
    viewer.channel.deliver(new Uint8Array([1, 2, 3]).buffer);
    await settle();
    expect(viewer.rejected).toHaveLength(2);
    expect(customer.received.map((m) => m.type)).toEqual(['error', 'error']);
    customer.link.send(events(2));
    await settle();
    expect(viewer.received).toEqual([events(1), events(2)]);
  });

  it('on "stream-lost", the sender starts a new stream and the next message decodes', async () => {
    const { customer, viewer } = connect();
    customer.link.send(hello);
    await settle();

    let corrupt = true;
    customer.channel.tamper = (frame) => {
      if (corrupt) frame.fill(0xff, HEADER_BYTES);
      corrupt = false;
      return frame;
    };
    customer.link.send(events(1));
    await settle();
    expect(viewer.received).toEqual([hello]);
    expect(viewer.rejected.map((r) => r.code)).toEqual(['stream-lost']);
    expect(customer.received).toEqual([expect.objectContaining({ type: 'error', code: 'stream-lost' })]);

    customer.link.send(events(2));
    customer.link.send(events(3));
    await settle();
    const [reset, after] = customer.frames.slice(-2).map((f) => decodeFrame(f).flags);
    expect(reset! & FrameFlag.streamReset).toBe(FrameFlag.streamReset);
    expect(after! & FrameFlag.streamReset).toBe(0);
    expect(viewer.received).toEqual([hello, events(2), events(3)]);
    expect(viewer.rejected).toHaveLength(1);
  });

  it('restarts the stream when a frame arrives unreadable, so nothing decodes against the gap', async () => {
    const { customer, viewer } = connect();
    customer.link.send(events(1));
    await settle();
    let corrupt = true;
    customer.channel.tamper = (frame) => {
      if (corrupt) frame[0] = 0xee; // a protocol version nobody speaks
      corrupt = false;
      return frame;
    };
    customer.link.send(events(2));
    await settle();
    customer.link.send(events(3));
    await settle();
    expect(viewer.received).toEqual([events(1), events(3)]);
    expect(viewer.rejected.map((r) => r.code)).toEqual(['stream-lost']);
    expect(decodeFrame(customer.frames.at(-1)!).flags & FrameFlag.streamReset).toBe(FrameFlag.streamReset);
  });

  it('stop() stops delivering and sending', async () => {
    const { customer, viewer } = connect();
    viewer.link.stop();
    customer.link.send(events(1));
    viewer.link.send({ type: 'resync' });
    await settle();
    expect(viewer.received).toEqual([]);
    expect(viewer.frames).toEqual([]);
    expect(customer.received).toEqual([]);
    await expect(viewer.link.drained()).resolves.toBeUndefined();
    expect(viewer.channel.listenerCount('message')).toBe(0);
    expect(viewer.channel.listenerCount('bufferedamountlow')).toBe(0);
    expect(customer.channel.listenerCount('message')).toBe(1);
  });
});
