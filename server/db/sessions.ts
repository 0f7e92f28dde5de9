/**
 * Meekijk sessions and their one invite. Secrets (peer tokens, code, link) are stored only as keyed hashes;
 * art. 1.2: an invite is spent once, and an ended session never becomes live again.
 */
import type { CustomerLink, Db, SessionRow } from './schema';

export type { CustomerLink, SessionRow, SessionStatus } from './schema';

export type NewSession = Pick<
  SessionRow,
  | 'id'
  | 'technician_id'
  | 'ticket'
  | 'created_at'
  | 'viewer_peer_id'
  | 'viewer_peer_token_hash'
  | 'customer_peer_id'
  | 'invite_code_hash'
  | 'invite_link_hash'
  | 'invite_expires_at'
  | 'invite_nonce'
>;

export async function insertSession(db: Db, s: NewSession): Promise<void> {
  await db.insertInto('sessions').values({ ...s, status: 'waiting' }).execute();
}

export function getSession(db: Db, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Newest first; sessions created in the same millisecond in id order (both engines agree on it). */
export function listSessionsForTechnician(db: Db, technicianId: string, limit: number): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('technician_id', '=', technicianId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** A waiting session whose invite is still redeemable by code at `now` (codes are unique among these). */
export function findRedeemableByCode(db: Db, codeHash: string, now: number): Promise<SessionRow | undefined> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('invite_code_hash', '=', codeHash)
    .where('status', '=', 'waiting')
    .where('invite_spent_at', 'is', null)
    .where('invite_expires_at', '>', now)
    .executeTakeFirst();
}

/** Any session with this code, newest first: to tell "expired" and "spent" apart from "unknown". */
export function findLatestByCode(db: Db, codeHash: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('invite_code_hash', '=', codeHash)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findByLink(db: Db, linkHash: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('invite_link_hash', '=', linkHash).executeTakeFirst();
}

/** Two indexed lookups (both columns are UNIQUE) rather than an OR, which would scan. */
export function findByPeerId(db: Db, peerId: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('viewer_peer_id', '=', peerId)
    .unionAll(db.selectFrom('sessions').selectAll().where('customer_peer_id', '=', peerId))
    .executeTakeFirst();
}

export interface Activation {
  id: string;
  nonce: string;
  now: number;
  customerTokenHash: string;
  termsHash: string;
  locale: string;
  consentAt: string;
}

/**
 * Spends the invite and activates the session in one UPDATE, so two concurrent joins cannot both win
 * (art. 1.2), in SQLite and PostgreSQL alike: the row is re-checked under its write lock. Returns false
 * when the invite was already spent, expired or the session is not waiting.
 */
export async function activateSession(db: Db, a: Activation): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({
      status: 'active',
      invite_spent_at: a.now,
      activated_at: a.now,
      customer_peer_token_hash: a.customerTokenHash,
      consent_terms_hash: a.termsHash,
      consent_locale: a.locale,
      consent_at: a.consentAt,
    })
    .where('id', '=', a.id)
    .where('invite_nonce', '=', a.nonce)
    .where('status', '=', 'waiting')
    .where('invite_spent_at', 'is', null)
    .where('invite_expires_at', '>', a.now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends a live session; returns false if it had already ended (the first reason wins). */
export async function endSession(db: Db, id: string, reason: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ status: 'ended', ended_at: now, end_reason: reason })
    .where('id', '=', id)
    .where('status', '!=', 'ended')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Records the customer's report of its link (issue 17) on an active session, unless a report with the same
 * or a higher sequence number is already there: reports can arrive out of order (retries, two instances),
 * and the newest one is the truth. Returns false when nothing changed.
 */
export async function recordLink(db: Db, id: string, state: CustomerLink, seq: number): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ link_state: state, link_seq: seq })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('link_seq', 'is', null), eb('link_seq', '<', seq)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Waiting sessions whose invite expired unused, and active ones past the maximum duration. */
export function findOverdue(db: Db, now: number, activeStartedBefore: number): Promise<Array<Pick<SessionRow, 'id' | 'status'>>> {
  return db
    .selectFrom('sessions')
    .select(['id', 'status'])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'waiting'), eb('invite_expires_at', '<=', now)]),
        eb.and([eb('status', '=', 'active'), eb('activated_at', '<', activeStartedBefore)]),
      ]),
    )
    .execute();
}

/** Sessions of one technician that are live at `now`: active, or waiting with an invite still usable. */
export async function countLiveSessionsForTechnician(db: Db, technicianId: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('technician_id', '=', technicianId)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'active'),
        eb.and([eb('status', '=', 'waiting'), eb('invite_spent_at', 'is', null), eb('invite_expires_at', '>', now)]),
      ]),
    )
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function listLiveSessionIdsForTechnician(db: Db, technicianId: string): Promise<string[]> {
  const rows = await db.selectFrom('sessions').select('id').where('technician_id', '=', technicianId).where('status', '!=', 'ended').execute();
  return rows.map((row) => row.id);
}
