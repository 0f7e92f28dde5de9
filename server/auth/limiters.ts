/**
 * The rate limits, in one place so docs/server.md can quote them. Per-address limits count an IPv6 /64 as
 * one address (address-key.ts). None of them can be used to lock a victim out: an attacker's own address is
 * refused, an account under attack is only slowed down (the right password still signs in, after a
 * delay), and when code guessing comes from many addresses, only addresses that already guessed wrong are
 * refused. Every hit is logged and written to the audit trail (limit-report.ts).
 *
 * Codes (6 digits, 10^6 values, valid 15 minutes) are global, not per session, so a wrong guess cannot be
 * charged to one session. Two limits bound guessing instead: per address, and a global budget of failed
 * guesses for all addresses together. See docs/server.md, "Brute-force math".
 */
import type { Db } from '../db/open';
import { LimitReporter } from './limit-report';
import type { RateLimiter, RateLimiterStore } from './rate-limit';

export const LOGIN_FAILURES_PER_EMAIL = 5;
export const LOGIN_FAILURES_PER_IP = 20;
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Over LOGIN_FAILURES_PER_EMAIL, every sign-in attempt for that account waits this long before it is checked. */
export const LOGIN_SLOW_DOWN_MS = 5_000;
export const CODE_FAILURES_PER_IP = 10;
export const CODE_FAILURES_PER_IP_WINDOW_MS = 10 * 60_000;
export const CODE_FAILURES_GLOBAL = 100;
export const CODE_FAILURES_GLOBAL_WINDOW_MS = 15 * 60_000;

export interface Limiters {
  loginByEmail: RateLimiter;
  loginByIp: RateLimiter;
  codeByIp: RateLimiter;
  codeGlobal: RateLimiter;
  report: LimitReporter;
  /** Waits `ms`; injectable so tests need not wait out the slow-down. */
  sleep: (ms: number) => Promise<void>;
}

export interface LimiterDeps {
  now: () => number;
  db: Db;
  log: (message: string) => void;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

export function createLimiters(store: RateLimiterStore, { now, db, log, sleep }: LimiterDeps): Limiters {
  return {
    report: new LimitReporter({ db, now, log }),
    sleep: sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    loginByEmail: store('login-email', { limit: LOGIN_FAILURES_PER_EMAIL, windowMs: LOGIN_WINDOW_MS }),
    loginByIp: store('login-ip', { limit: LOGIN_FAILURES_PER_IP, windowMs: LOGIN_WINDOW_MS }),
    codeByIp: store('code-ip', { limit: CODE_FAILURES_PER_IP, windowMs: CODE_FAILURES_PER_IP_WINDOW_MS }),
    codeGlobal: store('code-global', { limit: CODE_FAILURES_GLOBAL, windowMs: CODE_FAILURES_GLOBAL_WINDOW_MS }),
  };
}

export async function pruneLimiters(limiters: Limiters): Promise<void> {
  for (const limiter of [limiters.loginByEmail, limiters.loginByIp, limiters.codeByIp, limiters.codeGlobal]) await limiter.prune();
  await limiters.report.flush();
}
