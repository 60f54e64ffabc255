/**
 * Opens the shared state of one service instance: PostgreSQL when a database URL is configured
 * (several instances share it), else the embedded SQLite file. Migrations are applied first; the card
 * memory and the JWT replay cache then live in the same database.
 */
import type { ReplayStore } from '../security/replayStore.js';
import { SqlReplayStore } from './sqlReplayStore.js';
import { createCardMemory, type CardMemoryOptions } from './cardMemory.js';
import { migrate } from './migrations.js';
import { openPostgres, openSqlite, type SqlDatabase } from './sql.js';
import type { CardMemory } from './types.js';

export interface StoreLocation {
  /** postgres://… ; wins over dbPath. */
  databaseUrl?: string;
  /** SQLite file, or ':memory:'. */
  dbPath: string;
  poolSize?: number;
}

export interface Store {
  kind: 'postgres' | 'sqlite';
  cardMemory: CardMemory;
  replayStore: ReplayStore;
  /** Closes the database (the card memory's close does the same). */
  close(): Promise<void>;
}

export function openDatabase(location: StoreLocation, onError?: (error: unknown) => void): SqlDatabase {
  return location.databaseUrl
    ? openPostgres({ connectionString: location.databaseUrl, ...(location.poolSize ? { poolSize: location.poolSize } : {}), ...(onError ? { onError } : {}) })
    : openSqlite(location.dbPath);
}

/** Opens and migrates the database, then builds the card memory and the replay cache on it. */
export async function openStore(location: StoreLocation, options: CardMemoryOptions): Promise<Store> {
  const db = openDatabase(location, options.onError);
  try {
    await migrate(db);
    const cardMemory = await createCardMemory(db, options);
    return {
      kind: db.dialect,
      cardMemory,
      replayStore: new SqlReplayStore(db, options.onError),
      close: () => cardMemory.close(),
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
