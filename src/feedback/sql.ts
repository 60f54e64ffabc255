/**
 * The little SQL surface the card memory and the replay store need, implemented over better-sqlite3
 * (embedded) and node-postgres (shared). Statements are written once with `?` placeholders and in the
 * SQL both engines accept (ON CONFLICT, COALESCE, ||); the PostgreSQL side numbers the placeholders.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

export type SqlValue = string | number | null;
export type Dialect = 'sqlite' | 'postgres';

export interface SqlQueries {
  all<T>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** Runs a statement; answers the number of rows it changed. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlDatabase extends SqlQueries {
  readonly dialect: Dialect;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlQueries) => Promise<T>): Promise<T>;
  /**
   * Runs reads in `fn` outside any transaction, but never inside another caller's open one (on the one
   * SQLite connection it waits its turn like a transaction). A read-only BEGIN IMMEDIATE..COMMIT took a
   * write lock and two extra statements on every hook call.
   */
  read<T>(fn: (q: SqlQueries) => Promise<T>): Promise<T>;
  /** A cheap round trip: true when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Creates the SQLite file readable by its owner only (0600) before SQLite opens it; SQLite gives its
 * -wal and -shm files the permissions of the main file. Its folder is created 0700 when missing.
 */
export function createPrivateFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
}

export function openSqlite(file: string): SqlDatabase {
  if (file !== ':memory:') createPrivateFile(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // In WAL mode NORMAL syncs at checkpoints, not at every commit: a crash of the machine (not of the
  // process) may lose the last commits, never corrupt the file. Each hook call commits its issued
  // cards, and the per-commit fsync sat on the request path.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string): Database.Statement => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };
  const queries: SqlQueries = {
    all: async <T>(sql: string, params: SqlValue[] = []) => prepared(sql).all(...params) as T[],
    run: async (sql, params = []) => prepared(sql).run(...params).changes,
    exec: async (script) => {
      db.exec(script);
    },
  };
  // One connection: transactions are queued so two async callers never interleave inside BEGIN..COMMIT.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    dialect: 'sqlite',
    ...queries,
    transaction<T>(fn: (tx: SqlQueries) => Promise<T>): Promise<T> {
      const next = queue.then(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(queries);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      });
      queue = next.catch(() => undefined);
      return next;
    },
    read<T>(fn: (q: SqlQueries) => Promise<T>): Promise<T> {
      const next = queue.then(() => fn(queries));
      queue = next.catch(() => undefined);
      return next;
    },
    ping: async () => {
      if (!db.open) return false;
      try {
        db.prepare('SELECT 1').get();
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      await queue;
      if (db.open) db.close();
    },
  };
}

/** `?` placeholders -> `$1, $2, ...` (the statements here have no `?` inside literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** PostgreSQL BIGINT arrives as a string; the memory keeps epoch milliseconds, well inside 2^53. */
function toNumbers<T>(rows: Record<string, unknown>[]): T[] {
  for (const row of rows) for (const [k, v] of Object.entries(row)) if (typeof v === 'string' && /_ms$/.test(k)) row[k] = Number(v);
  return rows as T[];
}

function pgQueries(client: pg.Pool | pg.PoolClient): SqlQueries {
  return {
    all: async <T>(sql: string, params: SqlValue[] = []) => toNumbers<T>((await client.query(numbered(sql), params)).rows as Record<string, unknown>[]),
    run: async (sql, params = []) => (await client.query(numbered(sql), params)).rowCount ?? 0,
    exec: async (script) => {
      await client.query(script);
    },
  };
}

export interface PostgresOptions {
  connectionString: string;
  /** Connections per instance. */
  poolSize?: number;
  /** Statement timeout, ms: a stuck query fails instead of holding a request. */
  statementTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

export function openPostgres(options: PostgresOptions): SqlDatabase {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    statement_timeout: options.statementTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', (error) => options.onError?.(error));
  return {
    dialect: 'postgres',
    ...pgQueries(pool),
    async transaction<T>(fn: (tx: SqlQueries) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(pgQueries(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    read: (fn) => fn(pgQueries(pool)),
    ping: async () => {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    close: () => pool.end(),
  };
}
