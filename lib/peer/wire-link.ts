/**
 * One end of the wire protocol on an open RTCDataChannel: encodes, compresses, frames and writes with
 * backpressure; reassembles, inflates and validates what arrives. Malformed, oversized or unknown
 * messages are answered with an `error` message and dropped; the link stays up (invariant 7).
 */
import { createChannelWriter, type FrameChannel } from '@/lib/shared/transport/channel-writer';
import { MessageDecoder, MessageEncoder } from '@/lib/shared/transport/codec';
import type { ParseResult, WireErrorCode } from '@/lib/protocol/wire';

export interface WireLinkOptions<In, Out> {
  channel: FrameChannel & { addEventListener(type: 'message', l: (e: MessageEvent) => void): void; removeEventListener(type: 'message', l: (e: MessageEvent) => void): void };
  parse: (input: unknown) => ParseResult<In>;
  onMessage: (message: In) => void;
  /** Called for every rejected incoming message (after the error reply went out). */
  onReject?: (code: WireErrorCode, message: string) => void;
  /** Builds the error reply in the outgoing union. */
  errorReply: (code: WireErrorCode, message: string) => Out;
  /** Called for every frame that arrives, whole or a part of a large message: the other end is there. */
  onHeard?: () => void;
}

export interface WireLink<Out> {
  send(message: Out): void;
  /** `bufferedBytes`: what the data channel itself still holds (handed to it, not yet on the network). */
  readonly stats: { messages: number; rawBytes: number; wireBytes: number; sentBytes: number; queuedBytes: number; bufferedBytes: number };
  drained(): Promise<void>;
  /** When a message was last handed to send (Date.now()): the heartbeat beats only into silence. */
  readonly lastSentAt: number;
  stop(): void;
}

export function createWireLink<In, Out>(options: WireLinkOptions<In, Out>): WireLink<Out> {
  const { channel, parse, onMessage, onReject, errorReply, onHeard } = options;
  const encoder = new MessageEncoder();
  const decoder = new MessageDecoder();
  const writer = createChannelWriter(channel);
  let stopped = false;
  let lastSentAt = 0;

  const send = (message: Out) => {
    if (stopped) return;
    lastSentAt = Date.now();
    writer.write(encoder.encode(message));
  };
  const reject = (code: WireErrorCode, message: string) => {
    onReject?.(code, message);
    send(errorReply(code, message));
  };
  const onData = (event: MessageEvent) => {
    if (stopped) return;
    onHeard?.();
    for (const result of decoder.push(event.data)) {
      if (!result.ok) {
        reject(result.error.code, result.error.message);
        continue;
      }
      if (isStreamLost(result.value)) encoder.reset();
      const parsed = parse(result.value);
      if (!parsed.ok) {
        reject(parsed.code, parsed.message);
        continue;
      }
      onMessage(parsed.value);
    }
  };
  channel.addEventListener('message', onData);

  return {
    send,
    get stats() {
      return { ...encoder.stats, sentBytes: writer.sentBytes, queuedBytes: writer.queuedBytes, bufferedBytes: channel.bufferedAmount };
    },
    drained: () => writer.drained(),
    get lastSentAt() {
      return lastSentAt;
    },
    stop() {
      stopped = true;
      channel.removeEventListener('message', onData);
      writer.stop();
    },
  };
}

/** The other end lost our deflate stream: the next message we send starts a fresh one. */
function isStreamLost(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'error' && (value as { code?: unknown }).code === 'stream-lost';
}
