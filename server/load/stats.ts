/** Percentiles over collected samples (milliseconds). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function summary(samples: number[]): string {
  const f = (n: number) => n.toFixed(1);
  return `p50 ${f(percentile(samples, 50))} ms, p99 ${f(percentile(samples, 99))} ms, max ${f(percentile(samples, 100))} ms (n=${samples.length})`;
}

/** Runs `task` for 0..count-1 with at most `limit` in flight. */
export async function pool(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}
