/**
 * Sliding-window failure counters: at most `limit` recorded events per key within `windowMs`.
 * `RateLimiter` is what the rules (auth/limiters.ts) use; where the counts live is the store's business:
 * in this process's memory (one instance), or in Redis shared by all instances (auth/rate-limit-redis.ts).
 */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  /** Seconds until `key` may try again; 0 when it is under the limit. */
  retryAfterSeconds(key: string): Promise<number>;
  /** Events of `key` in the window. */
  count(key: string): Promise<number>;
  /**
   * Records an attempt before it is checked and returns how many are in the window, this one included.
   * Counting first is what makes a limit hold for parallel attempts: each sees the ones before it, even
   * while their (slow, asynchronous) checks still run. A shared store must do it in one atomic step.
   */
  take(key: string): Promise<number>;
  /** Takes back the latest attempt of `key`: it succeeded, or was refused without being checked. */
  release(key: string): Promise<void>;
  record(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  /** Drops expired entries; called periodically (a no-op where the store expires them itself). */
  prune(): Promise<void>;
}

/** Makes the limiter called `name` (a namespace for its keys) following `rule`. */
export type RateLimiterStore = (name: string, rule: RateLimitRule) => RateLimiter;

/** Seconds until the window lets `key` in again, given its event times (ascending) inside the window. */
export function retryAfter(times: readonly number[], rule: RateLimitRule, now: number): number {
  if (times.length < rule.limit) return 0;
  const oldest = times[times.length - rule.limit] ?? now;
  return Math.max(1, Math.ceil((oldest + rule.windowMs - now) / 1000));
}

export interface MemoryOptions {
  now: () => number;
  /** Bound on tracked keys so a flood of distinct keys cannot exhaust memory. */
  maxKeys?: number;
}

/** In this process's memory: one instance, and a restart forgets recent failures. */
export function memoryRateLimiters(options: MemoryOptions): RateLimiterStore {
  return (_name, rule) => new MemoryRateLimiter({ ...rule, ...options });
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(private readonly options: RateLimitRule & MemoryOptions) {}

  async retryAfterSeconds(key: string): Promise<number> {
    return retryAfter(this.current(key), this.options, this.options.now());
  }

  async count(key: string): Promise<number> {
    return this.current(key).length;
  }

  async take(key: string): Promise<number> {
    await this.record(key);
    return this.current(key).length;
  }

  async release(key: string): Promise<void> {
    const times = this.current(key);
    times.pop();
    if (times.length === 0) this.events.delete(key);
  }

  async record(key: string): Promise<void> {
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

  async reset(key: string): Promise<void> {
    this.events.delete(key);
  }

  async prune(): Promise<void> {
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
