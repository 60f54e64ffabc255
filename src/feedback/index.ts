/** Card memory: the interface (types.ts) and its embedded SQLite implementation. */
export type { CardMemory, FeedbackItem, FeedbackResult } from './types.js';
export { createSqliteCardMemory, type SqliteCardMemoryOptions } from './sqliteCardMemory.js';
