/** Card memory: the interface (types.ts), its logic over SQLite or PostgreSQL, migrations and the store opener. */
export type { CallerScope, CardMemory, FeedbackItem, FeedbackResult, HookScope, PendingOrder, SuppressScope } from './types.js';
export { createSqliteCardMemory, type SqliteCardMemoryOptions } from './sqliteCardMemory.js';
export { createCardMemory, type CardMemoryOptions } from './cardMemory.js';
export { migrate, MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
export { openStore, openDatabase, type Store, type StoreLocation } from './store.js';
