/**
 * End to end, over real HTTP, with the real pipeline (features -> criteria -> cards) and the embedded
 * FHIR server loaded with every scenario of fhir-fixtures/manifest.json. Each scenario runs twice:
 *  (a) prefetch path: the test acts as the CDS client, runs the discovery templates against the
 *      embedded server and POSTs the results as prefetch (the service must not query FHIR then);
 *  (b) FHIR query path: fhirServer = the embedded /fhir, no prefetch; the service fetches through the
 *      production transport (security guard), with the embedded server listed in openServers.
 * Both answers must match the manifest expectation, validate against the response schema, and equal
 * each other (card uuids aside).
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { RequestHandler } from 'express';
import type { FhirResource } from 'fhir/r4';
import type { CdsResponse } from '../../src/cards/cdsHooks.js';
import { defaultConfig } from '../../src/config/defaults.js';
import { createEmbeddedFhir } from '../../src/embedded-fhir/index.js';
import { clientPrefetch } from '../../src/fixtures/clientPrefetch.js';
import { compareWithExpectation } from '../../src/fixtures/expectations.js';
import type { Manifest, ServiceExpectation } from '../../src/fixtures/manifest.js';
import { readManifest, loadScenarios } from '../../src/fixtures/scenarios.js';
import { substituteTemplate } from '../../src/fhir/templates.js';
import { createApp } from '../../src/server/app.js';
import { projectRoot } from '../../src/hooks/index.js';
import { createLogger } from '../../src/server/logger.js';
import { checkCdsResponse } from '../../src/server/schemas/response.js';

const FIXTURES = path.join(projectRoot(), 'fhir-fixtures');
const USER = 'Practitioner/e2e-clinician';

let server: Server;
let base: string;
let fhirBase: string;
let discovery: { services: { id: string; hook: string; prefetch?: Record<string, string> }[] };
/** FHIR requests seen by the embedded server (path + query), to prove the prefetch path needs none. */
const fhirRequests: string[] = [];

// The manifest is read synchronously at collection time so every scenario becomes its own test.
const manifest: Manifest = await readManifest(FIXTURES);

/**
 * The service clock is pinned: data are shifted by whole days (so site-local times of day survive the
 * shift) and each scenario is evaluated at its own hour (manifest nowOffsetHours, e.g. the evening at
 * a UTC-5 site), exactly as written.
 */
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const anchorMs = Date.parse(manifest.anchor);
const loadMs = anchorMs + Math.floor((Date.now() - anchorMs) / DAY_MS) * DAY_MS;
let nowMs = loadMs;

beforeAll(async () => {
  const embedded = await createEmbeddedFhir();
  const loaded = await loadScenarios(FIXTURES, new Date(loadMs));
  for (const { bundle } of loaded.scenarios) await embedded.loadBundle(bundle);

  const config = defaultConfig('test');
  const recorder: RequestHandler = (req, _res, next) => {
    fhirRequests.push(req.url);
    next();
  };
  const app = createApp({
    config,
    logger: createLogger({ level: 'silent' }),
    now: () => new Date(nowMs),
    routers: [
      { path: '/fhir', handler: recorder },
      { path: '/fhir', handler: embedded.router },
    ],
  });
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fhirBase = `${base}/fhir`;
  // Demo/test only: the embedded server is an open FHIR server (no issuer binding).
  config.fhir.openServers = [fhirBase];
  discovery = (await (await fetch(`${base}/cds-services`)).json()) as typeof discovery;
}, 60_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The prefetch a CDS client builds from the service's discovery templates against the embedded server. */
const prefetchCache = new Map<string, Promise<Record<string, FhirResource | null>>>();

async function discoveryPrefetch(serviceId: string, context: Record<string, unknown>): Promise<Record<string, FhirResource | null>> {
  const service = discovery.services.find((s) => s.id === serviceId);
  if (!service) throw new Error(`service ${serviceId} not in discovery`);
  const templates = service.prefetch ?? {};
  // The FHIR data do not change during the suite, so the same resolved queries give the same prefetch:
  // the order-select cases of a patient reuse what patient-view fetched instead of searching again.
  const key = JSON.stringify(Object.entries(templates).map(([k, t]) => [k, substituteTemplate(t, context) ?? null]));
  let prefetch = prefetchCache.get(key);
  if (!prefetch) {
    prefetch = clientPrefetch(fhirBase, templates, context);
    prefetchCache.set(key, prefetch);
  }
  return prefetch;
}

async function call(serviceId: string, body: Record<string, unknown>): Promise<{ status: number; body: CdsResponse }> {
  const res = await fetch(`${base}/cds-services/${serviceId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as CdsResponse };
}

/** Cards without their uuids (which may be minted per call), sorted, for path-to-path comparison. */
function comparable(response: CdsResponse): string[] {
  const strip = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(strip) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'uuid').map(([k, x]) => [k, strip(x)])) : v;
  return response.cards.map((c) => JSON.stringify(strip(c))).sort();
}

function expectMatches(response: { status: number; body: CdsResponse }, expectation: ServiceExpectation): void {
  expect(response.status).toBe(200);
  expect(checkCdsResponse(response.body)).toEqual([]);
  expect(compareWithExpectation(response.body, expectation)).toEqual([]);
}

async function bothPaths(serviceId: string, hook: string, context: Record<string, unknown>, expectation: ServiceExpectation): Promise<void> {
  const prefetch = await discoveryPrefetch(serviceId, context);
  const before = fhirRequests.length;
  const viaPrefetch = await call(serviceId, { hook, hookInstance: randomUUID(), fhirServer: fhirBase, context, prefetch });
  expect(fhirRequests.slice(before)).toEqual([]);
  const viaQuery = await call(serviceId, { hook, hookInstance: randomUUID(), fhirServer: fhirBase, context });
  expect(fhirRequests.length).toBeGreaterThan(before);
  // Protocol first (both paths see the same data), then the clinical expectation.
  expect(comparable(viaQuery.body)).toEqual(comparable(viaPrefetch.body));
  expectMatches(viaPrefetch, expectation);
  expectMatches(viaQuery, expectation);
}

describe.each(manifest.scenarios.map((s) => [s.id, s] as const))('scenario %s', (_id, scenario) => {
  beforeEach(() => {
    nowMs = loadMs + (scenario.nowOffsetHours ?? 0) * HOUR_MS;
  });

  test('iec-hs-surveillance (patient-view): prefetch path and FHIR query path', async () => {
    await bothPaths('iec-hs-surveillance', 'patient-view', { patientId: scenario.patientId, userId: USER }, scenario.expect['iec-hs-surveillance']);
  });

  const cases = scenario.expect['iec-hs-order-select'];
  if (cases.length > 0) {
    test.each(cases.map((c) => [c.name, c] as const))('iec-hs-order-select (order-select): %s', async (_name, c) => {
      await bothPaths('iec-hs-order-select', 'order-select', { patientId: scenario.patientId, userId: USER, selections: c.selections, draftOrders: c.draftOrders }, c.expect);
    });
  }
});

test('the manifest has scenarios (an empty fixture set would make this suite vacuous)', () => {
  expect(manifest.scenarios.length).toBeGreaterThan(0);
});
