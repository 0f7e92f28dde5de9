/** An in-memory RTCDataChannel pair for the wire link's and the peer ends' unit tests. */
type Listener = (event: MessageEvent) => void;

/** One end of an in-memory data channel pair: what one end sends arrives, asynchronously, at the other. */
export class FakeChannel {
  readyState = 'open';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  peer: FakeChannel | undefined;
  /** Every frame this end handed to the channel, as sent (the test's view of the wire). */
  readonly sent: Uint8Array[] = [];
  /** Changes a frame in transit; returning undefined loses it. */
  tamper: ((frame: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer> | undefined) | undefined;
  readonly #listeners = new Map<string, Set<Listener>>();

  addEventListener(type: 'message' | 'bufferedamountlow', listener: Listener) {
    const set = this.#listeners.get(type) ?? new Set();
    set.add(listener);
    this.#listeners.set(type, set);
  }

  removeEventListener(type: 'message' | 'bufferedamountlow', listener: Listener) {
    this.#listeners.get(type)?.delete(listener);
  }

  send(data: Uint8Array<ArrayBuffer>) {
    this.sent.push(data.slice());
    const frame = this.tamper ? this.tamper(data.slice()) : data.slice();
    if (!frame) return;
    queueMicrotask(() => this.peer?.deliver(frame.buffer));
  }

  /** Something arrives on this end, as if the other end had sent it. */
  deliver(data: unknown) {
    const event = new MessageEvent('message', { data });
    for (const listener of this.#listeners.get('message') ?? []) listener(event);
  }

  listenerCount(type: string): number {
    return this.#listeners.get(type)?.size ?? 0;
  }
}

export function channelPair(): [FakeChannel, FakeChannel] {
  const a = new FakeChannel();
  const b = new FakeChannel();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

