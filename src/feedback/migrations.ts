/**
 * Versioned schema of the card memory, the JWT replay cache and the census episode store (src/census),
 * the same versions for SQLite and PostgreSQL. Applied in order at start-up (and by `npm run migrate`), each in its own transaction,
 * recorded in `schema_migrations`. On PostgreSQL a transaction-scoped advisory lock serialises
 * instances starting at the same time. Never edit a released migration: add the next one.
 *
 * In the card memory, patients, users and encounters appear only as keyed hashes (the census is a
 * clinical list and keeps FHIR patient ids, in its own file or the shared database); free-text override comments are not
 * stored (they may hold patient data), only whether one was given.
 */
import type { Dialect, SqlDatabase } from './sql.js';

export interface Migration {
  version: number;
  name: string;
  sql: (dialect: Dialect) => string;
}

/** Epoch milliseconds need 64 bits on PostgreSQL; SQLite integers are 64-bit already. */
const ms = (d: Dialect): string => (d === 'postgres' ? 'BIGINT' : 'INTEGER');

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'card memory',
    // Written with IF NOT EXISTS: SQLite files from before versioned migrations already hold these tables.
    sql: (d) => `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS issued_card (
  uuid TEXT PRIMARY KEY,
  service_id TEXT NOT NULL,
  patient_hash TEXT NOT NULL,
  episode TEXT NOT NULL,
  card_type TEXT NOT NULL,
  indicator TEXT NOT NULL,
  met_json TEXT NOT NULL,
  issued_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS issued_card_episode ON issued_card (service_id, patient_hash, episode, card_type);
CREATE TABLE IF NOT EXISTS issued_suggestion (
  uuid TEXT PRIMARY KEY,
  card_uuid TEXT NOT NULL REFERENCES issued_card (uuid),
  loinc_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
  card_uuid TEXT NOT NULL REFERENCES issued_card (uuid),
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  reason_system TEXT,
  reason_code TEXT,
  reason_display TEXT,
  has_comment INTEGER NOT NULL DEFAULT 0,
  outcome_ms ${ms(d)} NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (card_uuid, outcome)
);
CREATE INDEX IF NOT EXISTS feedback_outcome_time ON feedback (outcome, outcome_ms);
CREATE TABLE IF NOT EXISTS accepted_suggestion (
  suggestion_uuid TEXT NOT NULL,
  loinc TEXT NOT NULL,
  card_uuid TEXT NOT NULL REFERENCES issued_card (uuid),
  patient_hash TEXT NOT NULL,
  accepted_ms ${ms(d)} NOT NULL,
  PRIMARY KEY (suggestion_uuid, loinc)
);
CREATE INDEX IF NOT EXISTS accepted_suggestion_pending ON accepted_suggestion (patient_hash, loinc, accepted_ms);
`,
  },
  {
    version: 2,
    name: 'tenant and user scope; JWT replay cache',
    // Rows from before this version belong to the unauthenticated scope (issuer '' and tenant '').
    sql: (d) => `
ALTER TABLE issued_card ADD COLUMN issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE issued_card ADD COLUMN tenant TEXT NOT NULL DEFAULT '';
ALTER TABLE issued_card ADD COLUMN user_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE issued_card ADD COLUMN encounter_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX issued_card_scope ON issued_card (issuer, tenant, service_id, patient_hash, episode, card_type);
ALTER TABLE accepted_suggestion ADD COLUMN issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE accepted_suggestion ADD COLUMN tenant TEXT NOT NULL DEFAULT '';
CREATE INDEX accepted_suggestion_scope ON accepted_suggestion (issuer, tenant, patient_hash, accepted_ms);
CREATE TABLE seen_jti (
  key TEXT PRIMARY KEY,
  expires_ms ${ms(d)} NOT NULL
);
CREATE INDEX seen_jti_expiry ON seen_jti (expires_ms);
`,
  },
  {
    version: 3,
    name: 'census episode store',
    // The census tables as src/census created them before it used these migrations, so IF NOT EXISTS:
    // existing census databases (its own SQLite file, or the shared PostgreSQL) pass through unchanged.
    sql: (d) => `
CREATE TABLE IF NOT EXISTS census_patient (
  patient_id TEXT PRIMARY KEY,
  entry_json ${d === 'postgres' ? 'JSONB' : 'TEXT'} NOT NULL,
  evaluated_at ${d === 'postgres' ? 'TIMESTAMPTZ' : 'TEXT'} NOT NULL,
  last_error TEXT,
  episode_id TEXT
);
CREATE TABLE IF NOT EXISTS census_episode (
  id TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL,
  met_at TEXT NOT NULL,
  resolved_at TEXT,
  tier TEXT NOT NULL,
  max_tier TEXT NOT NULL,
  tier_changes_json TEXT NOT NULL,
  first_treatment_at TEXT
);
CREATE TABLE IF NOT EXISTS census_notification (
  id TEXT PRIMARY KEY,
  dedupe_key TEXT NOT NULL UNIQUE,
  patient_id TEXT NOT NULL,
  episode_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  tier TEXT NOT NULL,
  previous_tier TEXT NOT NULL,
  created_at TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  delivered_at TEXT
);
`,
  },
  {
    version: 4,
    name: 'census FHIR Communication per notification',
    // communication_text is NULL when no Communication is configured: nothing pending to write.
    sql: () => `
ALTER TABLE census_notification ADD COLUMN communication_text TEXT;
ALTER TABLE census_notification ADD COLUMN communication_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE census_notification ADD COLUMN communicated_at TEXT;
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Arbitrary fixed key of the PostgreSQL advisory lock held while migrating. */
const MIGRATION_LOCK_KEY = 7_314_001;

/**
 * Applies every migration not yet recorded, all in one transaction (a failed migration leaves the
 * schema as it was); answers the versions applied now.
 */
export async function migrate(db: SqlDatabase): Promise<number[]> {
  return db.transaction(async (tx) => {
    if (db.dialect === 'postgres') await tx.all(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const done = new Set((await tx.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql(db.dialect));
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, new Date().toISOString()]);
      applied.push(migration.version);
    }
    return applied;
  });
}
