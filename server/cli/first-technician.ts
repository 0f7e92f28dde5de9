/**
 * On first start, create one technician so the viewer can be used at all. Its password is not printed
 * (stdout ends up in service logs) but written to a file only the server's user can read, whose path is
 * printed; delete it after the first sign-in.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

export const FIRST_PASSWORD_FILE = 'first-admin-password.txt';

/** Writes the generated password beside `beside` (the database file, or the key file), mode 0600; returns its path. */
export function writeFirstPassword(beside: string, email: string, password: string): string {
  const path = resolve(join(beside === ':memory:' ? '.' : dirname(beside), FIRST_PASSWORD_FILE));
  writeFileSync(path, `Meekijk: first technician\ne-mail: ${email}\npassword: ${password}\n\nSign in, then delete this file.\n`, {
    mode: 0o600,
    flag: 'w',
  });
  chmodSync(path, 0o600); // in case a file of that name was there already
  return path;
}
