import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  encodeFrame,
  FrameError,
  FrameFlag,
  encodeSingleFrame,
  HEADER_BYTES,
  Reassembler,
  SINGLE_HEADER_BYTES,
  toFrames,
  type Frame,
} from '@/lib/protocol/frame';
import { MAX_CHUNK_BYTES, MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from '@/lib/protocol/version';

/** Chromium refuses data channel messages above 256 KiB. */
const DATA_CHANNEL_LIMIT = 256 * 1024;

function bytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed * 7) & 0xff;
  return out;
}

/** Byte equality without vitest's element-by-element diffing (slow on chunk-sized arrays). */
function same(actual: Uint8Array | undefined, expected: Uint8Array): boolean {
  return actual !== undefined && Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(expected);
}

function frame(header: Omit<Frame, 'version' | 'payload'>, payload = bytes(4)): Frame {
  return { version: PROTOCOL_VERSION, ...header, payload };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof FrameError ? error.code : `not a FrameError: ${String(error)}`;
  }
  return undefined;
}

describe('single-frame header', () => {
  it('carries a whole message behind two bytes, and reads back as chunk 0 of 1', () => {
    const encoded = encodeSingleFrame(FrameFlag.compressed, bytes(30));
    expect(encoded.byteLength).toBe(SINGLE_HEADER_BYTES + 30);
    expect(decodeFrame(encoded)).toEqual({ version: PROTOCOL_VERSION, flags: FrameFlag.compressed, messageId: 0, index: 0, count: 1, payload: bytes(30) });
  });

  it('is what toFrames uses for a message that fits in one chunk, and only then', () => {
    expect(toFrames(5, 0, bytes(MAX_CHUNK_BYTES)).map((f) => f.byteLength)).toEqual([SINGLE_HEADER_BYTES + MAX_CHUNK_BYTES]);
    expect(toFrames(5, 0, bytes(MAX_CHUNK_BYTES + 1)).map((f) => f.byteLength)).toEqual([HEADER_BYTES + MAX_CHUNK_BYTES, HEADER_BYTES + 1]);
  });

  it('rejects a frame shorter than two bytes, a wrong version and an oversized single frame', () => {
    expect(codeOf(() => decodeFrame(new Uint8Array([PROTOCOL_VERSION])))).toBe('malformed');
    const wrong = encodeSingleFrame(0, bytes(3));
    wrong[0] = PROTOCOL_VERSION + 1;
    expect(codeOf(() => decodeFrame(wrong))).toBe('unsupported-version');
    expect(codeOf(() => decodeFrame(encodeSingleFrame(0, bytes(MAX_CHUNK_BYTES + 1))))).toBe('oversized');
  });

  it('completes a message in the reassembler, and cuts off a message it interrupts', () => {
    const reassembler = new Reassembler();
    reassembler.push(decodeFrame(toFrames(1, 0, bytes(MAX_CHUNK_BYTES + 5))[0]!));
    const result = reassembler.push(decodeFrame(encodeSingleFrame(0, bytes(7))));
    expect(result.error?.code).toBe('malformed');
    expect(same(result.message?.body, bytes(7))).toBe(true);
  });
});

describe('frame header', () => {
  it('round-trips every field, including values that need all 32 bits', () => {
    const payload = bytes(100);
    const header = { flags: FrameFlag.compressed | FrameFlag.streamReset, messageId: 0xfedcba98, index: 6, count: 7 };
    const decoded = decodeFrame(encodeFrame(header, payload));
    expect(decoded).toEqual({ version: PROTOCOL_VERSION, ...header, payload });
    expect(decoded.payload.byteLength).toBe(100);
  });

  it('decodes from an ArrayBuffer and from a view into a larger buffer', () => {
    const encoded = encodeFrame({ flags: 0, messageId: 9, index: 0, count: 1 }, bytes(10));
    expect(decodeFrame(encoded.slice().buffer).messageId).toBe(9);
    const padded = new Uint8Array(encoded.byteLength + 20);
    padded.set(encoded, 10);
    const fromView = decodeFrame(padded.subarray(10, 10 + encoded.byteLength));
    expect(fromView.messageId).toBe(9);
    expect(fromView.payload).toEqual(bytes(10));
  });

  it('rejects a truncated header', () => {
    const encoded = encodeFrame({ flags: 0, messageId: 1, index: 0, count: 1 }, bytes(0));
    expect(encoded.byteLength).toBe(HEADER_BYTES);
    expect(codeOf(() => decodeFrame(encoded.subarray(0, HEADER_BYTES - 1)))).toBe('malformed');
    expect(codeOf(() => decodeFrame(new Uint8Array(0)))).toBe('malformed');
  });

  it('rejects an unknown protocol version', () => {
    const encoded = encodeFrame({ flags: 0, messageId: 1, index: 0, count: 1 }, bytes(4));
    encoded[0] = PROTOCOL_VERSION + 1;
    expect(codeOf(() => decodeFrame(encoded))).toBe('unsupported-version');
  });

  it('rejects a chunk index outside its count, and a count of zero', () => {
    expect(codeOf(() => decodeFrame(encodeFrame({ flags: 0, messageId: 1, index: 2, count: 2 }, bytes(4))))).toBe('malformed');
    expect(codeOf(() => decodeFrame(encodeFrame({ flags: 0, messageId: 1, index: 0, count: 0 }, bytes(4))))).toBe('malformed');
  });

  it('rejects a frame larger than one chunk and a count that would exceed the message limit', () => {
    const big = encodeFrame({ flags: 0, messageId: 1, index: 0, count: 1 }, bytes(MAX_CHUNK_BYTES + 1));
    expect(codeOf(() => decodeFrame(big))).toBe('oversized');
    const chunks = Math.ceil(MAX_MESSAGE_BYTES / MAX_CHUNK_BYTES) + 1;
    expect(codeOf(() => decodeFrame(encodeFrame({ flags: 0, messageId: 1, index: 0, count: chunks }, bytes(4))))).toBe('oversized');
  });
});

