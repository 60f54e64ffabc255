/**
 * Embedded episode store (better-sqlite3). The file is created 0600: it holds patient ids and lab values.
 * One process runs cycles, so the cycle lock is an in-process flag.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Tier } from '../criteria/types.js';
import { planApply, type EpisodeWrite, type StoredEpisode } from './episodes.js';
import type { CensusEntry, EpisodeRow, EpisodeStore, NotificationRecord, PatientRecord } from './types.js';

export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS census_patient (
  patient_id TEXT PRIMARY KEY,
  entry_json TEXT NOT NULL,
  evaluated_at TEXT NOT NULL,
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
`;

export interface EpisodeDbRow {
  id: string;
  patient_id: string;
  met_at: string;
  resolved_at: string | null;
  tier: string;
  max_tier: string;
  tier_changes_json: string;
  first_treatment_at: string | null;
}

export interface NotificationDbRow {
  id: string;
  patient_id: string;
  episode_id: string;
  kind: string;
  tier: string;
  previous_tier: string;
  created_at: string;
  payload_json: string;
  attempts: number;
  delivered_at: string | null;
}

export function notificationFromRow(r: NotificationDbRow): NotificationRecord {
  return {
    id: r.id,
    patientId: r.patient_id,
    episodeId: r.episode_id,
    kind: r.kind as NotificationRecord['kind'],
    tier: r.tier as Tier,
    previousTier: r.previous_tier as Tier,
    createdAt: r.created_at,
    payload: JSON.parse(r.payload_json) as Record<string, unknown>,
    attempts: Number(r.attempts),
    ...(r.delivered_at ? { deliveredAt: r.delivered_at } : {}),
  };
}

export function episodeFromRow(r: EpisodeDbRow): EpisodeRow {
  return {
    id: r.id,
    patientId: r.patient_id,
    metAt: r.met_at,
    ...(r.resolved_at ? { resolvedAt: r.resolved_at } : {}),
    maxTier: r.max_tier as Tier,
    tierChanges: JSON.parse(r.tier_changes_json) as EpisodeRow['tierChanges'],
    ...(r.first_treatment_at ? { firstTreatmentAt: r.first_treatment_at } : {}),
  };
}

export function storedEpisode(r: EpisodeDbRow): StoredEpisode {
  const e = episodeFromRow(r);
  return { id: e.id, metAt: e.metAt, tier: r.tier as Tier, maxTier: e.maxTier, tierChanges: e.tierChanges, ...(e.firstTreatmentAt ? { firstTreatmentAt: e.firstTreatmentAt } : {}) };
}

/** Column values of an episode write, in the order both stores use. */
export function episodeParams(row: EpisodeWrite): [string, string, string, string | null, string, string, string, string | null] {
  return [row.id, row.patientId, row.metAt, row.resolvedAt ?? null, row.tier, row.maxTier, JSON.stringify(row.tierChanges), row.firstTreatmentAt ?? null];
}

export function openSqliteDatabase(dbPath: string, readonly = false): Database.Database {
  if (dbPath !== ':memory:' && !readonly) {
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    if (!fs.existsSync(dbPath)) fs.closeSync(fs.openSync(dbPath, 'a', 0o600));
    fs.chmodSync(dbPath, 0o600);
  }
  const db = new Database(dbPath, readonly ? { readonly: true, fileMustExist: true } : {});
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    db.exec(SQLITE_SCHEMA);
  }
  return db;
}

type PatientDbRow = { entry_json: string; last_error: string | null; episode_id: string | null };

