import { describe, expect, it } from 'vitest';
import { Deflate, constants } from 'pako';
import { concat, decodeFrame, encodeFrame, FrameFlag, HEADER_BYTES, toFrames } from '@/lib/protocol/frame';
import { MAX_CHUNK_BYTES, MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from '@/lib/protocol/version';
import { MessageDecoder, MessageEncoder, type DecodeResult } from '@/lib/shared/transport/codec';

/** Deterministic pseudo-random numbers (LCG), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Text that deflate cannot shrink much (about 5 bits a character). */
function noise(length: number, next: () => number): string {
  let out = '';
  while (out.length < length) out += Math.floor(next() * 36 ** 6).toString(36).padStart(6, '0');
  return out.slice(0, length);
}

const wireBytes = (frames: Uint8Array[]) => frames.reduce((n, f) => n + f.byteLength, 0);
const flagsOf = (frames: Uint8Array[]) => decodeFrame(frames[0]!).flags;

function pushAll(decoder: MessageDecoder, frames: Uint8Array[]): DecodeResult[] {
  return frames.flatMap((f) => decoder.push(f));
}

function errorCodes(results: DecodeResult[]): string[] {
  return results.map((r) => (r.ok ? 'ok' : r.error.code));
}

describe('MessageEncoder / MessageDecoder', () => {
  it('decodes every message as soon as its own frames arrive, many messages in a row', () => {
    // Pins the reason for pako + Z_SYNC_FLUSH: fflate's streaming inflater held back the tail of a
    // sync-flushed block, so a message only decoded once the next one arrived.
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    const next = random(7);
    for (let i = 0; i < 300; i++) {
      const message = {
        type: 'events',
        events: [{ type: 3, timestamp: 1_700_000_000_000 + i, data: { source: 2, text: noise(i % 5 === 0 ? 2000 : 20, next) } }],
      };
      const frames = encoder.encode(message);
      for (const f of frames.slice(0, -1)) expect(decoder.push(f)).toEqual([]);
      expect(decoder.push(frames.at(-1)!)).toEqual([{ ok: true, value: message }]);
    }
  });

  it('starts a stream with the first message only; a small message is one frame with a two-byte header', () => {
    const encoder = new MessageEncoder();
    const first = encoder.encode({ n: 1 });
    const second = encoder.encode({ n: 2 });
    expect(flagsOf(first)).toBe(FrameFlag.compressed | FrameFlag.streamReset);
    expect(flagsOf(second)).toBe(FrameFlag.compressed);
    expect(second).toHaveLength(1);
    expect(second[0]![1]! & FrameFlag.single).toBe(FrameFlag.single);
    expect(decodeFrame(second[0]!)).toMatchObject({ index: 0, count: 1 });
    expect(encoder.stats.messages).toBe(2);
    expect(encoder.stats.rawBytes).toBe('{"n":1}'.length + '{"n":2}'.length);
    expect(encoder.stats.wireBytes).toBe(wireBytes(first) + wireBytes(second));
  });

  it('round-trips a multi-megabyte message through chunking', () => {
    const next = random(3);
    const nodes = [];
    while (nodes.length * 290 < 3_100_000) nodes.push({ id: nodes.length, tag: 'div', text: noise(260, next) });
    const message = { type: 'snapshot', nodes };
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    encoder.encode({ warm: 'up' }).forEach((f) => decoder.push(f));

    const frames = encoder.encode(message);
    expect(JSON.stringify(message).length).toBeGreaterThan(3_000_000);
    expect(frames.length).toBeGreaterThan(10);
    for (const f of frames) expect(f.byteLength).toBeLessThanOrEqual(HEADER_BYTES + MAX_CHUNK_BYTES);
    const results = pushAll(decoder, frames);
    expect(results).toHaveLength(1);
    const [result] = results;
    expect(result?.ok).toBe(true);
    expect(result?.ok && JSON.stringify(result.value) === JSON.stringify(message)).toBe(true);
  });

  it('keeps context between messages: a repeat within the window costs under 10% of the first time', () => {
    const payload = { type: 'events', css: noise(30_000, random(11)) };
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    const first = encoder.encode(payload);
    const second = encoder.encode(payload);
    expect(wireBytes(first)).toBeGreaterThan(15_000);
    expect(wireBytes(second)).toBeLessThan(wireBytes(first) * 0.1);
    expect(pushAll(decoder, [...first, ...second])).toEqual([
      { ok: true, value: payload },
      { ok: true, value: payload },
    ]);
  });

  it('remembers only deflate\'s 32 KiB window: a repeated 200 KB payload costs about as much again', () => {
    // Documents a limit of the design: raw deflate can refer back 32 KiB at most, so a second full
    // snapshot of a large page gains nothing from the first. Change this test if the codec gains a
    // longer memory (a dictionary, zstd with a long window).
    const payload = { type: 'snapshot', html: noise(200_000, random(5)) };
    const encoder = new MessageEncoder();
    const first = wireBytes(encoder.encode(payload));
    const second = wireBytes(encoder.encode(payload));
    expect(second).toBeGreaterThan(first * 0.9);
  });

  it('answers an inflate bomb with "oversized", not a crash, and recovers on a new stream', () => {
    // A small compressed message that inflates past MAX_MESSAGE_BYTES.
    const deflate = new Deflate({ raw: true, level: 9 });
    const parts: Uint8Array[] = [];
    deflate.onData = (chunk) => parts.push(chunk as Uint8Array);
    const block = new Uint8Array(8 * 1024 * 1024).fill(0x20);
    for (let written = 0; written <= MAX_MESSAGE_BYTES; written += block.byteLength) deflate.push(block, constants.Z_NO_FLUSH);
    deflate.push(new Uint8Array(0), constants.Z_SYNC_FLUSH);
    const bomb = concat(parts);
    expect(bomb.byteLength).toBeLessThan(MAX_MESSAGE_BYTES / 100);

    const decoder = new MessageDecoder();
    const results = pushAll(decoder, toFrames(1, FrameFlag.compressed | FrameFlag.streamReset, bomb));
    expect(errorCodes(results)).toEqual(['oversized']);

    const encoder = new MessageEncoder();
    expect(pushAll(decoder, encoder.encode({ type: 'resync' }))).toEqual([{ ok: true, value: { type: 'resync' } }]);
  });

  it('reports a corrupted compressed message as "stream-lost" and recovers once the encoder resets', () => {
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    expect(pushAll(decoder, encoder.encode({ n: 1 }))).toEqual([{ ok: true, value: { n: 1 } }]);

    const corrupted = encoder.encode({ n: 2, text: 'some text' });
    corrupted[0]!.fill(0xff, HEADER_BYTES);
    expect(errorCodes(pushAll(decoder, corrupted))).toEqual(['stream-lost']);

    // The decoder forgot the broken stream: more of it is refused until the sender starts a new one.
    expect(errorCodes(pushAll(decoder, encoder.encode({ n: 3 })))).toEqual(['stream-lost']);

    encoder.reset();
    const fresh = encoder.encode({ n: 4 });
    expect(flagsOf(fresh) & FrameFlag.streamReset).toBe(FrameFlag.streamReset);
    expect(pushAll(decoder, fresh)).toEqual([{ ok: true, value: { n: 4 } }]);
    expect(pushAll(decoder, encoder.encode({ n: 5 }))).toEqual([{ ok: true, value: { n: 5 } }]);
  });

  it('reports compressed bytes that inflate to something other than JSON as "stream-lost"', () => {
    const deflate = new Deflate({ raw: true });
    const parts: Uint8Array[] = [];
    deflate.onData = (chunk) => parts.push(chunk as Uint8Array);
    deflate.push(new TextEncoder().encode('{"not json'), constants.Z_SYNC_FLUSH);
    const decoder = new MessageDecoder();
    expect(errorCodes(pushAll(decoder, toFrames(1, FrameFlag.compressed | FrameFlag.streamReset, concat(parts))))).toEqual(['stream-lost']);
  });

  it('treats a lost frame as a lost stream instead of inflating the next message against a gap', () => {
    // m1 and m2 have the same length, and m3 repeats m2: deflate encodes m3 as one back-reference of
    // m2's length. Had the decoder kept its inflater after m2 went missing, that reference would land
    // on m1, and m3 would decode, silently, as m1.
    const next = random(9);
    const m1 = { s: noise(20_000, next) };
    const m2 = { s: noise(20_000, next) };
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    expect(pushAll(decoder, encoder.encode(m1))).toEqual([{ ok: true, value: m1 }]);
    const lost = encoder.encode(m2);
    lost[0]![0] = 0xee; // unreadable: this frame, and the message in it, never reach the inflater
    expect(errorCodes(pushAll(decoder, lost))).toEqual(['stream-lost']);
    expect(errorCodes(pushAll(decoder, encoder.encode(m2)))).toEqual(['stream-lost']);
    encoder.reset();
    expect(pushAll(decoder, encoder.encode(m2))).toEqual([{ ok: true, value: m2 }]);
  });

  it('treats a message cut off mid-way as a lost stream', () => {
    const next = random(10);
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    expect(pushAll(decoder, encoder.encode({ n: 1 }))).toEqual([{ ok: true, value: { n: 1 } }]);
    const big = encoder.encode({ s: noise(200_000, next) });
    expect(big.length).toBeGreaterThan(1);
    expect(decoder.push(big[0]!)).toEqual([]);
    // The rest never comes; the next message's first frame cuts it off.
    expect(errorCodes(pushAll(decoder, encoder.encode({ n: 2 })))).toEqual(['stream-lost', 'stream-lost']);
  });

  it('refuses a compressed message that arrives before any stream started', () => {
    const encoder = new MessageEncoder();
    encoder.encode({ n: 1 }); // lost: never reaches the decoder
    expect(errorCodes(pushAll(new MessageDecoder(), encoder.encode({ n: 2 })))).toEqual(['stream-lost']);
  });

  it('accepts an uncompressed message, and a bad one does not disturb the compressed stream', () => {
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    const plain = (id: number, text: string) => toFrames(id, 0, new TextEncoder().encode(text));
    expect(pushAll(decoder, encoder.encode({ n: 1 }))).toEqual([{ ok: true, value: { n: 1 } }]);
    expect(pushAll(decoder, plain(100, '{"plain":true}'))).toEqual([{ ok: true, value: { plain: true } }]);
    expect(errorCodes(pushAll(decoder, plain(101, '{"plain":')))).toEqual(['malformed']);
    expect(errorCodes(pushAll(decoder, toFrames(102, 0, new Uint8Array([0x22, 0xff, 0x22]))))).toEqual(['malformed']);
    expect(pushAll(decoder, encoder.encode({ n: 2 }))).toEqual([{ ok: true, value: { n: 2 } }]);
  });

  it('answers input that is not a frame with an error instead of throwing', () => {
    const decoder = new MessageDecoder();
    expect(errorCodes(decoder.push('a string'))).toEqual(['malformed']);
    expect(errorCodes(decoder.push({ byteLength: 20 }))).toEqual(['malformed']);
    expect(errorCodes(decoder.push(new Uint8Array(1)))).toEqual(['malformed']);
    expect(errorCodes(decoder.push(new Uint8Array([PROTOCOL_VERSION, 0, 0])))).toEqual(['malformed']);
    const wrongVersion = encodeFrame({ flags: 0, messageId: 1, index: 0, count: 1 }, new TextEncoder().encode('{}'));
    wrongVersion[0] = 0xee;
    expect(errorCodes(decoder.push(wrongVersion.buffer))).toEqual(['unsupported-version']);
    const encoder = new MessageEncoder();
    expect(pushAll(decoder, encoder.encode({ still: 'works' }))).toEqual([{ ok: true, value: { still: 'works' } }]);
  });
});