describe('toFrames', () => {
  it('splits a large body into ordered chunks that each fit in one data channel message', () => {
    const body = bytes(MAX_CHUNK_BYTES * 3 + 123);
    const frames = toFrames(42, FrameFlag.compressed, body);
    expect(frames).toHaveLength(4);
    const decoded = frames.map((f) => decodeFrame(f));
    decoded.forEach((f, i) => {
      expect(f).toMatchObject({ messageId: 42, flags: FrameFlag.compressed, index: i, count: 4 });
      expect(frames[i]!.byteLength).toBeLessThanOrEqual(HEADER_BYTES + MAX_CHUNK_BYTES);
      expect(frames[i]!.byteLength).toBeLessThan(DATA_CHANNEL_LIMIT);
    });
    expect(decoded.map((f) => f.payload.byteLength)).toEqual([MAX_CHUNK_BYTES, MAX_CHUNK_BYTES, MAX_CHUNK_BYTES, 123]);
    const joined = new Uint8Array(decoded.reduce((n, f) => n + f.payload.byteLength, 0));
    let offset = 0;
    for (const f of decoded) {
      joined.set(f.payload, offset);
      offset += f.payload.byteLength;
    }
    expect(same(joined, body)).toBe(true);
  });

  it('sends an empty body as one frame and a body of exactly one chunk as one frame', () => {
    expect(toFrames(1, 0, new Uint8Array(0)).map((f) => decodeFrame(f).count)).toEqual([1]);
    expect(toFrames(1, 0, bytes(MAX_CHUNK_BYTES)).map((f) => decodeFrame(f).count)).toEqual([1]);
    expect(toFrames(1, 0, bytes(MAX_CHUNK_BYTES + 1)).map((f) => decodeFrame(f).count)).toEqual([2, 2]);
  });

  it('refuses a body over MAX_MESSAGE_BYTES', () => {
    expect(codeOf(() => toFrames(1, 0, new Uint8Array(MAX_MESSAGE_BYTES + 1)))).toBe('oversized');
  });
});

