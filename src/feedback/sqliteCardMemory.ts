/** The embedded card memory on one SQLite file (or ':memory:'), migrated on open. */
import { createCardMemory, type CardMemoryOptions } from './cardMemory.js';
import { migrate } from './migrations.js';
import { openSqlite } from './sql.js';
import type { CardMemory } from './types.js';

export type SqliteCardMemoryOptions = CardMemoryOptions;

export async function createSqliteCardMemory(dbPath: string, options: SqliteCardMemoryOptions): Promise<CardMemory> {
  const db = openSqlite(dbPath);
  await migrate(db);
  return createCardMemory(db, options);
}
