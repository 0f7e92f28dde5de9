/**
 * Collects rrweb events and hands them on in batches.
 *
 * Without a frame clock (the default), everything emitted during one task goes out together at the end of
 * it (a MessageChannel tick, not a 4 ms-clamped timer), so one DOM change is one message.
 *
 * With a frame clock (`nextFrame`, the recorder passes requestAnimationFrame), batching follows the
 * display: the first few changes in a frame (`taskBatchesPerFrame`) still go out at the end of their task,
 * so the technician sees them as soon as possible; whatever else the page does before its next frame, and
 * every continuous sample (cursor, scroll), goes out with that frame, in one message. A page that mutates
 * in many tasks per frame, or a cursor in motion, then costs a bounded number of messages a frame, not one
 * per task or per sample; every message costs a DTLS record, an SCTP chunk and its acknowledgement on the
 * wire (docs/performance.md).
 *
 * Why more than one per frame: one user action is often several tasks' worth of events. A key press is
 * rrweb's input event (from its listener) and then the page's own reaction to it (a mutation); with one
 * batch per frame the reaction, the part the technician wants to see, waited for the next frame
 * (measured in docs/performance.md).
 */
import { endOfTask } from '@/lib/shared/schedule';

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
  /** With a frame clock: how many batches may go at the end of their task in one frame (default 1). */
  taskBatchesPerFrame?: number;
}

export function createBatcher<T>(
  deliver: (items: T[]) => void,
  { schedule = endOfTask, nextFrame, isContinuous = () => false, taskBatchesPerFrame = 1 }: BatcherOptions<T> = {},
): Batcher<T> {
  let items: T[] = [];
  let taskPending = false;
  let framePending = false;
  /** Batches that went out at the end of a task in this frame: past the allowance, changes wait for the frame. */
  let sentInFrame = 0;
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
    sentInFrame = 0;
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
      sentInFrame++;
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
      if (nextFrame && (sentInFrame >= taskBatchesPerFrame || isContinuous(item))) armFrame();
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
