/**
 * The episode store on PostgreSQL (DATABASE_URL), on a throwaway server: one cycle at a time across
 * instances (pg_try_advisory_xact_lock in a transaction held for the cycle), and the same episode / notification
 * behaviour as SQLite with two instances sharing the database.
 */
import { randomUUID } from 'node:crypto';
import { createCensus, type Census } from '../../src/census/index.js';
import { createPostgresEpisodeStore } from '../../src/census/sqlStore.js';
import { createLogger } from '../../src/server/logger.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwawayPostgres.js';
import { startFixtureFhir, startReceiver, testConfig, type FixtureFhir, type Receiver } from './helpers.js';

let pg: ThrowawayPostgres;
let fhir: FixtureFhir;
let receiver: Receiver;

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  fhir = await startFixtureFhir(['iechs-severe', 'iechs-no-crs']);
  receiver = await startReceiver();
}, 120_000);

afterAll(async () => {
  await receiver?.close();
  await fhir?.close();
  pg?.stop();
});

describe('PostgreSQL episode store', () => {
  it('only one instance holds the cycle lock at a time', async () => {
    const a = await createPostgresEpisodeStore(pg.url, randomUUID);
    const b = await createPostgresEpisodeStore(pg.url, randomUUID);
    try {
      const inner = await a.withCycleLock(async () => b.withCycleLock(async () => 'b ran inside a'));
      expect(inner).toEqual({ ran: true, value: { ran: false } });
      // Released: the other instance can run now.
      expect(await b.withCycleLock(async () => 'b')).toEqual({ ran: true, value: 'b' });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('two instances on one database: concurrent cycles run once, one notification per new picture, none when unchanged', async () => {
    const config = testConfig({ databaseUrl: pg.url, webhook: { url: receiver.url, include: 'no-patient-id', retries: 2, backoffMs: 10 } });
    const logger = createLogger({ level: 'silent' });
    const instances: Census[] = [await createCensus({ config, logger, fhirServer: fhir.base }), await createCensus({ config, logger, fhirServer: fhir.base })];
    try {
      expect(instances[0]?.store.kind).toBe('postgres');
      const reports = await Promise.all(instances.map((c) => c.runCycle()));
      expect(reports.filter((r) => r.ran)).toHaveLength(1);
      const ran = reports.find((r) => r.ran);
      expect(ran).toMatchObject({ discovered: 2, evaluated: 2, failed: 0, notificationsCreated: 1, delivery: { delivered: 1, failed: 0 } });
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.requests[0]?.body).toMatchObject({ type: 'hlh-like-picture-new', tier: 'critical' });
      expect(receiver.requests[0]?.body).not.toHaveProperty('patient');

      // Sequential cycles on either instance: state unchanged, nothing more is posted.
      for (const c of instances) expect(await c.runCycle()).toMatchObject({ ran: true, notificationsCreated: 0 });
      expect(receiver.requests).toHaveLength(1);
      const rows = await instances[1]?.store.listPatients();
      expect(rows?.map((r) => [r.entry.patientId, r.entry.tier, r.episode?.tier]).sort()).toEqual([
        ['iechs-no-crs', expect.stringMatching(/^(none|watch)$/), undefined],
        ['iechs-severe', 'critical', 'critical'],
      ]);
      expect(await instances[0]?.store.episodes()).toHaveLength(1);
    } finally {
      for (const c of instances) await c.stop();
    }
  }, 60_000);
});
