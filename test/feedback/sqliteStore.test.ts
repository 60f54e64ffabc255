/** The card-memory contract on SQLite files, plus what is SQLite-only: file mode 0600 and upgrading a version-1 file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/feedback/store.js';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../../src/feedback/migrations.js';
import { openSqlite } from '../../src/feedback/sql.js';
import { describeCardMemoryContract } from './contract.js';
import { CARD_RULES } from '../../src/cards/cardRules.js';

describeCardMemoryContract({
  name: 'SQLite',
  async fresh() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iec-hs-store-'));
    const file = path.join(dir, 'feedback.sqlite');
    return {
      open: (options) => openStore({ dbPath: file }, options),
      dump: async () => fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1')).join(''),
      dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  },
});

describe('SQLite files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iec-hs-sqlite-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are created 0600 (with their -wal and -shm files) in a folder created 0700', async () => {
    const file = path.join(dir, 'data', 'feedback.sqlite');
    const store = await openStore({ dbPath: file }, { cards: CARD_RULES, suppressHours: 24 });
    try {
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      const files = fs.readdirSync(path.dirname(file));
      expect(files).toEqual(expect.arrayContaining(['feedback.sqlite', 'feedback.sqlite-wal', 'feedback.sqlite-shm']));
      for (const f of files) expect([f, fs.statSync(path.join(path.dirname(file), f)).mode & 0o777]).toEqual([f, 0o600]);
    } finally {
      await store.close();
    }
  });

  it('an existing world-readable file is tightened to 0600', async () => {
    const file = path.join(dir, 'feedback.sqlite');
    fs.writeFileSync(file, '');
    fs.chmodSync(file, 0o644);
    const store = await openStore({ dbPath: file }, { cards: CARD_RULES, suppressHours: 24 });
    await store.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('migrations are versioned and applied once; a version-1 file keeps its rows', async () => {
    const file = path.join(dir, 'feedback.sqlite');
    const v1 = new Database(file);
    v1.exec((MIGRATIONS[0]?.sql('sqlite') ?? '') + "INSERT INTO issued_card VALUES ('card-1','svc','hash','none','iec-hs-alert','warning','[]','2026-01-01T00:00:00Z');");
    v1.close();
    const db = openSqlite(file);
    try {
      expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await migrate(db)).toEqual([]);
      const rows = await db.all<{ uuid: string; issuer: string; tenant: string }>('SELECT uuid, issuer, tenant FROM issued_card');
      expect(rows).toEqual([{ uuid: 'card-1', issuer: '', tenant: '' }]);
      expect((await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version)).toEqual([...Array(SCHEMA_VERSION).keys()].map((i) => i + 1));
    } finally {
      await db.close();
    }
  });
});
