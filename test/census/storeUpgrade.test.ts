/**
 * A census SQLite file written before the census used the versioned migrations (tables created by the
 * old store, no schema_migrations) opens with the migrated store: its rows are kept, the Communication
 * columns are added (version 4), and the versions are recorded once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteEpisodeStore } from '../../src/census/sqlStore.js';
import { SCHEMA_VERSION } from '../../src/feedback/migrations.js';

/** The census tables exactly as the store before migrations created them. */
const RELEASED_SCHEMA = `
CREATE TABLE census_patient (patient_id TEXT PRIMARY KEY, entry_json TEXT NOT NULL, evaluated_at TEXT NOT NULL, last_error TEXT, episode_id TEXT);
CREATE TABLE census_episode (id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, met_at TEXT NOT NULL, resolved_at TEXT, tier TEXT NOT NULL, max_tier TEXT NOT NULL, tier_changes_json TEXT NOT NULL, first_treatment_at TEXT);
CREATE TABLE census_notification (id TEXT PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE, patient_id TEXT NOT NULL, episode_id TEXT NOT NULL, kind TEXT NOT NULL, tier TEXT NOT NULL,
  previous_tier TEXT NOT NULL, created_at TEXT NOT NULL, payload_json TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, delivered_at TEXT);
`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'census-upgrade-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('an old census file is migrated in place, rows kept', async () => {
  const file = path.join(dir, 'census.sqlite');
  const old = new Database(file);
  old.exec(RELEASED_SCHEMA);
  const entry = { patientId: 'p1', watched: true, watchReason: 'x', crs: { state: 'none' }, iecHs: 'met', tier: 'warning', overlappingCrs: false, keyValues: [], labsDue: [], labsDueLabels: [], partialData: [], evaluatedAt: '2026-01-01T00:00:00.000Z' };
  old.prepare('INSERT INTO census_patient VALUES (?, ?, ?, NULL, ?)').run('p1', JSON.stringify(entry), entry.evaluatedAt, 'e1');
  old.prepare("INSERT INTO census_episode VALUES ('e1', 'p1', '2026-01-01T00:00:00.000Z', NULL, 'warning', 'warning', '[]', NULL)").run();
  old.prepare("INSERT INTO census_notification (id, dedupe_key, patient_id, episode_id, kind, tier, previous_tier, created_at, payload_json, delivered_at) VALUES ('n1', 'e1:warning', 'p1', 'e1', 'new-picture', 'warning', 'none', '2026-01-01T00:00:00.000Z', '{}', '2026-01-01T00:01:00.000Z')").run();
  old.close();

  const store = await createSqliteEpisodeStore(file, () => 'unused');
  try {
    const [record] = await store.listPatients();
    expect(record).toMatchObject({ entry: { patientId: 'p1', tier: 'warning' }, episode: { id: 'e1', maxTier: 'warning' } });
    expect(await store.episodes()).toHaveLength(1);
    // Delivered before the upgrade, and no Communication configured then: nothing pending.
    expect(await store.pendingNotifications()).toEqual([]);
    expect(await store.pendingCommunications()).toEqual([]);
  } finally {
    await store.close();
  }
  const db = new Database(file, { readonly: true });
  try {
    const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('census_notification')").all().map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['communication_text', 'communication_attempts', 'communicated_at']));
    expect(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM schema_migrations').get()?.n).toBe(SCHEMA_VERSION);
  } finally {
    db.close();
  }
  // Opening again applies nothing more.
  const again = await createSqliteEpisodeStore(file, () => 'unused');
  await again.close();
});
