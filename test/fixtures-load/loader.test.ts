/**
 * The fixture loader and the smoke run, exercised against the embedded FHIR server on loopback
 * (the same code path smoke:hapi and fixtures:load take against HAPI).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Bundle, Observation } from 'fhir/r4';
import type { Manifest } from '../../src/fixtures/manifest.js';
import { checkFhirBase, countResources, FhirServerError, loadScenariosInto, postTransaction, searchAll } from '../../src/fixtures/fhirHttp.js';
import { loadScenarios, readManifest } from '../../src/fixtures/scenarios.js';
import { runSmoke } from '../../src/fixtures/smoke.js';
import { createApp, createLogger } from '../../src/server/index.js';
import type { Engine } from '../../src/server/index.js';
import { defaultConfig } from '../../src/config/defaults.js';
import { startEmbeddedFhir } from '../embedded-fhir/httpHarness.js';
import type { RunningFhir } from '../embedded-fhir/httpHarness.js';

const ANCHOR = '2025-01-15T12:00:00Z';
const NOW = new Date('2026-03-10T12:00:00Z'); // 419 days later
const DAYS = 419;

/** A scenario bundle written as a POST batch with urn:uuid references (converted by the loader). */
function scenarioBundle(patientId: string, ferritin: number[]): Bundle {
  const patientUrl = `urn:uuid:00000000-0000-4000-8000-${patientId.padStart(12, '0')}`;
  return {
    resourceType: 'Bundle',
    type: 'batch',
    entry: [
      { fullUrl: patientUrl, resource: { resourceType: 'Patient', id: patientId, birthDate: '1970-03-01', name: [{ family: 'Fixture', given: ['Test'] }] }, request: { method: 'POST', url: 'Patient' } },
      {
        resource: { resourceType: 'Procedure', id: `${patientId}-cart`, status: 'completed', code: { text: 'CAR-T infusion' }, subject: { reference: patientUrl }, performedDateTime: '2025-01-03T10:00:00Z' },
        request: { method: 'POST', url: 'Procedure' },
      },
      ...ferritin.map((value, i) => ({
        resource: {
          resourceType: 'Observation' as const,
          id: `${patientId}-ferritin-${i}`,
          status: 'final' as const,
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
          code: { coding: [{ system: 'http://loinc.org', code: '2276-4' }] },
          subject: { reference: patientUrl },
          effectiveDateTime: `2025-01-${String(4 + i).padStart(2, '0')}T06:00:00Z`,
          valueQuantity: { value, unit: 'ng/mL', system: 'http://unitsofmeasure.org', code: 'ng/mL' },
        },
        request: { method: 'POST' as const, url: 'Observation' },
      })),
    ],
  };
}

const manifest: Manifest = {
  anchor: ANCHOR,
  scenarios: [
    { id: 'rising', patientId: 'fx-rising', file: 'rising.json', description: 'ferritin climbing after CAR-T', expect: { 'iec-hs-surveillance': { indicators: ['warning'], iecHs: true }, 'iec-hs-order-select': [] } },
    { id: 'quiet', patientId: 'fx-quiet', file: 'quiet.json', description: 'uneventful course', expect: { 'iec-hs-surveillance': { indicators: [], iecHs: false }, 'iec-hs-order-select': [] } },
  ],
};

let dir: string;
let srv: RunningFhir;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fixtures-load-'));
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  await writeFile(path.join(dir, 'rising.json'), JSON.stringify(scenarioBundle('fx-rising', [800, 4_000, 15_000, 32_000])));
  await writeFile(path.join(dir, 'quiet.json'), JSON.stringify(scenarioBundle('fx-quiet', [300, 280])));
  srv = await startEmbeddedFhir();
});
afterAll(async () => {
  await srv.close();
  await rm(dir, { recursive: true, force: true });
});

