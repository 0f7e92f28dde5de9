/**
 * How long a control request and a granted control last (issue 6: the prompt expires after 30 seconds
 * unanswered; control after 10 minutes unless configured otherwise). Configurable per installation through
 * the extension's storage (`controlLimits`), like the session limits in lib/background/session/limits.ts.
 */
import { z } from 'zod';

export const controlLimitsSchema = z.object({
  /** An unanswered prompt counts as a refusal after this long. */
  promptMs: z.number().int().min(2_000).max(5 * 60_000),
  /** Granted control ends after this long; taking it again needs a new approval. */
  grantMs: z.number().int().min(2_000).max(4 * 3600_000),
  /** After a refusal, the technician cannot ask again for this long (no prompt storms). */
  cooldownMs: z.number().int().min(0).max(10 * 60_000),
});
export type ControlLimits = z.infer<typeof controlLimitsSchema>;

export const DEFAULT_CONTROL_LIMITS: ControlLimits = { promptMs: 30_000, grantMs: 10 * 60_000, cooldownMs: 5_000 };

export function parseControlLimits(raw: unknown): ControlLimits {
  if (raw === undefined) return DEFAULT_CONTROL_LIMITS;
  const parsed = controlLimitsSchema.partial().safeParse(raw);
  if (!parsed.success) {
    console.warn('meekijk: ignoring invalid stored control limits', parsed.error.issues[0]?.message);
    return DEFAULT_CONTROL_LIMITS;
  }
  return { ...DEFAULT_CONTROL_LIMITS, ...parsed.data };
}
