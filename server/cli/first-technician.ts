/** On first start, create one technician so the viewer can be used at all; its password is shown once. */
import type { Config } from '../config';
import type { Db } from '../db/open';
import { countTechnicians, insertTechnician } from '../db/technicians';
import { generatePassword, hashPassword } from '../auth/passwords';

export const FIRST_TECHNICIAN_EMAIL = 'admin@meekijk.local';

export async function ensureFirstTechnician(db: Db, config: Config): Promise<{ email: string; password: string } | null> {
  if ((await countTechnicians(db)) > 0) return null;
  const password = generatePassword();
  const row = await insertTechnician(db, {
    name: 'Beheerder',
    email: FIRST_TECHNICIAN_EMAIL,
    organisation: config.organisation,
    passwordHash: await hashPassword(password, config.passwordHash),
    now: Date.now(),
  });
  return row ? { email: row.email, password } : null;
}
