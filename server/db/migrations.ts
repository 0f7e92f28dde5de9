/**
 * Schema migrations, applied in order on start; `PRAGMA user_version` records how many ran.
 * Append only: never edit a migration that has shipped.
 * Art. 2.1: no table holds page content; sessions keep metadata, the audit trail keeps what happened.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE technicians (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    organisation TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE auth_sessions (
    id_hash TEXT PRIMARY KEY,
    technician_id TEXT NOT NULL REFERENCES technicians(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    technician_id TEXT NOT NULL REFERENCES technicians(id),
    ticket TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'active', 'ended')),
    created_at INTEGER NOT NULL,
    ended_at INTEGER,
    end_reason TEXT,
    viewer_peer_id TEXT NOT NULL UNIQUE,
    viewer_peer_token_hash TEXT NOT NULL,
    customer_peer_id TEXT NOT NULL UNIQUE,
    customer_peer_token_hash TEXT,
    invite_code_hash TEXT NOT NULL,
    invite_link_hash TEXT NOT NULL UNIQUE,
    invite_expires_at INTEGER NOT NULL,
    invite_spent_at INTEGER,
    invite_nonce TEXT NOT NULL,
    code_failures INTEGER NOT NULL DEFAULT 0,
    consent_terms_hash TEXT,
    consent_locale TEXT,
    consent_at TEXT,
    activated_at INTEGER
  );
  CREATE INDEX sessions_technician ON sessions (technician_id, created_at);
  CREATE INDEX sessions_code ON sessions (invite_code_hash);
  CREATE INDEX sessions_status ON sessions (status);
  CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT REFERENCES sessions(id),
    technician_id TEXT REFERENCES technicians(id),
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL CHECK (actor IN ('technician', 'customer', 'server'))
  );
  CREATE INDEX audit_session ON audit_events (session_id, at);
  `,
  // Issue 19: a technician can be disabled (npm run technician:disable); their sign-ins are revoked.
  `ALTER TABLE technicians ADD COLUMN disabled_at INTEGER;`,
];
