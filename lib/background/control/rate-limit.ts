/**
 * A token bucket: `burst` actions at once, refilled at `perSecond`. Keeps a technician's pointer and clicks
 * from flooding the customer's page (and a hostile viewer from flooding the audit trail).
 */
export interface RateLimit {
  /** True when the action may go ahead (and takes a token). */
  take(): boolean;
}

export function createRateLimit(perSecond: number, burst: number, now: () => number = Date.now): RateLimit {
  let tokens = burst;
  let last = now();
  return {
    take() {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - last) / 1000) * perSecond);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
