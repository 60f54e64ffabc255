/**
 * SQLite schema of the card memory, shared by the store and the report CLI. Patients appear only as a
 * keyed hash; free-text override comments are not stored (they may hold patient data), only whether one
 * was given.
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
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
  outcome_ms INTEGER NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (card_uuid, outcome)
);
CREATE INDEX IF NOT EXISTS feedback_outcome_time ON feedback (outcome, outcome_ms);
CREATE TABLE IF NOT EXISTS accepted_suggestion (
  suggestion_uuid TEXT NOT NULL,
  loinc TEXT NOT NULL,
  card_uuid TEXT NOT NULL REFERENCES issued_card (uuid),
  patient_hash TEXT NOT NULL,
  accepted_ms INTEGER NOT NULL,
  PRIMARY KEY (suggestion_uuid, loinc)
);
CREATE INDEX IF NOT EXISTS accepted_suggestion_pending ON accepted_suggestion (patient_hash, loinc, accepted_ms);
`;
