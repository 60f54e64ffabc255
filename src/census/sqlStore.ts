/**
 * The episode store, one implementation over the shared SQL layer (src/feedback/sql.ts): SQLite (its own
 * file, created 0600: it holds patient ids and lab values) or PostgreSQL (DATABASE_URL, shared by every
 * instance). The schema is the versioned one of src/feedback/migrations.ts (versions 3 and 4).
 *
 * One cycle at a time: on PostgreSQL `pg_try_advisory_xact_lock` inside a transaction kept open for the
 * whole cycle (a transaction-scoped lock cannot outlive its connection, unlike a session lock on a pooled
 * connection); on SQLite one process owns the file, so an in-process flag. Each evaluation is applied in
 * one transaction with the patient row locked first (PostgreSQL: FOR UPDATE; SQLite: BEGIN IMMEDIATE).
 */
import type { Tier } from '../criteria/types.js';
import { migrate } from '../feedback/migrations.js';
import { openPostgres, openSqlite, type SqlDatabase, type SqlValue } from '../feedback/sql.js';
import { planApply, type EpisodeWrite, type StoredEpisode } from './episodes.js';
import type { CensusEntry, EpisodeRow, EpisodeStore, NotificationRecord, PatientRecord } from './types.js';

/** Advisory lock key of the census cycle (any fixed 64-bit number unique within this database). */
export const CENSUS_LOCK_KEY = 0x1ec45c0de5n.toString();

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

interface NotificationDbRow {
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
  communication_text: string | null;
  communication_attempts: number;
  communicated_at: string | null;
}

/** PostgreSQL answers the JSONB entry as an object, SQLite as text. */
type JsonColumn = string | CensusEntry;
const entryOf = (v: JsonColumn): CensusEntry => (typeof v === 'string' ? (JSON.parse(v) as CensusEntry) : v);

