/**
 * Rate-limit counters in Redis, shared by every instance: a failure counted on one counts on all, and a
 * restart forgets nothing. One sorted set per key (scores = event times); entries older than the window
 * are trimmed on each write and the set expires with its window, so Redis holds only live counts.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { retryAfter, type RateLimiter, type RateLimiterStore, type RateLimitRule } from '../auth/rate-limit';

export function redisRateLimiters(redis: Redis, prefix: string, now: () => number): RateLimiterStore {
  return (name, rule) => new RedisRateLimiter(redis, `${prefix}rate:${name}:`, rule, now);
}

class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly rule: RateLimitRule,
    private readonly now: () => number,
  ) {}

  async retryAfterSeconds(key: string): Promise<number> {
    const now = this.now();
    const scores = await this.redis.zrangebyscore(this.keyPrefix + key, `(${now - this.rule.windowMs}`, '+inf');
    return retryAfter(scores.map((member) => Number(member.split(':')[0])), this.rule, now);
  }

  async record(key: string): Promise<void> {
    const now = this.now();
    const redisKey = this.keyPrefix + key;
    // The member carries its time (read back above) and a random tail, so two events in one ms both count.
    await this.redis
      .multi()
      .zadd(redisKey, now, `${now}:${randomBytes(6).toString('hex')}`)
      .zremrangebyscore(redisKey, '-inf', now - this.rule.windowMs)
      .pexpire(redisKey, this.rule.windowMs)
      .exec();
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.keyPrefix + key);
  }

  async prune(): Promise<void> {
    // Nothing to do: every set expires with its window.
  }
}
