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

  async count(key: string): Promise<number> {
    return this.redis.zcount(this.keyPrefix + key, `(${this.now() - this.rule.windowMs}`, '+inf');
  }

  /** Add and count in one MULTI, so parallel attempts on any instance each see the ones before them. */
  async take(key: string): Promise<number> {
    const now = this.now();
    const redisKey = this.keyPrefix + key;
    const results = await this.redis
      .multi()
      .zadd(redisKey, now, `${now}:${randomBytes(6).toString('hex')}`)
      .zremrangebyscore(redisKey, '-inf', now - this.rule.windowMs)
      .pexpire(redisKey, this.rule.windowMs)
      .zcard(redisKey)
      .exec();
    const counted = results?.[3]?.[1];
    return typeof counted === 'number' ? counted : Number.POSITIVE_INFINITY;
  }

  /** Takes back the newest event (of this attempt, or one of the same moment: the count is what matters). */
  async release(key: string): Promise<void> {
    await this.redis.zpopmax(this.keyPrefix + key);
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
