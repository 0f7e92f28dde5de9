/**
 * The codec at its size limit. MAX_MESSAGE_BYTES is lowered for this file, so an oversized message can be
 * built without allocating 64 MB; and framing can be made to fail once.
 */
import { describe, expect, it, vi } from 'vitest';
import { decodeFrame, FrameError, FrameFlag } from '@/lib/protocol/frame';
import { MAX_MESSAGE_BYTES } from '@/lib/protocol/version';
import { MessageDecoder, MessageEncoder } from '@/lib/shared/transport/codec';

const framing = vi.hoisted(() => ({ fail: false }));

vi.mock('@/lib/protocol/frame', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/protocol/frame')>();
  return {
    ...original,
    toFrames(...args: Parameters<typeof original.toFrames>) {
      if (framing.fail) {
        framing.fail = false;
        throw new original.FrameError('oversized', 'forced');
      }
      return original.toFrames(...args);
    },
  };
});

vi.mock('@/lib/protocol/version', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/protocol/version')>()),
  MAX_MESSAGE_BYTES: 256 * 1024,
}));

function noise(length: number, seed: number): string {
  let state = seed >>> 0;
  let out = '';
  while (out.length < length) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out += state.toString(36);
  }
  return out.slice(0, length);
}

describe('MessageEncoder at the message size limit', () => {
  it('runs with the lowered limit', () => {
    expect(MAX_MESSAGE_BYTES).toBe(256 * 1024);
  });

  it('starts a new stream after a message it took in could not be framed', () => {
    // JSON never compresses badly enough to pass the size check and then fail framing, so the failure
    // is forced. The message is in the deflate stream but never sent; its tail is what the next message
    // repeats, so that message refers back into bytes the receiver never got, unless the stream restarts.
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    const decode = (frames: Uint8Array[]) => frames.flatMap((f) => decoder.push(f));
    expect(decode(encoder.encode({ n: 1 }))).toEqual([{ ok: true, value: { n: 1 } }]);

    const tail = noise(8_000, 2);
    framing.fail = true;
    expect(() => encoder.encode({ pad: noise(20_000, 1), tail })).toThrow('forced');

    const next = encoder.encode({ tail });
    expect(decodeFrame(next[0]!).flags & FrameFlag.streamReset).toBe(FrameFlag.streamReset);
    expect(decode(next)).toEqual([{ ok: true, value: { tail } }]);
  });

  it('refuses a message whose JSON exceeds the limit even when it compresses well, leaving the stream intact', () => {
    // The receiver refuses anything that inflates past MAX_MESSAGE_BYTES; sending it would only waste
    // the bandwidth and cost the session its stream.
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    const decode = (frames: Uint8Array[]) => frames.flatMap((f) => decoder.push(f));
    expect(decode(encoder.encode({ n: 1 }))).toEqual([{ ok: true, value: { n: 1 } }]);
    let thrown: unknown;
    try {
      encoder.encode({ big: 'x'.repeat(MAX_MESSAGE_BYTES) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FrameError);
    expect((thrown as FrameError).code).toBe('oversized');
    expect(decode(encoder.encode({ n: 2 }))).toEqual([{ ok: true, value: { n: 2 } }]);
  });
});
