import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { createDemoRouter } from '../../src/demo/index.js';
import type { OrderCatalogItem } from '../../src/demo/index.js';
import type { PatientTimeline } from '../../src/features/types.js';
import type { Manifest } from '../../src/fixtures/manifest.js';

const TIMELINE: PatientTimeline = {
  patientId: 'iec-classic',
  sex: 'female',
  now: '2025-01-15T12:00:00Z',
  nowEpochMs: Date.parse('2025-01-15T12:00:00Z'),
  infusions: [],
  labs: {},
  crsEpisodes: [],
  diagnoses: [],
  treatments: [],
  issues: [],
};

function fixtureDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-router-'));
  const expectNone = { indicators: [], iecHs: false };
  const manifest: Manifest = {
    anchor: '2025-01-15T12:00:00Z',
    scenarios: [
      { id: 'classic', patientId: 'iec-classic', file: 'classic.json', description: 'Classic IEC-HS on day 10', expect: { 'iec-hs-surveillance': expectNone, 'iec-hs-order-select': [] } },
      { id: 'classic-again', patientId: 'iec-classic', file: 'classic.json', description: 'Same patient, second scenario', expect: { 'iec-hs-surveillance': expectNone, 'iec-hs-order-select': [] } },
      { id: 'no-bundle', patientId: 'lost-1', file: 'missing.json', description: 'Bundle file absent', expect: { 'iec-hs-surveillance': expectNone, 'iec-hs-order-select': [] } },
    ],
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  fs.writeFileSync(
    path.join(dir, 'classic.json'),
    JSON.stringify({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ resource: { resourceType: 'Patient', id: 'iec-classic', name: [{ given: ['Ada', 'M.'], family: 'Synthetic' }] } }],
    }),
  );
  return dir;
}

function app(timelineFor: (id: string) => Promise<PatientTimeline | undefined>, manifestPath = path.join(fixtureDir(), 'manifest.json')) {
  const a = express();
  a.use(createDemoRouter({ manifestPath, timelineFor }));
  return a;
}

const knownOnly = async (id: string) => (id === 'iec-classic' ? TIMELINE : undefined);

describe('demo router: patients', () => {
  it('lists each manifest patient once, named from its bundle, by id when the bundle is missing', async () => {
    const res = await request(app(knownOnly)).get('/demo/api/patients').expect(200);
    expect(res.body).toEqual([
      { id: 'iec-classic', name: 'Ada M. Synthetic', description: 'Classic IEC-HS on day 10', scenario: 'classic' },
      { id: 'lost-1', name: 'lost-1', description: 'Bundle file absent', scenario: 'no-bundle' },
    ]);
  });

  it('answers 503 with an OperationOutcome while the manifest does not exist', async () => {
    const res = await request(app(knownOnly, '/nonexistent/manifest.json')).get('/demo/api/patients').expect(503);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });
});

describe('demo router: timeline', () => {
  it('returns the timeline JSON of a known patient', async () => {
    const res = await request(app(knownOnly)).get('/demo/api/timeline/iec-classic').expect(200);
    expect(res.body).toEqual(TIMELINE);
  });

  it.each([
    ['unknown patient', '/demo/api/timeline/nobody', 404],
    ['id with characters FHIR ids cannot hold', '/demo/api/timeline/a%20b', 400],
    ['id longer than 64 characters', `/demo/api/timeline/${'a'.repeat(65)}`, 400],
  ])('%s (%s) -> %i with an OperationOutcome', async (_name, url, status) => {
    const res = await request(app(knownOnly)).get(url).expect(status);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('a failing timeline source gives 502 without the error text', async () => {
    const res = await request(app(async () => { throw new Error('ECONNREFUSED 127.0.0.1:9 secret'); })).get('/demo/api/timeline/iec-classic').expect(502);
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });
});

describe('demo router: order catalog', () => {
  it('offers the IEC-HS labs as draft ServiceRequests and the drugs as draft MedicationRequests, coded', async () => {
    const res = await request(app(knownOnly)).get('/demo/api/order-catalog').expect(200);
    const items = res.body.items as OrderCatalogItem[];
    const byKey = new Map(items.map((i) => [i.key, i]));
    // LOINC / RxNorm per docs/terminology.md#lab-codes, docs/terminology.md#treatments.
    for (const [key, system, code] of [
      ['ferritin', 'http://loinc.org', '2276-4'],
      ['fibrinogen', 'http://loinc.org', '3255-7'],
      ['triglycerides', 'http://loinc.org', '2571-8'],
      ['tocilizumab', 'http://www.nlm.nih.gov/research/umls/rxnorm', '612865'],
      ['dexamethasone', 'http://www.nlm.nih.gov/research/umls/rxnorm', '3264'],
      ['anakinra', 'http://www.nlm.nih.gov/research/umls/rxnorm', '72435'],
    ] as const) {
      const resource = byKey.get(key)?.resource;
      expect(resource?.status).toBe('draft');
      const coding = resource?.resourceType === 'ServiceRequest' ? resource.code?.coding?.[0] : resource?.medicationCodeableConcept?.coding?.[0];
      expect({ key, system: coding?.system, code: coding?.code }).toEqual({ key, system, code });
    }
    expect(new Set(items.map((i) => i.resource.id)).size).toBe(items.length);
  });
});

describe('demo router: static page and vendor files', () => {
  it('serves the page at /', async () => {
    const res = await request(app(knownOnly)).get('/').expect(200);
    expect(res.text).toContain('<script type="module" src="js/app.js">');
  });

  it('serves the timeline page that cards link to: it launches the SMART app, and draws no chart of its own', async () => {
    const res = await request(app(knownOnly)).get('/timeline.html').expect(200);
    expect(res.text).toContain('<script type="module" src="js/timeline-page.js">');
    expect(res.text).not.toContain('vendor/chart');
  });

  it.each(['chart.umd.js', 'chartjs-plugin-annotation.min.js'])('no longer serves /vendor/%s (the SMART app bundles Chart.js)', async (file) => {
    await request(app(knownOnly)).get(`/vendor/${file}`).expect(404);
  });

  it.each(['marked.esm.js', 'purify.es.mjs'])('serves /vendor/%s as JavaScript', async (file) => {
    const res = await request(app(knownOnly)).get(`/vendor/${file}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.text.length).toBeGreaterThan(1000);
  });

  it.each(['../package.json', 'express', '..%2Fpackage.json'])('does not serve anything else under /vendor/ (%s)', async (file) => {
    await request(app(knownOnly)).get(`/vendor/${file}`).expect(404);
  });

  it('every module the page imports exists (no CDN, no missing file)', async () => {
    const a = app(knownOnly);
    const jsDir = path.resolve('public/js');
    for (const file of fs.readdirSync(jsDir)) {
      const source = fs.readFileSync(path.join(jsDir, file), 'utf8');
      expect(source).not.toMatch(/(from|import\()\s*'(https?:)?\/\//); // no remote imports
      for (const [, spec] of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const url = path.posix.join('/js', spec!);
        await request(a).get(url).expect(200);
      }
    }
  });
});