export function createSqliteEpisodeStore(dbPath: string, newId: () => string): EpisodeStore {
  const db = openSqliteDatabase(dbPath);
  let cycleRunning = false;

  const getPatient = db.prepare<[string], PatientDbRow>('SELECT entry_json, last_error, episode_id FROM census_patient WHERE patient_id = ?');
  const getEpisode = db.prepare<[string], EpisodeDbRow>('SELECT * FROM census_episode WHERE id = ?');
  const upsertPatient = db.prepare<[string, string, string, string | null]>(
    `INSERT INTO census_patient (patient_id, entry_json, evaluated_at, last_error, episode_id) VALUES (?, ?, ?, NULL, ?)
     ON CONFLICT (patient_id) DO UPDATE SET entry_json = excluded.entry_json, evaluated_at = excluded.evaluated_at, last_error = NULL, episode_id = excluded.episode_id`,
  );
  const writeEpisode = db.prepare(
    `INSERT INTO census_episode (id, patient_id, met_at, resolved_at, tier, max_tier, tier_changes_json, first_treatment_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET resolved_at = excluded.resolved_at, tier = excluded.tier, max_tier = excluded.max_tier,
       tier_changes_json = excluded.tier_changes_json, first_treatment_at = excluded.first_treatment_at`,
  );
  const insertNotification = db.prepare(
    `INSERT OR IGNORE INTO census_notification (id, dedupe_key, patient_id, episode_id, kind, tier, previous_tier, created_at, payload_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const failure = db.prepare('UPDATE census_patient SET last_error = ? WHERE patient_id = ?');

  const apply = db.transaction((entry: CensusEntry, treatments: string[], make: Parameters<EpisodeStore['applyEvaluation']>[2]): NotificationRecord[] => {
    const prev = getPatient.get(entry.patientId);
    const openRow = prev?.episode_id ? getEpisode.get(prev.episode_id) : undefined;
    const previousTier = prev ? (JSON.parse(prev.entry_json) as CensusEntry).tier : 'none';
    const plan = planApply(entry.patientId, previousTier, openRow ? storedEpisode(openRow) : undefined, entry.tier, entry.evaluatedAt, treatments, newId);
    if (plan.episode) writeEpisode.run(...episodeParams(plan.episode.row));
    const created: NotificationRecord[] = [];
    for (const n of plan.notifications) {
      const base = { patientId: entry.patientId, episodeId: n.episodeId, kind: n.kind, tier: n.tier, previousTier: n.previousTier, createdAt: entry.evaluatedAt };
      const { id, payload } = make(base, entry);
      const res = insertNotification.run(id, n.dedupeKey, entry.patientId, n.episodeId, n.kind, n.tier, n.previousTier, entry.evaluatedAt, JSON.stringify(payload));
      if (res.changes > 0) created.push({ ...base, id, payload, attempts: 0 });
    }
    upsertPatient.run(entry.patientId, JSON.stringify(entry), entry.evaluatedAt, plan.openEpisodeId ?? null);
    return created;
  });

  return {
    kind: 'sqlite',
    async withCycleLock(fn) {
      if (cycleRunning) return { ran: false };
      cycleRunning = true;
      try {
        return { ran: true, value: await fn() };
      } finally {
        cycleRunning = false;
      }
    },
    async applyEvaluation(entry, treatments, make) {
      return apply(entry, treatments, make);
    },
    async recordFailure(patientId, _at, error) {
      failure.run(error, patientId);
    },
    async listPatients() {
      return db
        .prepare<[], PatientDbRow>('SELECT entry_json, last_error, episode_id FROM census_patient')
        .all()
        .map((r): PatientRecord => {
          const ep = r.episode_id ? getEpisode.get(r.episode_id) : undefined;
          return {
            entry: JSON.parse(r.entry_json) as CensusEntry,
            ...(r.last_error ? { lastError: r.last_error } : {}),
            ...(ep ? { episode: { id: ep.id, metAt: ep.met_at, tier: ep.tier as Tier, maxTier: ep.max_tier as Tier } } : {}),
          };
        });
    },
    async pendingNotifications() {
      return db.prepare<[], NotificationDbRow>('SELECT * FROM census_notification WHERE delivered_at IS NULL ORDER BY created_at, id').all().map(notificationFromRow);
    },
    async markAttempt(id) {
      return db.prepare('UPDATE census_notification SET attempts = attempts + 1 WHERE id = ? AND delivered_at IS NULL').run(id).changes > 0;
    },
    async markDelivered(id, at) {
      db.prepare('UPDATE census_notification SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL').run(at, id);
    },
    async episodes() {
      return db.prepare<[], EpisodeDbRow>('SELECT * FROM census_episode ORDER BY met_at, id').all().map(episodeFromRow);
    },
    async close() {
      db.close();
    },
  };
}
