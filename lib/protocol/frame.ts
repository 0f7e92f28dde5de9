/**
 * Binary framing for the data channel. A message (compressed JSON) is cut into chunks of at most
 * MAX_CHUNK_BYTES; every chunk travels in one frame:
 *
 *   u8 protocol version | u8 flags | u32 message id | u32 chunk index | u32 chunk count | payload
 *
 * Almost every message (a batch of a frame's changes, a cursor sample) fits in one chunk; it travels with
 * a two-byte header (flag `single`), since message id, index and count say nothing then:
 *
 *   u8 protocol version | u8 flags (single set) | payload
 *
 * That is 12 bytes less per message, and most messages are small (docs/performance.md).
 *
 * The channel is reliable and ordered, so the chunks of one message arrive back to back.
 */
import { MAX_CHUNK_BYTES, MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from './version';

/** The header of a chunk of a message that spans several frames (the largest header). */
export const HEADER_BYTES = 14;
/** The header of a message that fits in one frame. */
export const SINGLE_HEADER_BYTES = 2;

export const FrameFlag = {
  /** The payload is part of the session's deflate stream. */
  compressed: 1,
  /** The sender started a new deflate stream with this message; the receiver resets its inflater. */
  streamReset: 2,
  /** The message's rrweb events are in the compact form of lib/shared/transport/event-pack.ts. */
  packed: 4,
  /** The new stream starts from a preset dictionary: the last full snapshot both ends hold (codec.ts). */
  dictionary: 8,
  /** The whole message is in this frame, behind the two-byte header. */
  single: 16,
} as const;

export interface FrameHeader {
  version: number;
  flags: number;
  messageId: number;
  index: number;
  count: number;
}

export interface Frame extends FrameHeader {
  payload: Uint8Array;
}

export function encodeFrame(header: Omit<FrameHeader, 'version'>, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + payload.byteLength);
  const view = new DataView(out.buffer);
  view.setUint8(0, PROTOCOL_VERSION);
  view.setUint8(1, header.flags);
  view.setUint32(2, header.messageId);
  view.setUint32(6, header.index);
  view.setUint32(10, header.count);
  out.set(payload, HEADER_BYTES);
  return out;
}

/** A message that fits in one frame, behind the two-byte header. */
export function encodeSingleFrame(flags: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(SINGLE_HEADER_BYTES + payload.byteLength);
  out[0] = PROTOCOL_VERSION;
  out[1] = flags | FrameFlag.single;
  out.set(payload, SINGLE_HEADER_BYTES);
  return out;
}

export class FrameError extends Error {
  constructor(
    readonly code: 'malformed' | 'oversized' | 'unsupported-version' | 'stream-lost',
    message: string,
  ) {
    super(message);
    this.name = 'FrameError';
  }
}

const MAX_CHUNKS = Math.ceil(MAX_MESSAGE_BYTES / MAX_CHUNK_BYTES);

export function decodeFrame(data: ArrayBuffer | ArrayBufferView): Frame {
  const bytes =
    data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.byteLength < SINGLE_HEADER_BYTES) throw new FrameError('malformed', `frame of ${bytes.byteLength} bytes is shorter than its header`);
  const version = bytes[0]!;
  if (version !== PROTOCOL_VERSION) throw new FrameError('unsupported-version', `protocol version ${version} is not ${PROTOCOL_VERSION}`);
  const flags = bytes[1]!;
  if (flags & FrameFlag.single) {
    if (bytes.byteLength > SINGLE_HEADER_BYTES + MAX_CHUNK_BYTES) throw new FrameError('oversized', `frame of ${bytes.byteLength} bytes exceeds the chunk limit`);
    return { version, flags: flags & ~FrameFlag.single, messageId: 0, index: 0, count: 1, payload: bytes.subarray(SINGLE_HEADER_BYTES) };
  }
  if (bytes.byteLength < HEADER_BYTES) throw new FrameError('malformed', `frame of ${bytes.byteLength} bytes is shorter than its header`);
  if (bytes.byteLength > HEADER_BYTES + MAX_CHUNK_BYTES) throw new FrameError('oversized', `frame of ${bytes.byteLength} bytes exceeds the chunk limit`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const messageId = view.getUint32(2);
  const index = view.getUint32(6);
  const count = view.getUint32(10);
  if (count === 0 || index >= count) throw new FrameError('malformed', `chunk ${index} of ${count} is out of range`);
  if (count > MAX_CHUNKS) throw new FrameError('oversized', `message of ${count} chunks exceeds ${MAX_CHUNKS}`);
  return { version, flags, messageId, index, count, payload: bytes.subarray(HEADER_BYTES) };
}

/** Cuts one encoded message into frames. */
export function toFrames(messageId: number, flags: number, body: Uint8Array): Uint8Array[] {
  if (body.byteLength > MAX_MESSAGE_BYTES) throw new FrameError('oversized', `message of ${body.byteLength} bytes exceeds ${MAX_MESSAGE_BYTES}`);
  const count = Math.max(1, Math.ceil(body.byteLength / MAX_CHUNK_BYTES));
  if (count === 1) return [encodeSingleFrame(flags, body)];
  const frames: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    frames.push(encodeFrame({ flags, messageId, index, count }, body.subarray(index * MAX_CHUNK_BYTES, (index + 1) * MAX_CHUNK_BYTES)));
  }
  return frames;
}

export type Reassembled = { flags: number; messageId: number; body: Uint8Array };

export interface PushResult {
  /** The whole message, when this frame completed it. */
  message?: Reassembled;
  /** A partial message this frame forced us to drop, or why this frame itself was dropped. */
  error?: FrameError;
}

/**
 * Joins frames back into messages. Chunks of one message must arrive in order and back to back; anything
 * else (a gap, an interleaved message) drops the partial message with an error instead of guessing.
 */
export class Reassembler {
  #current: { messageId: number; flags: number; count: number; parts: Uint8Array[]; bytes: number } | undefined;

  push(frame: Frame): PushResult {
    let error: FrameError | undefined;
    if (frame.index === 0) {
      if (this.#current) {
        const cut = this.#current;
        error = new FrameError('malformed', `message ${cut.messageId} was cut off after ${cut.parts.length} of ${cut.count} chunks`);
      }
      this.#current = { messageId: frame.messageId, flags: frame.flags, count: frame.count, parts: [], bytes: 0 };
    }
    const current = this.#current;
    if (!current || current.messageId !== frame.messageId || current.count !== frame.count || current.parts.length !== frame.index) {
      this.#current = undefined;
      return { error: new FrameError('malformed', `chunk ${frame.index}/${frame.count} of message ${frame.messageId} arrived out of order`) };
    }
    current.parts.push(frame.payload.slice());
    current.bytes += frame.payload.byteLength;
    if (current.bytes > MAX_MESSAGE_BYTES) {
      this.#current = undefined;
      return { error: new FrameError('oversized', `message ${frame.messageId} exceeds ${MAX_MESSAGE_BYTES} bytes`) };
    }
    if (current.parts.length < current.count) return error ? { error } : {};
    this.#current = undefined;
    const message = { flags: current.flags, messageId: current.messageId, body: concat(current.parts, current.bytes) };
    return error ? { message, error } : { message };
  }

  /** Drops any partial message (the stream was reset). */
  reset() {
    this.#current = undefined;
  }
}

export function concat(parts: Uint8Array[], total = parts.reduce((n, p) => n + p.byteLength, 0)): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
