/**
 * Turns protocol messages into framed bytes and back. Each direction keeps one deflate stream for the
 * whole session (sync-flushed per message), so repeated markup, class names and stylesheets cost almost
 * nothing the second time they cross the wire.
 *
 * What makes the stream small (bench numbers in docs/performance.md):
 * - rrweb events travel packed (event-pack.ts): no repeated keys, ids and timestamps left out or as deltas.
 * - A full snapshot (a navigation, a resync) starts a new stream whose preset dictionary is the previous
 *   snapshot message, which both ends hold: deflate's 32 KiB window has long forgotten the last page by
 *   then, but the next page of the same site repeats its header, menus, footer and stylesheets.
 * - Every sync flush ends in the same four bytes (00 00 ff ff); they are left off the wire and put back.
 *
 * pako (a port of zlib) rather than fflate: fflate's streaming inflater holds back the tail of a
 * sync-flushed block until more input arrives, so a message could not be decoded on arrival
 * (tests/unit/protocol/codec.test.ts pins this behaviour).
 */
import { Deflate, Inflate, constants } from 'pako';
import { concat, decodeFrame, FrameError, FrameFlag, Reassembler, toFrames } from '@/lib/protocol/frame';
import { MAX_MESSAGE_BYTES } from '@/lib/protocol/version';
import { carriesFullSnapshot } from '@/lib/protocol/events-json';
import { EventPacker, EventUnpacker } from './event-pack';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

const LEVEL = 6;
/** Deflate looks back at most 32 KiB, so that is all of a dictionary it can use. */
const DICTIONARY_BYTES = 32 * 1024;
const SYNC_TRAILER = [0x00, 0x00, 0xff, 0xff] as const;

type EventsMessage = { type: 'events'; events: unknown[] };

function eventsMessage(message: unknown): EventsMessage | undefined {
  const m = message as { type?: unknown; events?: unknown } | null;
  return typeof m === 'object' && m !== null && m.type === 'events' && Array.isArray(m.events) ? (m as EventsMessage) : undefined;
}

/** A full snapshot starts a new page (or a resync): the messages that become the next stream's dictionary. */
function startsPage(message: EventsMessage | undefined): boolean {
  return message !== undefined && carriesFullSnapshot(message.events);
}

/** FNV-1a over the dictionary, so a receiver holding a different one fails loudly, not with wrong JSON. */
function checksum(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const b of bytes) hash = Math.imul(hash ^ b, 0x01000193);
  return hash >>> 0;
}

function endsWithTrailer(bytes: Uint8Array): boolean {
  const n = bytes.byteLength;
  return n >= 4 && SYNC_TRAILER.every((b, i) => bytes[n - 4 + i] === b);
}

export class MessageEncoder {
  #deflate: Deflate | undefined;
  #pending: Uint8Array[] = [];
  #nextId = 1;
  #packer = new EventPacker();
  /** The last message that carried a full snapshot, as sent (the receiver holds the same bytes). */
  #lastSnapshot: Uint8Array | undefined;
  /** Total uncompressed (packed JSON) and compressed bytes, for the benchmark and the status line. */
  readonly stats = { messages: 0, rawBytes: 0, wireBytes: 0 };

