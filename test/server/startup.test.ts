/**
 * What the server commands assemble (src/cli/runtime.ts, src/cli/demoApp.ts): configuration with the
 * threshold table's checks, threshold overrides reaching criteria and cards, the card memory keyed with
 * the configured HMAC key, server timeouts, and the demo's own URLs.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { demoConfig } from '../../src/cli/demoApp.js';
import { loadServerConfig, startService } from '../../src/cli/runtime.js';
import { ConfigError } from '../../src/config/load.js';
import { defaultConfig } from '../../src/config/defaults.js';
import { realEngine } from '../../src/server/engine.js';
import { createLogger } from '../../src/server/logger.js';
import { buildApp, fullPrefetch, infusion, labObservation, orderSelectRequest, PATIENT_ID, patientViewRequest, recordingEngine, searchset, testConfig } from './helpers/testApp.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iec-hs-startup-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function configFile(content: unknown): string {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('threshold overrides', () => {
  test('an unknown id or an out-of-range value stops start-up, naming the threshold', () => {
    const problems = (content: unknown): string[] => {
      try {
        loadServerConfig('demo', { CONFIG_FILE: configFile(content) });
      } catch (e) {
        if (e instanceof ConfigError) return e.problems;
        throw e;
      }
      return [];
    };
    expect(problems({ thresholds: { 'ferritin.typo': 3 } })).toEqual([expect.stringMatching(/^thresholds: .*unknown threshold id "ferritin\.typo"/)]);
    expect(problems({ thresholds: { 'orderSelect.recentResultHours': 0 } })).toEqual([expect.stringMatching(/^thresholds: .*"orderSelect\.recentResultHours" = 0 is outside 1\.\.720/)]);
    expect(problems({ thresholds: { 'orderSelect.recentResultHours': 48 } })).toEqual([]);
  });

  test('the configured overrides are handed to the engine in the card context', async () => {
    const { engine, calls } = recordingEngine();
    const app = buildApp({ engine, config: testConfig((c) => (c.thresholds = { 'orderSelect.recentResultHours': 48 })) });
    expect((await request(app).post('/cds-services/iec-hs-surveillance').send(patientViewRequest())).status).toBe(200);
    expect(calls[0]?.ctx.thresholds).toEqual({ 'orderSelect.recentResultHours': 48 });
  });

  // The sample ferritin resulted 78 h before FIXED_NOW; order-select leaves out panel labs resulted
  // within orderSelect.recentResultHours (default 24 h), so the window decides whether ferritin is suggested.
  test.each([
    [77, true],
    [79, false],
  ])('order-select, real pipeline: recentResultHours %i -> ferritin suggested: %s', async (hours, suggested) => {
    const app = buildApp({ engine: realEngine, config: testConfig((c) => (c.thresholds = { 'orderSelect.recentResultHours': hours })) });
    const triglycerides = { resourceType: 'ServiceRequest', id: 'sr-1', status: 'draft', intent: 'order', subject: { reference: `Patient/${PATIENT_ID}` }, code: { coding: [{ system: 'http://loinc.org', code: '3255-7' }] } };
    const res = await request(app)
      .post('/cds-services/iec-hs-order-select')
      .send(orderSelectRequest({ context: { userId: 'Practitioner/p', patientId: PATIENT_ID, selections: ['ServiceRequest/sr-1'], draftOrders: { resourceType: 'Bundle', entry: [{ resource: triglycerides }] } } }));
    expect(res.status).toBe(200);
    // What each suggestion would order: the LOINC codes of its draft ServiceRequests.
    type Suggestion = { actions?: { resource?: { code?: { coding?: { code?: string }[] } } }[] };
    const ordered = (res.body.cards as { suggestions?: Suggestion[] }[])
      .flatMap((c) => c.suggestions ?? [])
      .map((s) => (s.actions ?? []).map((a) => a.resource?.code?.coding?.[0]?.code));
    expect(ordered.length).toBeGreaterThan(0);
    expect(ordered.some((codes) => codes.length === 1 && codes[0] === '2276-4')).toBe(suggested);
  });
});

/** The sample patient moved to the real clock (the server uses it): infusion 10 days ago, ferritin yesterday. */
function recentPrefetch(): ReturnType<typeof fullPrefetch> {
  const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
  return {
    ...fullPrefetch(),
    labs: searchset([labObservation('obs-ferritin-now', '2276-4', 12000, 'ng/mL', daysAgo(1))]),
    procedures: searchset([{ ...infusion, performedDateTime: daysAgo(10) }]),
  };
}

describe('startService (npm run serve composition)', () => {
  test('server timeouts applied; card memory hashes patient ids with FEEDBACK_HMAC_KEY; metrics and readiness mounted', async () => {
    const dbPath = path.join(dir, 'cards.sqlite');
    const key = 'k'.repeat(40);
    const config = loadServerConfig('test', { PORT: '0', FEEDBACK_DB: dbPath, FEEDBACK_HMAC_KEY: key, REQUEST_TIMEOUT_MS: '7000' });
    const service = await startService(config, { logger: createLogger({ level: 'silent' }) });
    try {
      expect(service.server.headersTimeout).toBe(15_000);
      expect(service.server.requestTimeout).toBe(12_000);
      expect(service.server.keepAliveTimeout).toBe(5_000);
      const call = await fetch(`http://127.0.0.1:${service.config.port}/cds-services/iec-hs-surveillance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(patientViewRequest({ prefetch: recentPrefetch() })),
      });
      expect(call.status).toBe(200);
      expect(((await call.json()) as { cards: unknown[] }).cards.length).toBeGreaterThan(0);
      expect((await fetch(`http://127.0.0.1:${service.config.port}/ready`)).status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${service.config.port}/metrics`)).text()).toContain('cds_request_duration_seconds_bucket{le="0.005",service="iec-hs-surveillance",status="200"}');
    } finally {
      await service.close();
    }
    const db = new Database(dbPath, { readonly: true });
    const hashes = db.prepare<[], { patient_hash: string }>('SELECT DISTINCT patient_hash FROM issued_card').all();
    db.close();
    expect(hashes).toEqual([{ patient_hash: createHmac('sha256', key).update(PATIENT_ID).digest('hex') }]);
  });
});

describe('demo URLs (startDemo)', () => {
  const base = () => defaultConfig('demo');

  test('cards link to the timeline page of this server by default', () => {
    const c = demoConfig(base(), 4321);
    expect(c.timelineBaseUrl).toBe('http://localhost:4321/timeline.html');
    expect(c.fhir.openServers).toEqual(expect.arrayContaining(['http://localhost:4321/fhir', 'http://127.0.0.1:4321/fhir', 'http://[::1]:4321/fhir']));
  });

  test('TIMELINE_BASE_URL wins, then PUBLIC_BASE_URL', () => {
    const both = loadServerConfig('demo', { TIMELINE_BASE_URL: 'https://demo.example.org/t.html', PUBLIC_BASE_URL: 'https://cds.example.org/' });
    expect(demoConfig(both, 3000).timelineBaseUrl).toBe('https://demo.example.org/t.html');
    const publicOnly = loadServerConfig('demo', { PUBLIC_BASE_URL: 'https://cds.example.org/' });
    expect(demoConfig(publicOnly, 3000).timelineBaseUrl).toBe('https://cds.example.org/timeline.html');
  });
});
