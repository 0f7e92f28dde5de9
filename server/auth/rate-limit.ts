/**
 * Sliding-window failure counter: at most `limit` recorded events per key within `windowMs`.
 * In memory on purpose: one server process, and a restart only forgets recent failures.
 */
export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  now: () => number;
  /** Bound on tracked keys so a flood of distinct keys cannot exhaust memory. */
  maxKeys?: number;
}

export class RateLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(private readonly options: RateLimiterOptions) {}

  /** Seconds until `key` may try again; 0 when it is under the limit. */
  retryAfterSeconds(key: string): number {
    const times = this.current(key);
    if (times.length < this.options.limit) return 0;
    const oldest = times[times.length - this.options.limit] ?? this.options.now();
    return Math.max(1, Math.ceil((oldest + this.options.windowMs - this.options.now()) / 1000));
  }

  /** Events of `key` in the window. */
  count(key: string): number {
    return this.current(key).length;
  }

  /**
   * Records an attempt before it is checked and returns how many are in the window, this one included.
   * Counting first is what makes the limit hold for parallel attempts: each sees the ones before it,
   * even while their (slow, asynchronous) checks are still running.
   */
  take(key: string): number {
    this.record(key);
    return this.current(key).length;
  }

  /** Takes back the latest attempt of `key`: it succeeded, or was refused without being checked. */
  release(key: string): void {
    const times = this.current(key);
    times.pop();
    if (times.length === 0) this.events.delete(key);
  }

  record(key: string): void {
    const times = this.current(key);
    times.push(this.options.now());
    this.events.delete(key);
    this.events.set(key, times);
    const maxKeys = this.options.maxKeys ?? 100_000;
    while (this.events.size > maxKeys) {
      const oldestKey = this.events.keys().next().value;
      if (oldestKey === undefined) break;
      this.events.delete(oldestKey);
    }
  }

  reset(key: string): void {
    this.events.delete(key);
  }

  /** Drops expired entries; called periodically. */
  prune(): void {
    for (const key of [...this.events.keys()]) this.current(key);
  }

  private current(key: string): number[] {
    const since = this.options.now() - this.options.windowMs;
    const times = (this.events.get(key) ?? []).filter((t) => t > since);
    if (times.length === 0) this.events.delete(key);
    else this.events.set(key, times);
    return times;
  }
}
