/**
 * Turns protocol messages into framed bytes and back. Each direction keeps one deflate stream for the
 * whole session (sync-flushed per message), so repeated markup, class names and stylesheets cost almost
 * nothing the second time they cross the wire.
 *
 * pako (a port of zlib) rather than fflate: fflate's streaming inflater holds back the tail of a
 * sync-flushed block until more input arrives, so a message could not be decoded on arrival
 * (tests/unit/protocol/codec.test.ts pins this behaviour).
 */
import { Deflate, Inflate, constants } from 'pako';
import { concat, decodeFrame, FrameError, FrameFlag, Reassembler, toFrames } from '@/lib/protocol/frame';
import { MAX_MESSAGE_BYTES } from '@/lib/protocol/version';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

export class MessageEncoder {
  #deflate: Deflate | undefined;
  #pending: Uint8Array[] = [];
  #nextId = 1;
  /** Total uncompressed and compressed bytes, for the benchmark and the status line. */
  readonly stats = { messages: 0, rawBytes: 0, wireBytes: 0 };

  /** Encodes one message into frames ready for `channel.send`. */
  encode(message: unknown): Uint8Array[] {
    const raw = utf8.encode(JSON.stringify(message));
    // The receiver refuses anything that inflates past the limit; refuse it here, before it enters the stream.
    if (raw.byteLength > MAX_MESSAGE_BYTES) throw new FrameError('oversized', `message of ${raw.byteLength} bytes exceeds ${MAX_MESSAGE_BYTES}`);
    let flags: number = FrameFlag.compressed;
    if (!this.#deflate) {
      const deflate = new Deflate({ level: 6, raw: true });
      deflate.onData = (chunk) => this.#pending.push(chunk as Uint8Array);
      this.#deflate = deflate;
      flags |= FrameFlag.streamReset;
    }
    let frames: Uint8Array[];
    try {
      this.#deflate.push(raw, constants.Z_SYNC_FLUSH);
      if (this.#deflate.err) throw new Error(`deflate failed: ${this.#deflate.msg}`);
      const body = concat(this.#pending);
      this.#pending = [];
      frames = toFrames(this.#nextId++ >>> 0, flags, body);
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
      if (flags & FrameFlag.compressed) {
        if (flags & FrameFlag.streamReset) this.#inflate = this.#newInflate();
        if (!this.#inflate) throw new FrameError('stream-lost', 'compressed message without its stream; waiting for a reset');
        this.#out = [];
        this.#outBytes = 0;
        this.#inflate.push(body, constants.Z_SYNC_FLUSH);
        if (this.#inflate.err) throw new FrameError('malformed', `inflate failed: ${this.#inflate.msg}`);
        raw = concat(this.#out, this.#outBytes);
      }
      return { ok: true, value: JSON.parse(fromUtf8.decode(raw)) as unknown };
    } catch (error) {
      // A broken compressed message poisons the stream: forget it, the sender must start a new one
      // (the link answers `stream-lost`, and the other end's encoder resets).
      if (flags & FrameFlag.compressed) {
        this.#inflate = undefined;
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

  #newInflate(): Inflate {
    const inflate = new Inflate({ raw: true });
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