  /** Encodes one message into frames ready for `channel.send`. */
  encode(message: unknown): Uint8Array[] {
    const events = eventsMessage(message);
    const snapshot = startsPage(events);
    let flags: number = FrameFlag.compressed;
    let dictionary: Uint8Array | undefined;
    if (!this.#deflate || snapshot) {
      dictionary = snapshot ? this.#lastSnapshot : undefined;
      const deflate = new Deflate({ level: LEVEL, raw: true, ...(dictionary ? { dictionary } : {}) });
      deflate.onData = (chunk) => this.#pending.push(chunk as Uint8Array);
      this.#deflate = deflate;
      this.#pending = [];
      this.#packer.reset();
      flags |= FrameFlag.streamReset | (dictionary ? FrameFlag.dictionary : 0);
    }
    let body: unknown = message;
    if (events) {
      body = { ...events, events: this.#packer.pack(events.events), ...(dictionary ? { dictionary: checksum(dictionary) } : {}) };
      flags |= FrameFlag.packed;
    }
    const raw = utf8.encode(JSON.stringify(body));
    // The receiver refuses anything that inflates past the limit; refuse it here, before it enters the stream.
    if (raw.byteLength > MAX_MESSAGE_BYTES) {
      this.reset();
      throw new FrameError('oversized', `message of ${raw.byteLength} bytes exceeds ${MAX_MESSAGE_BYTES}`);
    }
    let frames: Uint8Array[];
    try {
      this.#deflate.push(raw, constants.Z_SYNC_FLUSH);
      if (this.#deflate.err) throw new Error(`deflate failed: ${this.#deflate.msg}`);
      let compressed = concat(this.#pending);
      this.#pending = [];
      if (endsWithTrailer(compressed)) compressed = compressed.subarray(0, compressed.byteLength - SYNC_TRAILER.length);
      frames = toFrames(this.#nextId++ >>> 0, flags, compressed);
      if (snapshot) this.#lastSnapshot = raw.slice(-DICTIONARY_BYTES);
    } catch (error) {
      // The stream already holds this message, which never goes out: the next one must start a new
      // stream, or the receiver would inflate back-references into bytes it never got.
      this.reset();
      throw error;
    }
    this.stats.messages++;
    this.stats.rawBytes += raw.byteLength;
    this.stats.wireBytes += frames.reduce((n, f) => n + f.byteLength, 0);
    return frames;
  }

  /** Starts a new deflate stream with the next message (after the receiver lost track of ours). */
  reset() {
    this.#deflate = undefined;
    this.#pending = [];
    this.#lastSnapshot = undefined;
    this.#packer.reset();
  }
}

export type DecodeResult = { ok: true; value: unknown } | { ok: false; error: FrameError };

/**
 * The receiving half. Feed it every frame; it yields parsed JSON values (not yet schema-checked) and
 * errors for anything malformed, never throwing at the caller.
 */
export class MessageDecoder {
  #reassembler = new Reassembler();
  #inflate: Inflate | undefined;
  #out: Uint8Array[] = [];
  #outBytes = 0;
  #unpacker = new EventUnpacker();
  /** The last message that carried a full snapshot, as received: the dictionary of a stream that asks for one. */
  #lastSnapshot: Uint8Array | undefined;

  push(data: unknown): DecodeResult[] {
    if (!(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data)) {
      return [{ ok: false, error: new FrameError('malformed', `expected a binary frame, got ${typeof data}`) }];
    }
    let frame;
    try {
      frame = decodeFrame(data);
    } catch (error) {
      return [{ ok: false, error: this.#frameLost(asFrameError(error)) }];
    }
    const results: DecodeResult[] = [];
    const { message, error } = this.#reassembler.push(frame);
    if (error) results.push({ ok: false, error: this.#frameLost(error) });
    if (message) results.push(this.#decodeBody(message.flags, message.body));
    return results;
  }

  #decodeBody(flags: number, body: Uint8Array): DecodeResult {
    try {
      let raw = body;
      let dictionary: Uint8Array | undefined;
      if (flags & FrameFlag.compressed) {
        if (flags & FrameFlag.streamReset) {
          if (flags & FrameFlag.dictionary) {
            dictionary = this.#lastSnapshot;
            if (!dictionary) throw new FrameError('stream-lost', 'a stream that starts from a snapshot this end does not hold');
          }
          this.#inflate = this.#newInflate(dictionary);
          this.#unpacker.reset();
        }
        if (!this.#inflate) throw new FrameError('stream-lost', 'compressed message without its stream; waiting for a reset');
        this.#out = [];
        this.#outBytes = 0;
        const whole = new Uint8Array(body.byteLength + SYNC_TRAILER.length);
        whole.set(body);
        whole.set(SYNC_TRAILER, body.byteLength);
        this.#inflate.push(whole, constants.Z_SYNC_FLUSH);
        if (this.#inflate.err) throw new FrameError('malformed', `inflate failed: ${this.#inflate.msg}`);
        raw = concat(this.#out, this.#outBytes);
      }
      let value = JSON.parse(fromUtf8.decode(raw)) as unknown;
      if (flags & FrameFlag.packed) value = this.#unpack(value, dictionary);
      if (startsPage(eventsMessage(value))) this.#lastSnapshot = raw.slice(-DICTIONARY_BYTES);
      return { ok: true, value };
    } catch (error) {
      // A broken compressed message poisons the stream: forget it, the sender must start a new one
      // (the link answers `stream-lost`, and the other end's encoder resets).
      if (flags & FrameFlag.compressed) {
        this.#inflate = undefined;
        this.#lastSnapshot = undefined;
        const failed = asFrameError(error);
        return { ok: false, error: failed.code === 'oversized' ? failed : new FrameError('stream-lost', failed.message) };
      }
      return { ok: false, error: asFrameError(error) };
    }
  }

  /**
   * A frame was dropped, and a part of the deflate stream may have gone with it. Inflating on past the gap
   * could turn back-references into the wrong bytes and yield valid but wrong JSON, so the stream is lost.
   */
  #frameLost(error: FrameError): FrameError {
    if (!this.#inflate) return error;
    this.#inflate = undefined;
    return new FrameError('stream-lost', error.message);
  }

  #unpack(value: unknown, dictionary: Uint8Array | undefined): unknown {
    const message = eventsMessage(value);
    if (!message) throw new FrameError('malformed', 'a packed message that is not an events message');
    const { dictionary: sum, ...rest } = message as EventsMessage & { dictionary?: unknown };
    if (dictionary && sum !== checksum(dictionary)) throw new FrameError('stream-lost', 'the stream started from another snapshot than the one this end holds');
    try {
      return { ...rest, events: this.#unpacker.unpack(message.events) };
    } catch (error) {
      throw new FrameError('malformed', error instanceof Error ? error.message : String(error));
    }
  }

  #newInflate(dictionary?: Uint8Array): Inflate {
    const inflate = new Inflate({ raw: true, ...(dictionary ? { dictionary } : {}) });
    inflate.onData = (chunk) => {
      const bytes = chunk as Uint8Array;
      this.#outBytes += bytes.byteLength;
      if (this.#outBytes > MAX_MESSAGE_BYTES) throw new FrameError('oversized', `message inflates past ${MAX_MESSAGE_BYTES} bytes`);
      this.#out.push(bytes);
    };
    return inflate;
  }
}

function asFrameError(error: unknown): FrameError {
  if (error instanceof FrameError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FrameError('malformed', message.slice(0, 300));
}
