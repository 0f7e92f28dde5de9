/** A scheduler the test runs by hand: `run()` is "the current task ended" (or "the frame came"). */
export function manualSchedule() {
  const tasks: Array<() => void> = [];
  return {
    schedule: (fn: () => void) => void tasks.push(fn),
    get pending() {
      return tasks.length;
    },
    run() {
      for (const task of tasks.splice(0)) task();
    },
  };
}