test('loadScenarios shifts each bundle by (now - anchor) and turns it into a PUT transaction', async () => {
  const { scenarios, shift } = await loadScenarios(dir, NOW);
  expect(shift).toEqual({ deltaMs: DAYS * 86_400_000, days: DAYS });
  const rising = scenarios.find((s) => s.scenario.id === 'rising')?.bundle;
  expect(rising?.type).toBe('transaction');
  expect(rising?.entry?.every((e) => e.request?.method === 'PUT')).toBe(true);
  const proc = rising?.entry?.[1]?.resource as any;
  expect(proc.performedDateTime).toBe('2026-02-26T10:00:00Z'); // day 0 = 12 days before "now", as at the anchor
  expect(proc.subject.reference).toBe('Patient/fx-rising');
  expect((rising?.entry?.[0]?.resource as any).birthDate).toBe('1971-04-24');
});

test('loading twice is idempotent: the same resource counts after each run', async () => {
  const base = checkFhirBase(srv.base);
  const { scenarios } = await loadScenarios(dir, NOW);
  const countAll = async () =>
    Object.fromEntries(await Promise.all(['Patient', 'Procedure', 'Observation'].map(async (t) => [t, await countResources(base, t)] as const)));

  const first = await loadScenariosInto(base, scenarios);
  const afterFirst = await countAll();
  const second = await loadScenariosInto(base, scenarios);
  const afterSecond = await countAll();

  expect(first.map((r) => [r.id, r.summary.byType])).toEqual([
    ['rising', { Patient: 1, Procedure: 1, Observation: 4 }],
    ['quiet', { Patient: 1, Procedure: 1, Observation: 2 }],
  ]);
  expect(second.map((r) => r.summary.byType)).toEqual(first.map((r) => r.summary.byType));
  expect(afterFirst).toEqual({ Patient: 2, Procedure: 2, Observation: 6 });
  expect(afterSecond).toEqual(afterFirst);
});

test('a server error fails with the OperationOutcome text', async () => {
  const base = checkFhirBase(srv.base);
  const notATransaction: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', id: 'x' } }] };
  const err = await postTransaction(base, notATransaction).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(FhirServerError);
  expect((err as FhirServerError).status).toBe(400);
  expect((err as Error).message).toMatch(/HTTP 400 .*Unrecognized bundle type: collection/);
});

test('loadScenariosInto names the failing scenario', async () => {
  const base = checkFhirBase(srv.base);
  const { scenarios } = await loadScenarios(dir, NOW);
  const broken = [{ ...scenarios[0]!, bundle: { ...scenarios[0]!.bundle, type: 'collection' as const } }];
  await expect(loadScenariosInto(base, broken)).rejects.toThrow(/^scenario rising \(rising\.json\): FHIR server answered HTTP 400/);
});

describe('checkFhirBase', () => {
  test.each([
    ['http://127.0.0.1:8080/fhir/', false, 'http://127.0.0.1:8080/fhir'],
    ['http://localhost:8080/fhir', false, 'http://localhost:8080/fhir'],
    ['http://[::1]:8080/fhir', false, 'http://[::1]:8080/fhir'],
    ['https://hapi.example.org/fhir', false, 'https://hapi.example.org/fhir'],
    ['http://hapi:8080/fhir', true, 'http://hapi:8080/fhir'],
  ])('%s (allow insecure: %s) -> %s', (input, insecure, expected) => {
    expect(checkFhirBase(input, insecure).href).toBe(expected);
  });
  test.each([
    ['http://hapi:8080/fhir', /non-loopback/],
    ['https://user:pw@hapi.example.org/fhir', /credentials/],
    ['ftp://127.0.0.1/fhir', /scheme/],
    ['not a url', /Not a URL/],
  ])('%s is refused', (input, message) => {
    expect(() => checkFhirBase(input)).toThrow(message);
  });
});

test('searchAll follows next links page by page, and refuses a next link to another origin', async () => {
  const big = await startEmbeddedFhir({ defaultPageSize: 3 });
  try {
    const { scenarios } = await loadScenarios(dir, NOW);
    await loadScenariosInto(checkFhirBase(big.base), scenarios);
    const all = (await searchAll(checkFhirBase(big.base), 'Observation?patient=fx-rising')) as Observation[];
    expect(all.map((o) => o.id).sort()).toEqual([0, 1, 2, 3].map((i) => `fx-rising-ferritin-${i}`));
  } finally {
    await big.close();
  }
  // A server whose next link points elsewhere: the link is refused before anything is sent there.
  const app = express();
  app.get('/fhir/Observation', (_req, res) => {
    res.json({ resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: 'http://other.invalid/fhir/Observation?page=2' }] });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const base = checkFhirBase(`http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`);
    await expect(searchAll(base, 'Observation')).rejects.toThrow(/another origin: http:\/\/other\.invalid/);
  } finally {
    server.close();
  }
});

