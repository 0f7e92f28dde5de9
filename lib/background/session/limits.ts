/**
 * How long a session may run (art. 1.2: one-off, not open-ended). Configurable per installation through
 * the extension's storage (`limits`), with defaults that fit a support call.
 */
import { z } from 'zod';

export const limitsSchema = z.object({
  /** No activity on the shared tab and no message from the technician for this long ends the session. */
  idleMs: z.number().int().min(5_000).max(24 * 3600_000),
  /** A session never runs longer than this. */
  maxMs: z.number().int().min(5_000).max(24 * 3600_000),
});
export type Limits = z.infer<typeof limitsSchema>;

export const DEFAULT_LIMITS: Limits = { idleMs: 15 * 60_000, maxMs: 2 * 3600_000 };

/** Reads `limits` from storage; a bad stored value falls back to the defaults (and says so). */
export function parseLimits(raw: unknown): Limits {
  if (raw === undefined) return DEFAULT_LIMITS;
  const parsed = limitsSchema.partial().safeParse(raw);
  if (!parsed.success) {
    console.warn('meekijk: ignoring invalid stored limits', parsed.error.issues[0]?.message);
    return DEFAULT_LIMITS;
  }
  return { ...DEFAULT_LIMITS, ...parsed.data };
}
