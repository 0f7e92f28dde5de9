/**
 * npm run technician:disable -- --email a@b.nl
 * Disables a technician: no sign-in from now on (same answer as a wrong password), every sign-in revoked,
 * every live session of theirs ended ('technician-disabled', written to the audit trail). A running server
 * closes those sessions' signalling sockets within 30 s (its sweep). The account and its audit trail stay.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config';
import { deleteAuthSessionsOf } from '../db/auth-sessions';
import { insertAudit } from '../db/audit';
import { writeDetail } from '../../lib/shared/audit/detail';
import { openDatabase, type Db } from '../db/open';
import { endSession, listLiveSessionIdsForTechnician } from '../db/sessions';
import { disableTechnician } from '../db/technicians';

const argsSchema = z.object({ email: z.string().trim().email('must be an e-mail address').max(200) });

export interface DisableResult {
  name: string;
  email: string;
  signInsRevoked: number;
  sessionsEnded: number;
}

export async function disableTechnicianNow(db: Db, email: string, now: number): Promise<DisableResult | null> {
  return db.transaction().execute(async (trx) => {
    const technician = await disableTechnician(trx, email, now);
    if (!technician) return null;
    const signInsRevoked = await deleteAuthSessionsOf(trx, technician.id);
    let sessionsEnded = 0;
    for (const id of await listLiveSessionIdsForTechnician(trx, technician.id)) {
      if (!(await endSession(trx, id, 'technician-disabled', now))) continue;
      await insertAudit(trx, { sessionId: id, technicianId: technician.id, at: now, kind: 'ended', detail: 'technician-disabled', actor: 'server' });
      sessionsEnded += 1;
    }
    await insertAudit(trx, {
      sessionId: null,
      technicianId: technician.id,
      at: now,
      kind: 'technician-disabled',
      detail: writeDetail('technician-disabled', { signIns: signInsRevoked, sessions: sessionsEnded }),
      actor: 'server',
    });
    return { name: technician.name, email: technician.email, signInsRevoked, sessionsEnded };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: 'string' } }, strict: true });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new ConfigError(`--email ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  const config = loadConfig(process.env);
  const db = await openDatabase(config);
  try {
    const result = await disableTechnicianNow(db, parsed.data.email, Date.now());
    if (!result) throw new ConfigError(`no technician with e-mail ${parsed.data.email}`);
    process.stdout.write(
      `Technician ${result.name} <${result.email}> disabled: ${result.signInsRevoked} sign-ins revoked, ${result.sessionsEnded} live sessions ended.\n`,
    );
  } finally {
    await db.destroy();
  }
}

if (process.argv[1]?.endsWith('technician-disable.ts')) {
  main().catch((error: unknown) => {
    process.stderr.write(`technician:disable: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof ConfigError || (error instanceof TypeError && 'code' in error) ? 2 : 1);
  });
}
