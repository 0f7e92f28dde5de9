/**
 * Collects rrweb events and hands them on in batches: everything emitted during one task goes out together
 * at the end of it (a MessageChannel tick, not a 4 ms-clamped timer), so one DOM change is one message.
 */
export interface Batcher<T> {
  push(item: T): void;
  flush(): void;
  stop(): void;
}

export function createBatcher<T>(deliver: (items: T[]) => void, schedule = endOfTask): Batcher<T> {
  let items: T[] = [];
  let scheduled = false;
  let stopped = false;
  const flush = () => {
    scheduled = false;
    if (stopped || items.length === 0) return;
    const batch = items;
    items = [];
    deliver(batch);
  };
  return {
    push(item) {
      if (stopped) return;
      items.push(item);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    flush,
    stop() {
      stopped = true;
      items = [];
    },
  };
}

/** Runs `fn` after the current task, without the timer clamping of setTimeout. */
export function endOfTask(fn: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    fn();
  };
  channel.port2.postMessage(null);
}
