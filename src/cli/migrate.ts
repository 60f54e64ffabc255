/**
 * `npm run migrate`: applies the card-memory migrations to PostgreSQL (DATABASE_URL) or to the SQLite
 * file (FEEDBACK_DB, default data/feedback.sqlite) and exits. Instances also migrate at start-up; this
 * lets a deployment migrate once, before rolling out new instances.
 */
import path from 'node:path';
import { ConfigError, loadConfig } from '../config/load.js';
import { migrate, SCHEMA_VERSION } from '../feedback/migrations.js';
import { openDatabase } from '../feedback/store.js';

export async function runMigrateCli(env: Record<string, string | undefined>, out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  let databaseUrl: string | undefined;
  let dbPath: string;
  try {
    // Demo mode: only the store settings matter here, not the production checks of the rest.
    const config = loadConfig({ mode: 'demo', env });
    databaseUrl = config.feedback.databaseUrl;
    dbPath = env.FEEDBACK_DB ? config.feedback.dbPath : path.resolve('data', 'feedback.sqlite');
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError ? e.message : String(e)}\n`);
    return 1;
  }
  const db = openDatabase({ dbPath, ...(databaseUrl ? { databaseUrl } : {}) });
  try {
    const applied = await migrate(db);
    const where = databaseUrl ? 'PostgreSQL (DATABASE_URL)' : dbPath;
    out(applied.length > 0 ? `${where}: applied migrations ${applied.join(', ')}; schema version ${SCHEMA_VERSION}\n` : `${where}: up to date at schema version ${SCHEMA_VERSION}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`migration failed: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    await db.close();
  }
}