describe('Reassembler', () => {
  it('joins the chunks of a message back together in order', () => {
    const body = bytes(MAX_CHUNK_BYTES * 2 + 5, 3);
    const reassembler = new Reassembler();
    const results = toFrames(7, FrameFlag.compressed, body).map((f) => reassembler.push(decodeFrame(f)));
    expect(results.slice(0, -1)).toEqual([{}, {}]);
    const last = results.at(-1);
    expect(last?.error).toBeUndefined();
    expect(last?.message).toMatchObject({ flags: FrameFlag.compressed, messageId: 7 });
    expect(same(last?.message?.body, body)).toBe(true);
  });

  it('delivers many messages in a row', () => {
    const reassembler = new Reassembler();
    const delivered: number[] = [];
    for (let id = 1; id <= 20; id++) {
      const size = id % 3 === 0 ? MAX_CHUNK_BYTES + id : id * 10;
      for (const f of toFrames(id, 0, bytes(size, id))) {
        const { message, error } = reassembler.push(decodeFrame(f));
        expect(error).toBeUndefined();
        if (message) {
          expect(same(message.body, bytes(size, id))).toBe(true);
          delivered.push(size);
        }
      }
    }
    // Every message, in order (a single-frame message carries no id; its size tells them apart here).
    expect(delivered).toEqual(Array.from({ length: 20 }, (_, i) => ((i + 1) % 3 === 0 ? MAX_CHUNK_BYTES + i + 1 : (i + 1) * 10)));
  });

  it('copies chunk payloads, so the sender reusing its buffer cannot change a message in flight', () => {
    const reassembler = new Reassembler();
    const first = bytes(8, 1);
    reassembler.push(frame({ flags: 0, messageId: 1, index: 0, count: 2 }, first));
    first.fill(0);
    const { message } = reassembler.push(frame({ flags: 0, messageId: 1, index: 1, count: 2 }, bytes(8, 2)));
    expect(message?.body.subarray(0, 8)).toEqual(bytes(8, 1));
  });

  it('rejects a chunk that arrives out of order and drops the partial message', () => {
    const reassembler = new Reassembler();
    const frames = toFrames(3, 0, bytes(MAX_CHUNK_BYTES * 2 + 1)).map((f) => decodeFrame(f));
    expect(reassembler.push(frames[0]!)).toEqual({});
    const skipped = reassembler.push(frames[2]!);
    expect(skipped.message).toBeUndefined();
    expect(skipped.error?.code).toBe('malformed');
    // The partial message is gone: the missing chunk arriving late does not complete it.
    expect(reassembler.push(frames[1]!).error?.code).toBe('malformed');
  });

  it('rejects a first chunk that is not index 0', () => {
    const result = new Reassembler().push(frame({ flags: 0, messageId: 1, index: 1, count: 2 }));
    expect(result.message).toBeUndefined();
    expect(result.error?.code).toBe('malformed');
  });

  it('rejects a chunk whose count disagrees with the message it continues', () => {
    const reassembler = new Reassembler();
    reassembler.push(frame({ flags: 0, messageId: 5, index: 0, count: 3 }));
    const result = reassembler.push(frame({ flags: 0, messageId: 5, index: 1, count: 2 }));
    expect(result.message).toBeUndefined();
    expect(result.error?.code).toBe('malformed');
  });

  it('refuses a message whose chunks add up to more than MAX_MESSAGE_BYTES', () => {
    const reassembler = new Reassembler();
    const half = new Uint8Array(MAX_MESSAGE_BYTES / 2 + 1);
    expect(reassembler.push(frame({ flags: 0, messageId: 1, index: 0, count: 2 }, half))).toEqual({});
    const result = reassembler.push(frame({ flags: 0, messageId: 1, index: 1, count: 2 }, half));
    expect(result.message).toBeUndefined();
    expect(result.error?.code).toBe('oversized');
    // And it recovers for the next message.
    expect(reassembler.push(frame({ flags: 0, messageId: 2, index: 0, count: 1 })).message?.messageId).toBe(2);
  });

  it('on an interleaved message, reports the cut-off one and keeps the new one', () => {
    // Documented: chunks of one message arrive back to back; a new index 0 drops the partial message.
    const reassembler = new Reassembler();
    const a = toFrames(10, 0, bytes(MAX_CHUNK_BYTES + 1, 1)).map((f) => decodeFrame(f));
    const b = toFrames(11, 0, bytes(20, 2)).map((f) => decodeFrame(f));
    expect(reassembler.push(a[0]!)).toEqual({});
    const interleaved = reassembler.push(b[0]!);
    expect(interleaved.message).toEqual({ flags: 0, messageId: 0, body: bytes(20, 2) });
    expect(interleaved.error?.code).toBe('malformed');
    expect(interleaved.error?.message).toContain('10');
    // The rest of the cut-off message is refused, not glued onto anything.
    const late = reassembler.push(a[1]!);
    expect(late.message).toBeUndefined();
    expect(late.error?.code).toBe('malformed');
  });

  it('starts a multi-chunk message over when a new one interrupts it', () => {
    const reassembler = new Reassembler();
    const a = toFrames(1, 0, bytes(MAX_CHUNK_BYTES + 1, 1)).map((f) => decodeFrame(f));
    const b = toFrames(2, 0, bytes(MAX_CHUNK_BYTES + 1, 2)).map((f) => decodeFrame(f));
    reassembler.push(a[0]!);
    expect(reassembler.push(b[0]!).error?.code).toBe('malformed');
    const { message, error } = reassembler.push(b[1]!);
    expect(error).toBeUndefined();
    expect(message?.messageId).toBe(2);
    expect(same(message?.body, bytes(MAX_CHUNK_BYTES + 1, 2))).toBe(true);
  });

  it('reset() drops a partial message', () => {
    const reassembler = new Reassembler();
    const frames = toFrames(1, 0, bytes(MAX_CHUNK_BYTES + 1)).map((f) => decodeFrame(f));
    reassembler.push(frames[0]!);
    reassembler.reset();
    expect(reassembler.push(frames[1]!).error?.code).toBe('malformed');
  });
});
