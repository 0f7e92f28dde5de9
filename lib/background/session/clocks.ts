/**
 * A session's two clocks: it ends when idle for `idleMs` (no change in the customer's page, nothing from
 * the technician) and after `maxMs` in all (limits.ts; art. 1.2: a session is short and one-off).
 */
import type { EndReason } from '@/lib/protocol/wire';
import type { Timers } from './controller-deps';
import type { Limits } from './limits';

export interface SessionClocks {
  start(): void;
  /** Activity: the idle clock starts again. */
  touch(): void;
  stop(): void;
}

export function createSessionClocks(limits: Limits, timers: Timers, end: (reason: EndReason) => void): SessionClocks {
  let idle: unknown;
  let max: unknown;
  let running = false;
  const touch = () => {
    if (!running) return;
    timers.clearTimeout(idle);
    idle = timers.setTimeout(() => end('idle-timeout'), limits.idleMs);
  };
  return {
    start() {
      running = true;
      max = timers.setTimeout(() => end('max-duration'), limits.maxMs);
      touch();
    },
    touch,
    stop() {
      running = false;
      timers.clearTimeout(idle);
      timers.clearTimeout(max);
      idle = max = undefined;
    },
  };
}
