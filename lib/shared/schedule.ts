/**
 * When to run next, in any page-like context (the page's main world, the isolated content script):
 * after the current task, at the next frame, or after giving the page a turn. No state of its own.
 */

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

/**
 * Gives the page a turn (input, rendering, its own tasks) and comes back: `scheduler.yield()` where the
 * browser has it (the continuation goes before other queued tasks), otherwise a MessageChannel task
 * (not a timer, which browsers clamp to 4 ms after a few nested calls).
 */
export function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => endOfTask(resolve));
}
