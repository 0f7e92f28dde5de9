/** Technician accounts. Art. 1.3: a session belongs to exactly one of them. */
import { randomUUID } from 'node:crypto';
import type { Db } from './open';
import { once } from './statement';

export interface TechnicianRow {
  id: string;
  name: string;
  email: string;
  organisation: string;
  password_hash: string;
  created_at: number;
  /** Set by `npm run technician:disable`: no sign-in, no session, from then on. */
  disabled_at: number | null;
}

export function countTechnicians(db: Db): number {
  return db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM technicians').get()?.n ?? 0;
}

export function findTechnicianByEmail(db: Db, email: string): TechnicianRow | undefined {
  return db.prepare<[string], TechnicianRow>('SELECT * FROM technicians WHERE email = ?').get(email);
}

const byIdStmt = once((db) => db.prepare<[string], TechnicianRow>('SELECT * FROM technicians WHERE id = ?'));

export function findTechnicianById(db: Db, id: string): TechnicianRow | undefined {
  return byIdStmt(db).get(id);
}

export interface NewTechnician {
  name: string;
  email: string;
  organisation: string;
  passwordHash: string;
  now: number;
}

/** Inserts a technician; returns null when the e-mail address is taken. */
export function insertTechnician(db: Db, t: NewTechnician): TechnicianRow | null {
  const row: TechnicianRow = {
    id: randomUUID(),
    name: t.name,
    email: t.email.toLowerCase(),
    organisation: t.organisation,
    password_hash: t.passwordHash,
    created_at: t.now,
    disabled_at: null,
  };
  const result = db
    .prepare(
      `INSERT INTO technicians (id, name, email, organisation, password_hash, created_at)
       VALUES (@id, @name, @email, @organisation, @password_hash, @created_at) ON CONFLICT (email) DO NOTHING`,
    )
    .run(row);
  return result.changes === 1 ? row : null;
}

/** Marks a technician disabled (once; the first time stays). Returns the row, or undefined for an unknown e-mail. */
export function disableTechnician(db: Db, email: string, now: number): TechnicianRow | undefined {
  db.prepare('UPDATE technicians SET disabled_at = ? WHERE email = ? AND disabled_at IS NULL').run(now, email.toLowerCase());
  return findTechnicianByEmail(db, email.toLowerCase());
}
