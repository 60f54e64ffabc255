/**
 * Episode store on PostgreSQL (DATABASE_URL), shared by every instance. One cycle at a time across
 * instances: `pg_try_advisory_lock` on a dedicated connection held for the whole cycle (advisory locks
 * belong to the session, so a pooled connection could not be trusted to still hold it). Each
 * evaluation is applied in one transaction with the patient row locked.
 */
import pg from 'pg';
import type { Tier } from '../criteria/types.js';
import { planApply } from './episodes.js';
import { episodeFromRow, episodeParams, notificationFromRow, storedEpisode, type EpisodeDbRow, type NotificationDbRow } from './sqliteStore.js';
import type { CensusEntry, EpisodeStore, NotificationRecord, PatientRecord } from './types.js';

/** Advisory lock key of the census cycle (any fixed 64-bit number unique within this database). */
export const CENSUS_LOCK_KEY = 0x1ec45c0de5n.toString();
/** Serialises schema creation when several instances start at once. */
const SCHEMA_LOCK_KEY = (0x1ec45c0de5n + 1n).toString();

const SCHEMA = `
CREATE TABLE IF NOT EXISTS census_patient (
  patient_id TEXT PRIMARY KEY,
  entry_json JSONB NOT NULL,
  evaluated_at TIMESTAMPTZ NOT NULL,
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

export async function createPostgresEpisodeStore(databaseUrl: string, newId: () => string, opts: { poolSize?: number } = {}): Promise<EpisodeStore> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: opts.poolSize ?? 5 });
  // Errors on idle clients (server restart) must not crash the process; the next query reports them.
  pool.on('error', () => undefined);
  const setup = await pool.connect();
  try {
    await setup.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
    await setup.query(SCHEMA);
    await setup.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY]);
  } finally {
    setup.release();
  }

  async function inTransaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const value = await fn(client);
      await client.query('COMMIT');
      return value;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  return {
    kind: 'postgres',
    async withCycleLock(fn) {
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [CENSUS_LOCK_KEY]);
        if (!rows[0]?.locked) return { ran: false };
        try {
          return { ran: true, value: await fn() };
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [CENSUS_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    async applyEvaluation(entry, treatments, make) {
      return inTransaction(async (c) => {
        // Lock (or create) the patient row first so two writers of one patient serialise.
        await c.query(
          `INSERT INTO census_patient (patient_id, entry_json, evaluated_at) VALUES ($1, $2, $3) ON CONFLICT (patient_id) DO NOTHING`,
          [entry.patientId, JSON.stringify({ ...entry, tier: 'none' }), entry.evaluatedAt],
        );
        const prev = await c.query<{ entry_json: CensusEntry; episode_id: string | null }>(
          'SELECT entry_json, episode_id FROM census_patient WHERE patient_id = $1 FOR UPDATE',
          [entry.patientId],
        );
        const row = prev.rows[0];
        const openRes = row?.episode_id ? await c.query<EpisodeDbRow>('SELECT * FROM census_episode WHERE id = $1', [row.episode_id]) : undefined;
        const openRow = openRes?.rows[0];
        const previousTier: Tier = row ? row.entry_json.tier : 'none';
        const plan = planApply(entry.patientId, previousTier, openRow ? storedEpisode(openRow) : undefined, entry.tier, entry.evaluatedAt, treatments, newId);
        if (plan.episode) {
          await c.query(
            `INSERT INTO census_episode (id, patient_id, met_at, resolved_at, tier, max_tier, tier_changes_json, first_treatment_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (id) DO UPDATE SET resolved_at = excluded.resolved_at, tier = excluded.tier, max_tier = excluded.max_tier,
               tier_changes_json = excluded.tier_changes_json, first_treatment_at = excluded.first_treatment_at`,
            episodeParams(plan.episode.row),
          );
        }
        const created: NotificationRecord[] = [];
        for (const n of plan.notifications) {
          const base = { patientId: entry.patientId, episodeId: n.episodeId, kind: n.kind, tier: n.tier, previousTier: n.previousTier, createdAt: entry.evaluatedAt };
          const { id, payload } = make(base, entry);
          const res = await c.query(
            `INSERT INTO census_notification (id, dedupe_key, patient_id, episode_id, kind, tier, previous_tier, created_at, payload_json)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
            [id, n.dedupeKey, entry.patientId, n.episodeId, n.kind, n.tier, n.previousTier, entry.evaluatedAt, JSON.stringify(payload)],
          );
          if ((res.rowCount ?? 0) > 0) created.push({ ...base, id, payload, attempts: 0 });
        }
        await c.query('UPDATE census_patient SET entry_json = $2, evaluated_at = $3, last_error = NULL, episode_id = $4 WHERE patient_id = $1', [
          entry.patientId,
          JSON.stringify(entry),
          entry.evaluatedAt,
          plan.openEpisodeId ?? null,
        ]);
        return created;
      });
    },
    async recordFailure(patientId, _at, error) {
      await pool.query('UPDATE census_patient SET last_error = $2 WHERE patient_id = $1', [patientId, error]);
    },
    async listPatients() {
      const { rows } = await pool.query<{ entry_json: CensusEntry; last_error: string | null; id: string | null; met_at: string | null; tier: string | null; max_tier: string | null }>(
        `SELECT p.entry_json, p.last_error, e.id, e.met_at, e.tier, e.max_tier FROM census_patient p LEFT JOIN census_episode e ON e.id = p.episode_id`,
      );
      return rows.map(
        (r): PatientRecord => ({
          entry: r.entry_json,
          ...(r.last_error ? { lastError: r.last_error } : {}),
          ...(r.id && r.met_at ? { episode: { id: r.id, metAt: r.met_at, tier: (r.tier ?? 'none') as Tier, maxTier: (r.max_tier ?? 'none') as Tier } } : {}),
        }),
      );
    },
    async pendingNotifications() {
      const { rows } = await pool.query<NotificationDbRow>('SELECT * FROM census_notification WHERE delivered_at IS NULL ORDER BY created_at, id');
      return rows.map(notificationFromRow);
    },
    async markAttempt(id) {
      const res = await pool.query('UPDATE census_notification SET attempts = attempts + 1 WHERE id = $1 AND delivered_at IS NULL', [id]);
      return (res.rowCount ?? 0) > 0;
    },
    async markDelivered(id, at) {
      await pool.query('UPDATE census_notification SET delivered_at = $2 WHERE id = $1 AND delivered_at IS NULL', [id, at]);
    },
    async episodes() {
      const { rows } = await pool.query<EpisodeDbRow>('SELECT * FROM census_episode ORDER BY met_at, id');
      return rows.map(episodeFromRow);
    },
    async close() {
      await pool.end();
    },
  };
}
