/**
 * FHIR Communication write-back over real HTTP against the embedded FHIR server: a patient whose labs
 * worsen between two cycles gets exactly one Communication (subject = the patient, identifier = the
 * notification id); an unchanged patient gets none; a FHIR server that refuses the write does not
 * break the cycle or the webhook, the write is retried on the next cycle (conditional create, so
 * exactly one Communication in the end), and the log carries no patient data.
 */
import type { Bundle, Communication } from 'fhir/r4';
import type { RequestHandler } from 'express';
import { createCensus, type Census } from '../../src/census/index.js';
import { createLogger } from '../../src/server/logger.js';
import { startFixtureFhir, startReceiver, testConfig, type FixtureFhir, type Receiver } from './helpers.js';

const WORSENING = 'iechs-classic';
const UNCHANGED = 'iechs-crs-resolved';

let fhir: FixtureFhir;
let receiver: Receiver;
let census: Census;
const logLines: string[] = [];
/** POST /Communication answered 503 by the server while > 0. */
let refuseWrites = 0;
const writeAttempts: { ifNoneExist: string | undefined }[] = [];

const intercept: RequestHandler = (req, res, next) => {
  if (req.method === 'POST' && req.path === '/Communication') {
    const h = req.headers['if-none-exist'];
    writeAttempts.push({ ifNoneExist: typeof h === 'string' ? h : undefined });
    if (refuseWrites > 0) {
      refuseWrites--;
      res.status(503).type('application/fhir+json').send(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] }));
      return;
    }
  }
  next();
};

async function communications(): Promise<Communication[]> {
  const res = await fetch(`${fhir.base}/Communication?_count=100`);
  const bundle = (await res.json()) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as Communication);
}

beforeAll(async () => {
  fhir = await startFixtureFhir([WORSENING, UNCHANGED], { patientId: WORSENING, lastHours: 264 }, intercept);
  receiver = await startReceiver();
  const config = testConfig({
    webhook: { url: receiver.url, include: 'no-patient-id', retries: 1, backoffMs: 10 },
    communication: { include: 'tier', retries: 1, backoffMs: 10 },
  });
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logLines.push(line) } });
  census = await createCensus({ config, logger, fhirServer: fhir.base });
}, 60_000);

afterAll(async () => {
  await census?.stop();
  await receiver?.close();
  await fhir?.close();
});

describe('census FHIR Communication', () => {
  it('cycle 1: nothing met, no Communication written', async () => {
    const report = await census.runCycle();
    expect(report).toMatchObject({ ran: true, evaluated: 2, failed: 0, notificationsCreated: 0, communications: { written: 0, failed: 0 } });
    expect(writeAttempts).toHaveLength(0);
    expect(await communications()).toHaveLength(0);
  });

  it('labs worsen while the FHIR server refuses writes: the cycle and the webhook still succeed, the write waits', async () => {
    await fhir.releaseHeldBack();
    refuseWrites = 2; // both attempts of this cycle (retries: 1)
    const report = await census.runCycle();
    expect(report).toMatchObject({ failed: 0, notificationsCreated: 1, delivery: { delivered: 1, failed: 0 }, communications: { written: 0, failed: 1 } });
    expect(receiver.requests).toHaveLength(1);
    expect(writeAttempts).toHaveLength(2);
    expect(await communications()).toHaveLength(0);

    // Logged with the notification id and status only: no patient id, name or value.
    const warnings = logLines.filter((l) => l.includes('Communication write refused'));
    expect(warnings).toHaveLength(2);
    for (const line of warnings) {
      expect(line).toContain('"status":503');
      expect(line).not.toContain(WORSENING);
      expect(line).not.toMatch(/ferritin|ng\/mL|Patient\//i);
    }
  });

  it('next cycle: the state is unchanged, the pending write goes through, exactly one Communication', async () => {
    const report = await census.runCycle();
    expect(report).toMatchObject({ notificationsCreated: 0, delivery: { delivered: 0, failed: 0 }, communications: { written: 1, failed: 0 } });
    const written = await communications();
    expect(written).toHaveLength(1);
    const [c] = written;
    const notificationId = String(receiver.requests[0]?.body.id);
    expect(c).toMatchObject({
      status: 'completed',
      subject: { reference: `Patient/${WORSENING}` },
      identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${notificationId}` }],
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/communication-category', code: 'alert' }] }],
      priority: 'urgent',
    });
    const text = c?.payload?.[0]?.contentString ?? '';
    expect(text).toMatch(/newly meets the HLH-like picture.*tier warning/);
    // include: 'tier' -> no values in the text.
    expect(text).not.toMatch(/ferritin|ng\/mL|Latest:/i);
    // Every attempt was a conditional create on the notification id.
    expect(new Set(writeAttempts.map((a) => a.ifNoneExist))).toEqual(new Set([`identifier=${encodeURIComponent(`urn:ietf:rfc:3986|urn:uuid:${notificationId}`)}`]));
  });

  it('a repeated write of the same notification finds the first Communication (conditional create)', async () => {
    const [c] = await communications();
    const identifier = c?.identifier?.[0];
    const res = await fetch(`${fhir.base}/Communication`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json', 'if-none-exist': `identifier=${encodeURIComponent(`${identifier?.system ?? ''}|${identifier?.value ?? ''}`)}` },
      body: JSON.stringify({ ...c, id: undefined, meta: undefined }),
    });
    expect(res.status).toBe(200);
    expect(await communications()).toHaveLength(1);
  });

  it('unchanged state on further cycles: no write at all, still one Communication, none for the unchanged patient', async () => {
    const before = writeAttempts.length;
    for (let i = 0; i < 2; i++) expect(await census.runCycle()).toMatchObject({ notificationsCreated: 0, communications: { written: 0, failed: 0 } });
    expect(writeAttempts).toHaveLength(before);
    const written = await communications();
    expect(written).toHaveLength(1);
    expect(written.some((c) => c.subject?.reference === `Patient/${UNCHANGED}`)).toBe(false);
  });
});
