/**
 * Collects rrweb events and hands them on in batches.
 *
 * Without a frame clock (the default), everything emitted during one task goes out together at the end of
 * it (a MessageChannel tick, not a 4 ms-clamped timer), so one DOM change is one message.
 *
 * With a frame clock (`nextFrame`, the recorder passes requestAnimationFrame), batching follows the
 * display: the first change in a frame still goes out at the end of its task, so the technician sees it as
 * soon as possible; whatever else the page does before its next frame, and every continuous sample
 * (cursor, scroll), goes out with that frame, in one message. A page that mutates in many tasks per frame,
 * or a cursor in motion, then costs at most two messages a frame, not one per task or per sample; every
 * message costs a DTLS record, an SCTP chunk and its acknowledgement on the wire (about 150 bytes).
 */
export interface Batcher<T> {
  push(item: T): void;
  flush(): void;
  stop(): void;
}

export interface BatcherOptions<T> {
  /** Runs `fn` after the current task. */
  schedule?: (fn: () => void) => void;
  /** Runs `fn` at the next animation frame. Without it, every batch goes at the end of its task. */
  nextFrame?: (fn: () => void) => void;
  /** Continuous samples (cursor, scroll) wait for the next frame rather than causing a message of their own. */
  isContinuous?: (item: T) => boolean;
}

export function createBatcher<T>(deliver: (items: T[]) => void, options: BatcherOptions<T> | ((fn: () => void) => void) = {}): Batcher<T> {
  const { schedule = endOfTask, nextFrame, isContinuous = () => false } = typeof options === 'function' ? { schedule: options } : options;
  let items: T[] = [];
  let taskPending = false;
  let framePending = false;
  /** A batch already went out at the end of a task in this frame: later ones wait for the frame. */
  let sentInFrame = false;
  let stopped = false;

  const deliverNow = () => {
    if (stopped || items.length === 0) return false;
    const batch = items;
    items = [];
    deliver(batch);
    return true;
  };
  const onFrame = () => {
    framePending = false;
    sentInFrame = false;
    deliverNow();
  };
  const armFrame = () => {
    if (framePending || !nextFrame || stopped) return;
    framePending = true;
    nextFrame(onFrame);
  };
  const onTask = () => {
    taskPending = false;
    if (deliverNow() && nextFrame) {
      sentInFrame = true;
      armFrame();
    }
  };
  const armTask = () => {
    if (taskPending) return;
    taskPending = true;
    schedule(onTask);
  };

  return {
    push(item) {
      if (stopped) return;
      items.push(item);
      if (nextFrame && (sentInFrame || isContinuous(item))) armFrame();
      else armTask();
    },
    flush() {
      deliverNow();
    },
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

/**
 * Runs `fn` at the next animation frame of `win`; a hidden tab gets no frames, so a timer stands in
 * (browsers slow timers in hidden tabs too, but they do run).
 */
export function nextAnimationFrame(win: Window = window, fallbackMs = 100): (fn: () => void) => void {
  return (fn) => {
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      win.cancelAnimationFrame(frame);
      win.clearTimeout(timer);
      fn();
    };
    const frame = win.requestAnimationFrame(run);
    const timer = win.setTimeout(run, fallbackMs);
  };
}
