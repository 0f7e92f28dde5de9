/**
 * npm run technician:add -- --name "Naam" --email a@b.nl [--organisation Reconi] [--password ...]
 * Without --password it asks twice on a terminal, and generates one (printed once) when stdin is not a TTY
 * or the answer is empty.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config';
import { openDatabase } from '../db/open';
import { insertTechnician } from '../db/technicians';
import { generatePassword, hashPassword } from '../auth/passwords';

const argsSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(100),
  email: z.string().trim().email('must be an e-mail address').max(200),
  organisation: z.string().trim().min(1).max(100).optional(),
  password: z.string().min(12, 'must be at least 12 characters').max(200).optional(),
});

async function askPassword(): Promise<string | null> {
  if (!process.stdin.isTTY) return null;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const first = await rl.question('Password (empty: generate one): ');
    if (first === '') return null;
    if (first.length < 12) throw new ConfigError('password must be at least 12 characters');
    if ((await rl.question('Repeat password: ')) !== first) throw new ConfigError('passwords differ');
    return first;
  } finally {
    rl.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { name: { type: 'string' }, email: { type: 'string' }, organisation: { type: 'string' }, password: { type: 'string' } },
    strict: true,
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`--${String(issue?.path[0] ?? 'arguments')} ${issue?.message ?? 'is invalid'}`);
  }
  const config = loadConfig(process.env);
  const given = parsed.data.password ?? (await askPassword());
  const password = given ?? generatePassword();
  const db = await openDatabase(config);
  try {
    const row = await insertTechnician(db, {
      name: parsed.data.name,
      email: parsed.data.email,
      organisation: parsed.data.organisation ?? config.organisation,
      passwordHash: await hashPassword(password, config.passwordHash),
      now: Date.now(),
    });
    if (!row) throw new ConfigError(`a technician with e-mail ${parsed.data.email} already exists`);
    process.stdout.write(`Technician ${row.name} <${row.email}> (${row.organisation}) added to ${config.databaseUrl === null ? config.dbPath : 'the PostgreSQL database'}.\n`);
    if (given === null) process.stdout.write(`Generated password (shown once): ${password}\n`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || (error instanceof TypeError && 'code' in error);
  process.stderr.write(`technician:add: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(known ? 2 : 1);
});
