/**
 * Writes frames to a data channel without overrunning it: while `bufferedAmount` is above the high-water
 * mark, frames wait in a queue and go out when the channel reports `bufferedamountlow`.
 */
import { BUFFER_HIGH_WATER, BUFFER_LOW_WATER } from '@/lib/protocol/version';

/** The part of RTCDataChannel the writer needs (a test double implements just this). */
export interface FrameChannel {
  readonly readyState: string;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  send(data: Uint8Array<ArrayBuffer>): void;
  addEventListener(type: 'bufferedamountlow', listener: () => void): void;
  removeEventListener(type: 'bufferedamountlow', listener: () => void): void;
}

export interface ChannelWriter {
  write(frames: Uint8Array[]): void;
  /** Bytes waiting in our queue (not yet handed to the channel). */
  readonly queuedBytes: number;
  /** Bytes handed to the channel so far. */
  readonly sentBytes: number;
  /** Resolves when everything queued has been handed to the channel. */
  drained(): Promise<void>;
  stop(): void;
}

export function createChannelWriter(channel: FrameChannel, highWater = BUFFER_HIGH_WATER): ChannelWriter {
  const queue: Uint8Array[] = [];
  let queuedBytes = 0;
  let sentBytes = 0;
  let stopped = false;
  let waiters: Array<() => void> = [];
  channel.bufferedAmountLowThreshold = Math.min(BUFFER_LOW_WATER, highWater);

  const pump = () => {
    while (!stopped && queue.length > 0 && channel.readyState === 'open' && channel.bufferedAmount < highWater) {
      const frame = queue.shift()!;
      queuedBytes -= frame.byteLength;
      channel.send(frame as Uint8Array<ArrayBuffer>);
      sentBytes += frame.byteLength;
    }
    if (queue.length === 0) {
      const done = waiters;
      waiters = [];
      for (const resolve of done) resolve();
    }
  };
  channel.addEventListener('bufferedamountlow', pump);

  return {
    write(frames) {
      if (stopped) return;
      for (const frame of frames) {
        queue.push(frame);
        queuedBytes += frame.byteLength;
      }
      pump();
    },
    get queuedBytes() {
      return queuedBytes;
    },
    get sentBytes() {
      return sentBytes;
    },
    drained() {
      if (queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    stop() {
      stopped = true;
      queue.length = 0;
      queuedBytes = 0;
      channel.removeEventListener('bufferedamountlow', pump);
      const done = waiters;
      waiters = [];
      for (const resolve of done) resolve();
    },
  };
}
