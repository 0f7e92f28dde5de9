/** Technician accounts. Art. 1.3: a session belongs to exactly one of them. */
import { randomUUID } from 'node:crypto';
import type { Db, TechnicianRow } from './schema';

export type { TechnicianRow } from './schema';

export async function countTechnicians(db: Db): Promise<number> {
  const row = await db.selectFrom('technicians').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Addresses are stored lower-cased, so the lookup is case-insensitive in both engines. */
export function findTechnicianByEmail(db: Db, email: string): Promise<TechnicianRow | undefined> {
  return db.selectFrom('technicians').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function findTechnicianById(db: Db, id: string): Promise<TechnicianRow | undefined> {
  return db.selectFrom('technicians').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface NewTechnician {
  name: string;
  email: string;
  organisation: string;
  passwordHash: string;
  now: number;
}

/** Inserts a technician; returns null when the e-mail address is taken. */
export async function insertTechnician(db: Db, t: NewTechnician): Promise<TechnicianRow | null> {
  const row: TechnicianRow = {
    id: randomUUID(),
    name: t.name,
    email: t.email.toLowerCase(),
    organisation: t.organisation,
    password_hash: t.passwordHash,
    created_at: t.now,
    disabled_at: null,
  };
  const result = await db.insertInto('technicians').values(row).onConflict((c) => c.column('email').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1 ? row : null;
}

/** Marks a technician disabled (once; the first time stays). Returns the row, or undefined for an unknown e-mail. */
export async function disableTechnician(db: Db, email: string, now: number): Promise<TechnicianRow | undefined> {
  await db.updateTable('technicians').set({ disabled_at: now }).where('email', '=', email.toLowerCase()).where('disabled_at', 'is', null).execute();
  return findTechnicianByEmail(db, email);
}
