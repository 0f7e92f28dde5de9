/**
 * Meekijk sessions and their one invite. Secrets (peer tokens, code, link) are stored only as keyed hashes;
 * art. 1.2: an invite is spent once, and an ended session never becomes live again.
 */
import type { Db } from './open';
import { once } from './statement';

export type SessionStatus = 'waiting' | 'active' | 'ended';

export interface SessionRow {
  id: string;
  technician_id: string;
  ticket: string;
  status: SessionStatus;
  created_at: number;
  ended_at: number | null;
  end_reason: string | null;
  viewer_peer_id: string;
  viewer_peer_token_hash: string;
  customer_peer_id: string;
  customer_peer_token_hash: string | null;
  invite_code_hash: string;
  invite_link_hash: string;
  invite_expires_at: number;
  invite_spent_at: number | null;
  invite_nonce: string;
  code_failures: number;
  consent_terms_hash: string | null;
  consent_locale: string | null;
  consent_at: string | null;
  activated_at: number | null;
}

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

const insertStmt = once((db) =>
  db.prepare<[NewSession], void>(
    `INSERT INTO sessions (id, technician_id, ticket, status, created_at, viewer_peer_id, viewer_peer_token_hash,
       customer_peer_id, invite_code_hash, invite_link_hash, invite_expires_at, invite_nonce)
     VALUES (@id, @technician_id, @ticket, 'waiting', @created_at, @viewer_peer_id, @viewer_peer_token_hash,
       @customer_peer_id, @invite_code_hash, @invite_link_hash, @invite_expires_at, @invite_nonce)`,
  ),
);

export function insertSession(db: Db, s: NewSession): void {
  insertStmt(db).run(s);
}

const getStmt = once((db) => db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'));

export function getSession(db: Db, id: string): SessionRow | undefined {
  return getStmt(db).get(id);
}

export function listSessionsForTechnician(db: Db, technicianId: string, limit: number): SessionRow[] {
  return db
    .prepare<[string, number], SessionRow>(
      'SELECT * FROM sessions WHERE technician_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
    )
    .all(technicianId, limit);
}

/** A waiting session whose invite is still redeemable by code at `now` (codes are unique among these). */
const redeemableStmt = once((db) =>
  db.prepare<[string, number], SessionRow>(
    `SELECT * FROM sessions WHERE invite_code_hash = ? AND status = 'waiting' AND invite_spent_at IS NULL
     AND invite_expires_at > ?`,
  ),
);

export function findRedeemableByCode(db: Db, codeHash: string, now: number): SessionRow | undefined {
  return redeemableStmt(db).get(codeHash, now);
}

/** Any session with this code, newest first: to tell "expired" and "spent" apart from "unknown". */
export function findLatestByCode(db: Db, codeHash: string): SessionRow | undefined {
  return db
    .prepare<[string], SessionRow>('SELECT * FROM sessions WHERE invite_code_hash = ? ORDER BY created_at DESC LIMIT 1')
    .get(codeHash);
}

export function findByLink(db: Db, linkHash: string): SessionRow | undefined {
  return db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE invite_link_hash = ?').get(linkHash);
}

const byPeerStmt = once((db) =>
  db.prepare<[string, string], SessionRow>(
    'SELECT * FROM sessions WHERE viewer_peer_id = ? UNION ALL SELECT * FROM sessions WHERE customer_peer_id = ?',
  ),
);

export function findByPeerId(db: Db, peerId: string): SessionRow | undefined {
  return byPeerStmt(db).get(peerId, peerId);
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
 * Spends the invite and activates the session in one statement, so two concurrent joins cannot both win
 * (art. 1.2). Returns false when the invite was already spent, expired or the session is not waiting.
 */
const activateStmt = once((db) =>
  db.prepare<[Activation], void>(
        `UPDATE sessions SET status = 'active', invite_spent_at = @now, activated_at = @now,
           customer_peer_token_hash = @customerTokenHash, consent_terms_hash = @termsHash,
           consent_locale = @locale, consent_at = @consentAt
         WHERE id = @id AND invite_nonce = @nonce AND status = 'waiting' AND invite_spent_at IS NULL
           AND invite_expires_at > @now`,
  ),
);

export function activateSession(db: Db, a: Activation): boolean {
  return activateStmt(db).run(a).changes === 1;
}

/** Ends a live session; returns false if it had already ended (the first reason wins). */
const endStmt = once((db) =>
  db.prepare<[number, string, string], void>(
    `UPDATE sessions SET status = 'ended', ended_at = ?, end_reason = ? WHERE id = ? AND status != 'ended'`,
  ),
);

export function endSession(db: Db, id: string, reason: string, now: number): boolean {
  return endStmt(db).run(now, reason, id).changes === 1;
}

/** Waiting sessions whose invite expired unused, and active ones past the maximum duration. */
const overdueStmt = once((db) =>
  db.prepare<[number, number], Pick<SessionRow, 'id' | 'status'>>(
    `SELECT id, status FROM sessions
     WHERE (status = 'waiting' AND invite_expires_at <= ?) OR (status = 'active' AND activated_at < ?)`,
  ),
);

export function findOverdue(db: Db, now: number, activeStartedBefore: number): Array<Pick<SessionRow, 'id' | 'status'>> {
  return overdueStmt(db).all(now, activeStartedBefore);
}

/** Sessions of one technician that are live at `now`: active, or waiting with an invite still usable. */
const liveCountStmt = once((db) =>
  db.prepare<[string, number], { n: number }>(
    `SELECT COUNT(*) AS n FROM sessions WHERE technician_id = ?
     AND (status = 'active' OR (status = 'waiting' AND invite_spent_at IS NULL AND invite_expires_at > ?))`,
  ),
);

export function countLiveSessionsForTechnician(db: Db, technicianId: string, now: number): number {
  return liveCountStmt(db).get(technicianId, now)?.n ?? 0;
}

export function listLiveSessionIdsForTechnician(db: Db, technicianId: string): string[] {
  return db
    .prepare<[string], { id: string }>(`SELECT id FROM sessions WHERE technician_id = ? AND status != 'ended'`)
    .all(technicianId)
    .map((row) => row.id);
}
