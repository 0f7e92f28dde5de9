/**
 * The tables as Kysely sees them: one description for SQLite and PostgreSQL alike. Times are ms since the
 * epoch (BIGINT in PostgreSQL, read back as numbers by server/db/open.ts). Art. 2.1: no page content anywhere.
 */
import type { ColumnType, Generated, Insertable, Kysely, Selectable } from 'kysely';

export interface SettingsTable {
  key: string;
  value: string;
}

export interface TechniciansTable {
  id: string;
  name: string;
  /** Stored lower-cased (server/db/technicians.ts), so lookups mean the same in both engines. */
  email: string;
  organisation: string;
  password_hash: string;
  created_at: number;
  /** Set by `npm run technician:disable` (migration 0002): no sign-in from then on. */
  disabled_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface AuthSessionsTable {
  id_hash: string;
  technician_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
}

export type SessionStatus = 'waiting' | 'active' | 'ended';
export type CustomerLink = 'up' | 'down';

export interface SessionsTable {
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
  code_failures: ColumnType<number, number | undefined, number>;
  consent_terms_hash: string | null;
  consent_locale: string | null;
  consent_at: string | null;
  activated_at: number | null;
  /**
   * The customer's last report of its link to the verified technician (issue 17, migration 0003): 'up'
   * while page data can reach them, 'down' while reconnecting; null before the first report.
   */
  link_state: ColumnType<CustomerLink | null, CustomerLink | null | undefined, CustomerLink | null>;
  /** The sequence number of that report: an older report that arrives late changes nothing. */
  link_seq: ColumnType<number | null, number | null | undefined, number | null>;
}

export type AuditActor = 'technician' | 'customer' | 'server';

export interface AuditEventsTable {
  id: Generated<number>;
  session_id: string | null;
  technician_id: string | null;
  at: number;
  kind: string;
  detail: ColumnType<string, string | undefined, string>;
  actor: AuditActor;
}

export interface Schema {
  settings: SettingsTable;
  technicians: TechniciansTable;
  auth_sessions: AuthSessionsTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
}

/** A database handle, or a transaction on one: repository functions accept either. */
export type Db = Kysely<Schema>;

export type TechnicianRow = Selectable<TechniciansTable>;
export type AuthSessionRow = Selectable<AuthSessionsTable>;
export type SessionRow = Selectable<SessionsTable>;
export type NewSessionRow = Insertable<SessionsTable>;
