/**
 * The rate limits, in one place so docs/server.md can quote them.
 *
 * Codes (6 digits, 10^6 values, valid 15 minutes) are global, not per session, so a wrong guess cannot be
 * charged to one session. Two limits bound guessing instead: per address, and a global budget of failed
 * guesses for all addresses together. See docs/server.md, "Brute-force math".
 */
import type { RateLimiter, RateLimiterStore } from './rate-limit';

export const LOGIN_FAILURES_PER_EMAIL = 5;
export const LOGIN_FAILURES_PER_IP = 20;
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const CODE_FAILURES_PER_IP = 10;
export const CODE_FAILURES_PER_IP_WINDOW_MS = 10 * 60_000;
export const CODE_FAILURES_GLOBAL = 100;
export const CODE_FAILURES_GLOBAL_WINDOW_MS = 15 * 60_000;

export interface Limiters {
  loginByEmail: RateLimiter;
  loginByIp: RateLimiter;
  codeByIp: RateLimiter;
  codeGlobal: RateLimiter;
}

export function createLimiters(store: RateLimiterStore): Limiters {
  return {
    loginByEmail: store('login-email', { limit: LOGIN_FAILURES_PER_EMAIL, windowMs: LOGIN_WINDOW_MS }),
    loginByIp: store('login-ip', { limit: LOGIN_FAILURES_PER_IP, windowMs: LOGIN_WINDOW_MS }),
    codeByIp: store('code-ip', { limit: CODE_FAILURES_PER_IP, windowMs: CODE_FAILURES_PER_IP_WINDOW_MS }),
    codeGlobal: store('code-global', { limit: CODE_FAILURES_GLOBAL, windowMs: CODE_FAILURES_GLOBAL_WINDOW_MS }),
  };
}

export async function pruneLimiters(limiters: Limiters): Promise<void> {
  for (const limiter of Object.values(limiters)) await limiter.prune();
}