function notificationFromRow(r: NotificationDbRow): NotificationRecord {
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
    ...(r.communication_text ? { communicationText: r.communication_text, communicationAttempts: Number(r.communication_attempts) } : {}),
    ...(r.communicated_at ? { communicatedAt: r.communicated_at } : {}),
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

function storedEpisode(r: EpisodeDbRow): StoredEpisode {
  const e = episodeFromRow(r);
  return { id: e.id, metAt: e.metAt, tier: r.tier as Tier, maxTier: e.maxTier, tierChanges: e.tierChanges, ...(e.firstTreatmentAt ? { firstTreatmentAt: e.firstTreatmentAt } : {}) };
}

function episodeParams(row: EpisodeWrite): SqlValue[] {
  return [row.id, row.patientId, row.metAt, row.resolvedAt ?? null, row.tier, row.maxTier, JSON.stringify(row.tierChanges), row.firstTreatmentAt ?? null];
}

/** The store on a migrated database; takes ownership of `db` (close() closes it). */
export async function createSqlEpisodeStore(db: SqlDatabase, newId: () => string): Promise<EpisodeStore> {
  await migrate(db);
  const postgres = db.dialect === 'postgres';
  let cycleRunning = false;

  return {
    kind: db.dialect,
    async withCycleLock(fn) {
      if (!postgres) {
        if (cycleRunning) return { ran: false };
        cycleRunning = true;
        try {
          return { ran: true, value: await fn() };
        } finally {
          cycleRunning = false;
        }
      }
      return db.transaction(async (tx) => {
        const [row] = await tx.all<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(?) AS locked', [CENSUS_LOCK_KEY]);
        if (!row?.locked) return { ran: false as const };
        return { ran: true as const, value: await fn() };
      });
    },
    async applyEvaluation(entry, treatments, make) {
      return db.transaction(async (tx) => {
        // Create (or lock) the patient row first so two writers of one patient serialise.
        await tx.run('INSERT INTO census_patient (patient_id, entry_json, evaluated_at) VALUES (?, ?, ?) ON CONFLICT (patient_id) DO NOTHING', [
          entry.patientId,
          JSON.stringify({ ...entry, tier: 'none' }),
          entry.evaluatedAt,
        ]);
        const [prev] = await tx.all<{ entry_json: JsonColumn; episode_id: string | null }>(
          `SELECT entry_json, episode_id FROM census_patient WHERE patient_id = ?${postgres ? ' FOR UPDATE' : ''}`,
          [entry.patientId],
        );
        const [openRow] = prev?.episode_id ? await tx.all<EpisodeDbRow>('SELECT * FROM census_episode WHERE id = ?', [prev.episode_id]) : [];
        const previousTier: Tier = prev ? entryOf(prev.entry_json).tier : 'none';
        const plan = planApply(entry.patientId, previousTier, openRow ? storedEpisode(openRow) : undefined, entry.tier, entry.evaluatedAt, treatments, newId);
        if (plan.episode) {
          await tx.run(
            `INSERT INTO census_episode (id, patient_id, met_at, resolved_at, tier, max_tier, tier_changes_json, first_treatment_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET resolved_at = excluded.resolved_at, tier = excluded.tier, max_tier = excluded.max_tier,
               tier_changes_json = excluded.tier_changes_json, first_treatment_at = excluded.first_treatment_at`,
            episodeParams(plan.episode.row),
          );
        }
        const created: NotificationRecord[] = [];
        for (const n of plan.notifications) {
          const base = { patientId: entry.patientId, episodeId: n.episodeId, kind: n.kind, tier: n.tier, previousTier: n.previousTier, createdAt: entry.evaluatedAt };
          const { id, payload, communicationText } = make(base, entry);
          // dedupe_key is unique: a (episode, tier) already notified inserts nothing.
          const changed = await tx.run(
            `INSERT INTO census_notification (id, dedupe_key, patient_id, episode_id, kind, tier, previous_tier, created_at, payload_json, communication_text)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
            [id, n.dedupeKey, entry.patientId, n.episodeId, n.kind, n.tier, n.previousTier, entry.evaluatedAt, JSON.stringify(payload), communicationText ?? null],
          );
          if (changed > 0) created.push({ ...base, id, payload, attempts: 0, ...(communicationText ? { communicationText, communicationAttempts: 0 } : {}) });
        }
        await tx.run('UPDATE census_patient SET entry_json = ?, evaluated_at = ?, last_error = NULL, episode_id = ? WHERE patient_id = ?', [
          JSON.stringify(entry),
          entry.evaluatedAt,
          plan.openEpisodeId ?? null,
          entry.patientId,
        ]);
        return created;
      });
    },
    async recordFailure(patientId, _at, error) {
      await db.run('UPDATE census_patient SET last_error = ? WHERE patient_id = ?', [error, patientId]);
    },
    async listPatients() {
      const rows = await db.all<{ entry_json: JsonColumn; last_error: string | null; id: string | null; met_at: string | null; tier: string | null; max_tier: string | null }>(
        'SELECT p.entry_json, p.last_error, e.id, e.met_at, e.tier, e.max_tier FROM census_patient p LEFT JOIN census_episode e ON e.id = p.episode_id',
      );
      return rows.map(
        (r): PatientRecord => ({
          entry: entryOf(r.entry_json),
          ...(r.last_error ? { lastError: r.last_error } : {}),
          ...(r.id && r.met_at ? { episode: { id: r.id, metAt: r.met_at, tier: (r.tier ?? 'none') as Tier, maxTier: (r.max_tier ?? 'none') as Tier } } : {}),
        }),
      );
    },
    async pendingNotifications() {
      return (await db.all<NotificationDbRow>('SELECT * FROM census_notification WHERE delivered_at IS NULL ORDER BY created_at, id')).map(notificationFromRow);
    },
    async markAttempt(id) {
      return (await db.run('UPDATE census_notification SET attempts = attempts + 1 WHERE id = ? AND delivered_at IS NULL', [id])) > 0;
    },
    async markDelivered(id, at) {
      await db.run('UPDATE census_notification SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL', [at, id]);
    },
    async pendingCommunications() {
      return (
        await db.all<NotificationDbRow>('SELECT * FROM census_notification WHERE communication_text IS NOT NULL AND communicated_at IS NULL ORDER BY created_at, id')
      ).map(notificationFromRow);
    },
    async markCommunicationAttempt(id) {
      return (await db.run('UPDATE census_notification SET communication_attempts = communication_attempts + 1 WHERE id = ? AND communicated_at IS NULL', [id])) > 0;
    },
    async markCommunicated(id, at) {
      await db.run('UPDATE census_notification SET communicated_at = ? WHERE id = ? AND communicated_at IS NULL', [at, id]);
    },
    async episodes() {
      return (await db.all<EpisodeDbRow>('SELECT * FROM census_episode ORDER BY met_at, id')).map(episodeFromRow);
    },
    async close() {
      await db.close();
    },
  };
}

/** The embedded store on a SQLite file (or ':memory:'). */
export function createSqliteEpisodeStore(dbPath: string, newId: () => string): Promise<EpisodeStore> {
  return openAndCreate(openSqlite(dbPath), newId);
}

/** The shared store on PostgreSQL. */
export function createPostgresEpisodeStore(databaseUrl: string, newId: () => string, opts: { poolSize?: number } = {}): Promise<EpisodeStore> {
  return openAndCreate(openPostgres({ connectionString: databaseUrl, poolSize: opts.poolSize ?? 5, onError: () => undefined }), newId);
}

async function openAndCreate(db: SqlDatabase, newId: () => string): Promise<EpisodeStore> {
  try {
    return await createSqlEpisodeStore(db, newId);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}
