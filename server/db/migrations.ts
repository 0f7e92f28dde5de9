/**
 * Schema migrations, applied in order on start by Kysely's Migrator (its `kysely_migration` table records
 * which ran; in PostgreSQL it also takes a lock, so two instances starting together migrate once).
 * Written with Kysely's schema builder, so SQLite and PostgreSQL get the same tables from the same code.
 * Append only: never edit a migration that has shipped.
 * Art. 2.1: no table holds page content; sessions keep metadata, the audit trail keeps what happened.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { isPostgres } from './engine';

/**
 * 0001 is the schema SQLite databases of earlier versions already have (then recorded in
 * `PRAGMA user_version`); `ifNotExists` lets it adopt such a file unchanged.
 */
const initial: Migration = {
  async up(db: Kysely<unknown>) {
    const pg = isPostgres(db);
    // Milliseconds since the epoch outgrow PostgreSQL's 32-bit INTEGER; SQLite's INTEGER is 64-bit anyway.
    const time = pg ? 'bigint' : 'integer';
    await db.schema.createTable('settings').ifNotExists()
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('technicians').ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      // Addresses are stored lower-cased; SQLite's NOCASE is kept from the first schema.
      .addColumn('email', 'text', (c) => (pg ? c.notNull().unique() : c.notNull().unique().modifyEnd(sql`COLLATE NOCASE`)))
      .addColumn('organisation', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .execute();
    await db.schema.createTable('auth_sessions').ifNotExists()
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('technician_id', 'text', (c) => c.notNull().references('technicians.id').onDelete('cascade'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('last_seen_at', time, (c) => c.notNull())
      .execute();
    await db.schema.createTable('sessions').ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('technician_id', 'text', (c) => c.notNull().references('technicians.id'))
      .addColumn('ticket', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('waiting', 'active', 'ended')`))
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('ended_at', time)
      .addColumn('end_reason', 'text')
      .addColumn('viewer_peer_id', 'text', (c) => c.notNull().unique())
      .addColumn('viewer_peer_token_hash', 'text', (c) => c.notNull())
      .addColumn('customer_peer_id', 'text', (c) => c.notNull().unique())
      .addColumn('customer_peer_token_hash', 'text')
      .addColumn('invite_code_hash', 'text', (c) => c.notNull())
      .addColumn('invite_link_hash', 'text', (c) => c.notNull().unique())
      .addColumn('invite_expires_at', time, (c) => c.notNull())
      .addColumn('invite_spent_at', time)
      .addColumn('invite_nonce', 'text', (c) => c.notNull())
      .addColumn('code_failures', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('consent_terms_hash', 'text')
      .addColumn('consent_locale', 'text')
      .addColumn('consent_at', 'text')
      .addColumn('activated_at', time)
      .execute();
    await db.schema.createIndex('sessions_technician').ifNotExists().on('sessions').columns(['technician_id', 'created_at']).execute();
    await db.schema.createIndex('sessions_code').ifNotExists().on('sessions').column('invite_code_hash').execute();
    await db.schema.createIndex('sessions_status').ifNotExists().on('sessions').column('status').execute();
    await db.schema.createTable('audit_events').ifNotExists()
      .addColumn('id', pg ? 'bigint' : 'integer', (c) =>
        pg ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement())
      .addColumn('session_id', 'text', (c) => c.references('sessions.id'))
      .addColumn('technician_id', 'text', (c) => c.references('technicians.id'))
      .addColumn('at', time, (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('actor', 'text', (c) => c.notNull().check(sql`actor IN ('technician', 'customer', 'server')`))
      .execute();
    await db.schema.createIndex('audit_session').ifNotExists().on('audit_events').columns(['session_id', 'at']).execute();
  },
};

/** Issue 19: a technician can be disabled (npm run technician:disable); their sign-ins are revoked. */
const technicianDisabled: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('technicians').addColumn('disabled_at', isPostgres(db) ? 'bigint' : 'integer').execute();
  },
};

/**
 * Issue 17: the server says "being viewed" only while the customer's side reports its link to the
 * verified technician up; `link_seq` orders the reports (a late "up" never overwrites a newer "down").
 */
const customerLink: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('sessions').addColumn('link_state', 'text', (c) => c.check(sql`link_state IN ('up', 'down')`)).execute();
    await db.schema.alterTable('sessions').addColumn('link_seq', isPostgres(db) ? 'bigint' : 'integer').execute();
  },
};

/** Keyed by name; the Migrator runs them in name order. */
export const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-technician-disabled': technicianDisabled,
  '0003-customer-link': customerLink,
};
