/**
 * Notifications over real HTTP: census cycles against the embedded FHIR server, a loopback webhook
 * receiver. A patient whose labs worsen between two cycles produces exactly one notification; an
 * unchanged patient produces none; a receiver that fails twice then succeeds gets it exactly once.
 */
import { createCensus, type Census } from '../../src/census/index.js';
import { createLogger } from '../../src/server/logger.js';
import { startFixtureFhir, startReceiver, testConfig, type FixtureFhir, type Receiver } from './helpers.js';

const WORSENING = 'iechs-classic';
const UNCHANGED = 'iechs-crs-resolved';

let fhir: FixtureFhir;
let receiver: Receiver;
let census: Census;

beforeAll(async () => {
  // The classic patient's labs after day 1 (CRS, then the rise that makes the picture) arrive after cycle 1.
  fhir = await startFixtureFhir([WORSENING, UNCHANGED], { patientId: WORSENING, lastHours: 264 });
  receiver = await startReceiver();
  const config = testConfig({ webhook: { url: receiver.url, include: 'patient-id', retries: 3, backoffMs: 20 } });
  census = await createCensus({ config, logger: createLogger({ level: 'silent' }), fhirServer: fhir.base });
}, 60_000);

afterAll(async () => {
  await census?.stop();
  await receiver?.close();
  await fhir?.close();
});

async function tiers(): Promise<Record<string, string>> {
  return Object.fromEntries((await census.store.listPatients()).map((r) => [r.entry.patientId, r.entry.tier]));
}

describe('census notifications', () => {
  it('cycle 1: neither patient meets the picture yet, nothing is posted', async () => {
    const report = await census.runCycle();
    expect(report).toMatchObject({ ran: true, discovered: 2, evaluated: 2, failed: 0, notificationsCreated: 0 });
    const t = await tiers();
    expect(['none', 'watch']).toContain(t[WORSENING]);
    expect(['none', 'watch']).toContain(t[UNCHANGED]);
    expect(receiver.requests).toHaveLength(0);
  });

  it('labs worsen, receiver fails twice: exactly one notification, delivered exactly once', async () => {
    await fhir.releaseHeldBack();
    receiver.failNext(2);
    const report = await census.runCycle();
    expect(report.notificationsCreated).toBe(1);
    expect(report.delivery).toEqual({ delivered: 1, failed: 0 });
    expect((await tiers())[WORSENING]).toBe('warning');

    // Three attempts, one notification id, answered 2xx once.
    expect(receiver.requests.map((r) => r.answered)).toEqual([500, 500, 202]);
    const ids = new Set(receiver.requests.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect([...receiver.delivered().values()]).toEqual([1]);
    const [first] = receiver.requests;
    expect(first?.idempotencyKey).toBe(first?.body.id);
    expect(first?.body).toMatchObject({ type: 'hlh-like-picture-new', tier: 'warning', patient: `Patient/${WORSENING}` });
    // No names or values leave in the webhook body.
    expect(JSON.stringify(first?.body)).not.toMatch(/name|ferritin|ng\/mL/i);
  });

  it('unchanged state on the next cycles: no notification at all', async () => {
    const before = receiver.requests.length;
    for (let i = 0; i < 2; i++) {
      const report = await census.runCycle();
      expect(report.notificationsCreated).toBe(0);
      expect(report.delivery).toEqual({ delivered: 0, failed: 0 });
    }
    expect(receiver.requests).toHaveLength(before);
    expect(receiver.requests.some((r) => String(r.body.patient) === `Patient/${UNCHANGED}`)).toBe(false);
  });

  it('records the episode: met once, not resolved', async () => {
    const episodes = await census.store.episodes();
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ patientId: WORSENING, maxTier: 'warning' });
    expect(episodes[0]?.resolvedAt).toBeUndefined();
  });
});