test('readManifest rejects a file name that leaves the fixtures folder', async () => {
  const bad = await mkdtemp(path.join(tmpdir(), 'fixtures-bad-'));
  try {
    await writeFile(path.join(bad, 'manifest.json'), JSON.stringify({ anchor: ANCHOR, scenarios: [{ ...manifest.scenarios[0], file: '../x.json' }] }));
    await expect(readManifest(bad)).rejects.toThrow(/file name inside/);
  } finally {
    await rm(bad, { recursive: true, force: true });
  }
});

describe('smoke run (the smoke:hapi code path) against the embedded server', () => {
  /**
   * The CDS app is real (HTTP, FHIR queries through fhirServer with no prefetch); only the clinical
   * engine is pinned, so the check does not depend on criteria still being written: it warns when
   * the ferritin values it was given over FHIR exceed 10,000 ng/mL.
   */
  const ferritinEngine: Engine = (input) => {
    const values = input.data.observations.map((o) => o.valueQuantity?.value ?? 0);
    return input.hook === 'patient-view' && values.some((v) => v > 10_000)
      ? [{ summary: `IEC-HS picture: ferritin ${Math.max(...values)} ng/mL`, indicator: 'warning', source: { label: 'test engine' } }]
      : [];
  };

  async function startService(engine: Engine) {
    const config = defaultConfig('test');
    config.auth.required = false;
    config.fhir.allowInsecureLoopback = true;
    const app = createApp({ config, logger: createLogger({ level: 'silent' }), fetch, engine });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cds-services`, close: () => server.close() };
  }

  test('every scenario matches its expectation when the service sees the data', async () => {
    const service = await startService(ferritinEngine);
    try {
      const lines: string[] = [];
      const result = await runSmoke({ fhirBase: checkFhirBase(srv.base), fixturesDir: dir, now: NOW, discoveryUrl: service.url, log: (l) => lines.push(l) });
      expect(result.checks.map((c) => [c.scenario, c.step, c.problems])).toEqual([
        ['rising', 'load', []],
        ['rising', 'iec-hs-surveillance', []],
        ['quiet', 'load', []],
        ['quiet', 'iec-hs-surveillance', []],
      ]);
      expect(result.ok).toBe(true);
      expect(lines[0]).toMatch(/^Loading 2 scenarios into http:\/\/127\.0\.0\.1:\d+\/fhir \(dates shifted by 419 days\)/);
    } finally {
      service.close();
    }
  });

  test('a service that answers wrongly is reported per scenario, not hidden', async () => {
    const service = await startService(() => []);
    try {
      const result = await runSmoke({ fhirBase: checkFhirBase(srv.base), fixturesDir: dir, now: NOW, discoveryUrl: service.url });
      expect(result.ok).toBe(false);
      const rising = result.checks.find((c) => c.scenario === 'rising' && c.step === 'iec-hs-surveillance');
      expect(rising?.problems).toEqual(['indicators: expected [warning], got []', 'IEC-HS warning/critical card: expected present, got absent']);
    } finally {
      service.close();
    }
  });
});

// The real fixtures of the repository (fhir-fixtures/manifest.json is committed).
const realFixtures = path.resolve('fhir-fixtures');
test('every fhir-fixtures scenario loads and its patient is found by a bare-id search', async () => {
  const fresh = await startEmbeddedFhir();
  try {
    const { scenarios } = await loadScenarios(realFixtures, new Date());
    const base = checkFhirBase(fresh.base);
    await loadScenariosInto(base, scenarios);
    for (const { scenario, bundle } of scenarios) {
      const inBundle = (bundle.entry ?? []).filter((e) => e.resource?.resourceType === 'Observation' && e.resource.subject?.reference === `Patient/${scenario.patientId}`).length;
      expect([scenario.id, await countResources(base, `Observation?patient=${scenario.patientId}`)]).toEqual([scenario.id, inBundle]);
    }
  } finally {
    await fresh.close();
  }
});
