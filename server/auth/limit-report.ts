/**
 * Every rate-limit hit is written to the log (with the address, for the operator) and to the audit trail
 * (without it: no IP addresses in the database). So that a flood cannot fill the database, the audit trail
 * gets the first hit per limit, address and account each minute at once, and the rest of that minute as one
 * row with their number. Rows about an account belong to that technician; code-entry rows belong to no one
 * and every technician sees them (server/db/audit.ts).
 */
import { insertAudit } from '../db/audit';
import type { Db } from '../db/open';
import { writeDetail, type LimitName } from '../../lib/shared/audit/detail';

export type { LimitName };

export interface LimitHit {
  limit: LimitName;
  /** The address key (IPv4 address or IPv6 /64): logged, never stored. */
  address: string;
  technicianId: string | null;
}

const MINUTE_MS = 60_000;

export class LimitReporter {
  private readonly open = new Map<string, { hit: LimitHit; firstAt: number; more: number }>();

  constructor(private readonly deps: { db: Db; now: () => number; log: (message: string) => void }) {}

  async hit(hit: LimitHit): Promise<void> {
    const now = this.deps.now();
    this.deps.log(`rate limit ${hit.limit}: ${hit.address}${hit.technicianId === null ? '' : ` (technician ${hit.technicianId})`}`);
    const key = `${hit.limit}\0${hit.address}\0${hit.technicianId ?? ''}`;
    const entry = this.open.get(key);
    if (entry && now - entry.firstAt < MINUTE_MS) {
      entry.more += 1;
      return;
    }
    this.open.set(key, { hit, firstAt: now, more: 0 });
    if (entry) await this.writeMore(entry);
    await this.write(hit, {});
  }

  /** Writes the counts of minutes that have closed; called by the periodic sweep. */
  async flush(): Promise<void> {
    const now = this.deps.now();
    for (const [key, entry] of [...this.open]) {
      if (now - entry.firstAt < MINUTE_MS) continue;
      this.open.delete(key);
      await this.writeMore(entry);
    }
  }

  private async writeMore(entry: { hit: LimitHit; firstAt: number; more: number }): Promise<void> {
    if (entry.more === 0) return;
    await this.write(entry.hit, { more: entry.more, since: new Date(entry.firstAt).toISOString() });
  }

  /** The row says which limit (and, for the rest of a minute, how many more since when); readers word it. */
  private async write(hit: LimitHit, more: { more?: number; since?: string }): Promise<void> {
    await insertAudit(this.deps.db, {
      sessionId: null,
      technicianId: hit.technicianId,
      at: this.deps.now(),
      kind: 'rate-limited',
      detail: writeDetail('rate-limited', { limit: hit.limit, ...more }),
      actor: 'server',
    });
  }
}
