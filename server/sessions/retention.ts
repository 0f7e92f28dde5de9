/** Applies the retention setting at most once an hour: from the periodic sweep and before audit reads. */
import type { AppContext } from '../context';
import { deleteOlderThan } from '../db/retention';

const HOUR_MS = 60 * 60_000;
const lastRun = new WeakMap<AppContext, number>();

export async function applyRetention(ctx: AppContext): Promise<void> {
  const now = ctx.now();
  if (now - (lastRun.get(ctx) ?? -Infinity) < HOUR_MS) return;
  lastRun.set(ctx, now);
  const { sessions, auditRows } = await deleteOlderThan(ctx.db, now - ctx.config.retentionDays * 24 * HOUR_MS);
  if (sessions + auditRows > 0) ctx.log(`retention: deleted ${sessions} sessions and ${auditRows} audit rows older than ${ctx.config.retentionDays} days`);
}
