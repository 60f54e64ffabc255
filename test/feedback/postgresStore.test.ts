/**
 * The card-memory contract on a throwaway PostgreSQL (initdb in a temporary folder, loopback only), one
 * fresh database per test; plus concurrent start-up migrations. PostgreSQL must be installed (.ci/run
 * installs it): without it this suite fails rather than skipping.
 */
import pg from 'pg';
import { migrate, SCHEMA_VERSION } from '../../src/feedback/migrations.js';
import { openPostgres } from '../../src/feedback/sql.js';
import { openStore } from '../../src/feedback/store.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwawayPostgres.js';
import { describeCardMemoryContract } from './contract.js';

let server: ThrowawayPostgres;
let counter = 0;

beforeAll(async () => {
  server = await startThrowawayPostgres();
}, 60_000);
afterAll(() => server?.stop());

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function freshDatabase(): Promise<{ name: string; url: string }> {
  const name = `contract_${process.pid}_${++counter}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return { name, url: server.url.replace(/\/postgres$/, `/${name}`) };
}

describeCardMemoryContract({
  name: 'PostgreSQL',
  async fresh() {
    const { name, url } = await freshDatabase();
    return {
      open: (options) => openStore({ databaseUrl: url, dbPath: ':memory:', poolSize: 3 }, options),
      async dump() {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const tables = (await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows;
          const parts: string[] = [];
          for (const { tablename } of tables) parts.push(JSON.stringify((await client.query(`SELECT * FROM ${tablename}`)).rows));
          return parts.join('\n');
        } finally {
          await client.end();
        }
      },
      dispose: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
    };
  },
});

test('instances migrating at the same time apply each migration exactly once', async () => {
  const { url } = await freshDatabase();
  const dbs = [0, 1, 2, 3].map(() => openPostgres({ connectionString: url, poolSize: 1 }));
  try {
    const applied = await Promise.all(dbs.map((db) => migrate(db)));
    expect(applied.flat().sort()).toEqual([...Array(SCHEMA_VERSION).keys()].map((i) => i + 1));
    const [first] = dbs;
    expect((await first?.all<{ n: number }>('SELECT COUNT(*)::int AS n FROM schema_migrations'))?.[0]?.n).toBe(SCHEMA_VERSION);
  } finally {
    await Promise.all(dbs.map((db) => db.close()));
  }
});

test('`npm run migrate` (the migrate command) applies the migrations once, then reports up to date', async () => {
  const { runMigrateCli } = await import('../../src/cli/migrate.js');
  const { url } = await freshDatabase();
  const lines: string[] = [];
  expect(await runMigrateCli({ DATABASE_URL: url }, (t) => lines.push(t))).toBe(0);
  expect(await runMigrateCli({ DATABASE_URL: url }, (t) => lines.push(t))).toBe(0);
  expect(lines).toEqual([
    `PostgreSQL (DATABASE_URL): applied migrations ${[...Array(SCHEMA_VERSION).keys()].map((i) => i + 1).join(', ')}; schema version ${SCHEMA_VERSION}\n`,
    `PostgreSQL (DATABASE_URL): up to date at schema version ${SCHEMA_VERSION}\n`,
  ]);
  // The connection string (with any password) is never printed.
  expect(lines.join('')).not.toContain(url);
});
