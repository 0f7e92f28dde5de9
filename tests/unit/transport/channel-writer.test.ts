import { describe, expect, it, vi } from 'vitest';
import { createChannelWriter, type FrameChannel } from '@/lib/shared/transport/channel-writer';
import { HEADER_BYTES } from '@/lib/protocol/frame';
import { BUFFER_HIGH_WATER, BUFFER_LOW_WATER, MAX_CHUNK_BYTES } from '@/lib/protocol/version';

const FULL_FRAME = HEADER_BYTES + MAX_CHUNK_BYTES;

/**
 * An RTCDataChannel's send buffer: `send` adds to `bufferedAmount`, `drain` is the network taking bytes
 * off, and `bufferedamountlow` fires when the amount falls from above the threshold to at or below it.
 */
class FakeChannel extends EventTarget implements FrameChannel {
  readyState = 'open';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  readonly sent: Uint8Array[] = [];
  /** `bufferedAmount` at the moment of each send. */
  readonly bufferedAtSend: number[] = [];
  peak = 0;

  send(data: Uint8Array<ArrayBuffer>) {
    if (this.readyState !== 'open') throw new Error('InvalidStateError: send on a channel that is not open');
    this.bufferedAtSend.push(this.bufferedAmount);
    this.sent.push(data);
    this.bufferedAmount += data.byteLength;
    this.peak = Math.max(this.peak, this.bufferedAmount);
  }

  drain(bytes = Infinity) {
    const before = this.bufferedAmount;
    this.bufferedAmount = Math.max(0, before - bytes);
    if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) {
      this.dispatchEvent(new Event('bufferedamountlow'));
    }
  }
}

const frames = (count: number, size = FULL_FRAME) => Array.from({ length: count }, (_, i) => new Uint8Array(size).fill(i & 0xff));

describe('createChannelWriter', () => {
  it('asks the channel to report when its buffer falls to the low-water mark', () => {
    const channel = new FakeChannel();
    createChannelWriter(channel);
    expect(channel.bufferedAmountLowThreshold).toBe(BUFFER_LOW_WATER);
    const small = new FakeChannel();
    createChannelWriter(small, 1000);
    expect(small.bufferedAmountLowThreshold).toBe(1000);
  });

  it('hands frames straight to a channel with room', () => {
    const channel = new FakeChannel();
    const writer = createChannelWriter(channel);
    const batch = frames(3, 1000);
    writer.write(batch);
    expect(channel.sent).toEqual(batch);
    expect(writer.queuedBytes).toBe(0);
    expect(writer.sentBytes).toBe(3000);
  });

  it('stops handing over frames once the channel holds the high-water mark, and queues the rest', () => {
    const channel = new FakeChannel();
    const writer = createChannelWriter(channel);
    writer.write(frames(10));
    const fit = Math.ceil(BUFFER_HIGH_WATER / FULL_FRAME);
    expect(channel.sent).toHaveLength(fit);
    for (const amount of channel.bufferedAtSend) expect(amount).toBeLessThan(BUFFER_HIGH_WATER);
    // It checks before each frame, so the channel may go over by less than one frame, never more.
    expect(channel.peak).toBeLessThan(BUFFER_HIGH_WATER + FULL_FRAME);
    expect(writer.queuedBytes).toBe((10 - fit) * FULL_FRAME);
    expect(writer.sentBytes).toBe(fit * FULL_FRAME);
  });

  it('waits while the buffer drains but stays above the low-water mark, and resumes on bufferedamountlow', () => {
    const channel = new FakeChannel();
    const writer = createChannelWriter(channel);
    const batch = frames(10);
    writer.write(batch);
    const before = channel.sent.length;
    channel.drain(channel.bufferedAmount - BUFFER_LOW_WATER - 1);
    expect(channel.sent).toHaveLength(before);
    channel.drain(1);
    expect(channel.sent.length).toBeGreaterThan(before);
    for (const amount of channel.bufferedAtSend) expect(amount).toBeLessThan(BUFFER_HIGH_WATER);
    while (writer.queuedBytes > 0) channel.drain();
    expect(channel.sent).toHaveLength(batch.length);
    expect(channel.sent.every((frame, i) => frame === batch[i])).toBe(true);
  });

  it('keeps to the high-water mark and the order of frames through a long uneven transfer', () => {
    const channel = new FakeChannel();
    const writer = createChannelWriter(channel);
    let seed = 42;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const all: Uint8Array[] = [];
    for (let round = 0; round < 200; round++) {
      const batch = Array.from({ length: Math.floor(next() * 4) }, () => new Uint8Array(1 + Math.floor(next() * FULL_FRAME)));
      all.push(...batch);
      writer.write(batch);
      channel.drain(Math.floor(next() * 200_000));
    }
    while (writer.queuedBytes > 0) channel.drain();
    expect(channel.sent).toHaveLength(all.length);
    expect(channel.sent.every((frame, i) => frame === all[i])).toBe(true);
    expect(Math.max(...channel.bufferedAtSend)).toBeLessThan(BUFFER_HIGH_WATER);
    expect(channel.peak).toBeLessThan(BUFFER_HIGH_WATER + FULL_FRAME);
  });

  it('resolves drained() at once when nothing waits, and only once the queue is empty otherwise', async () => {
    const channel = new FakeChannel();
    const writer = createChannelWriter(channel);
    await expect(writer.drained()).resolves.toBeUndefined();

    writer.write(frames(10));
    let drained = false;
    const done = writer.drained().then(() => (drained = true));
    await Promise.resolve();
    channel.drain();
    await Promise.resolve();
    expect(drained).toBe(false);
    expect(writer.queuedBytes).toBeGreaterThan(0);
    while (writer.queuedBytes > 0) channel.drain();
    await done;
    expect(drained).toBe(true);
    expect(channel.sent).toHaveLength(10);
  });

  it('queues while the channel is not open', () => {
    const channel = new FakeChannel();
    channel.readyState = 'connecting';
    const writer = createChannelWriter(channel);
    writer.write(frames(2, 10));
    expect(channel.sent).toHaveLength(0);
    expect(writer.queuedBytes).toBe(20);
  });

  it('stop() drops the queue, releases drained() waiters and stops listening', async () => {
    const channel = new FakeChannel();
    const remove = vi.spyOn(channel, 'removeEventListener');
    const writer = createChannelWriter(channel);
    writer.write(frames(10));
    const sent = channel.sent.length;
    const done = writer.drained();
    writer.stop();
    await expect(done).resolves.toBeUndefined();
    expect(writer.queuedBytes).toBe(0);
    expect(remove).toHaveBeenCalledWith('bufferedamountlow', expect.any(Function));

    channel.drain();
    writer.write(frames(1, 10));
    expect(channel.sent).toHaveLength(sent);
    await expect(writer.drained()).resolves.toBeUndefined();
  });
});
