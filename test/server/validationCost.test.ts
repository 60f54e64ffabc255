/**
 * Bounded request validation (issue 14): a ~6 MB body made of millions of bad items is refused with
 * one 400 OperationOutcome at little more than the cost of parsing it and without a large heap, on the
 * same code path the worker pool runs (src/server/callCore.ts). Before the schemas were bounded and
 * validation stopped at the first problem, such a body took 22 s and 1.9 GB. The time bound is relative
 * to JSON.parse of the same text, measured in the test, because the machine may be busy; the old
 * behaviour misses it by more than an order of magnitude.
 */
import fs from 'node:fs';
import request from 'supertest';
import { ERROR_CODE_SYSTEM } from '../../src/http/outcomes.js';
import { MAX_REPORTED_ERRORS, describeErrors } from '../../src/server/schemas/ajv.js';
import { REQUEST_BOUNDS } from '../../src/server/schemas/request.js';
import { defaultHooksDir, loadServiceDefinitions } from '../../src/hooks/index.js';
import { refuseFhirPolicy, runServiceCall } from '../../src/server/callCore.js';
import { realEngine } from '../../src/server/engine.js';
import { buildApp, orderSelectRequest, patientViewRequest, plainFetch, testConfig } from './helpers/testApp.js';

const services = new Map(loadServiceDefinitions(defaultHooksDir()).map((s) => [s.id, s]));

const code = (body: { issue?: { details?: { coding?: { system: string; code: string }[] } }[] }) =>
  body.issue?.[0]?.details?.coding?.find((c) => c.system === ERROR_CODE_SYSTEM)?.code;

/** A JSON array of `n` copies of `item`, as text (built without materialising the array). */
function manyItems(item: string, n: number): string {
  return `[${`${item},`.repeat(n - 1)}${item}]`;
}

function peakRssMb(): number {
  return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
}

const ITEMS = 3_000_000;
const MB = 1024 * 1024;

test.each([
  ['order-select selections: 3M numbers', '/cds-services/iec-hs-order-select', orderSelectRequest({ context: { patientId: 'pat-1', selections: '@ITEMS@', draftOrders: { resourceType: 'Bundle', type: 'collection' } } }), '1', ITEMS],
  ['order-select draftOrders.entry: 3M numbers', '/cds-services/iec-hs-order-select', orderSelectRequest({ context: { patientId: 'pat-1', selections: [], draftOrders: { resourceType: 'Bundle', entry: '@ITEMS@' } } }), '1', ITEMS],
  ['patient-view: 2M empty strings beside a too-long userId', '/cds-services/iec-hs-surveillance', patientViewRequest({ context: { patientId: 'pat-1', userId: 'x'.repeat(REQUEST_BOUNDS.shortString + 1), junk: '@ITEMS@' } }), '""', 2_000_000],
  ['patient-view: 3M bad prefetch values', '/cds-services/iec-hs-surveillance', patientViewRequest({ prefetch: { labs: '@ITEMS@' } }), '1', ITEMS],
])('%s -> 400 fast, small heap, few errors named', async (_name, path, body, item, count) => {
  const text = JSON.stringify(body).replace('"@ITEMS@"', manyItems(item, count));
  expect(text.length).toBeGreaterThan(5 * MB);
  const service = services.get(path.split('/').at(-1) ?? '');
  if (!service) throw new Error(`no service for ${path}`);
  const bytes = Buffer.from(text);
  // The floor: parsing the same text, measured here because the machine may be busy.
  const parseStarted = performance.now();
  JSON.parse(text);
  const parseMs = performance.now() - parseStarted;
  // The CPU work alone (what a worker runs), timed and weighed without the HTTP client's own costs.
  const rssBefore = peakRssMb();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const result = await runServiceCall(
    { bytes, service, now: new Date().toISOString(), maxJsonDepth: 64, fhirLimits: testConfig().fhir, thresholds: {}, serviceBaseUrl: 'http://127.0.0.1' },
    { engine: realEngine, fetchFor: () => plainFetch, policy: refuseFhirPolicy() },
  );
  const ms = performance.now() - started;
  const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / MB;
  const peakGrowthMb = peakRssMb() - rssBefore;
  expect(result.kind).toBe('refused');

  // And over HTTP: one 400 OperationOutcome naming a few problems.
  const res = await request(buildApp()).post(path).set('Content-Type', 'application/json').send(text);

  expect(res.status).toBe(400);
  expect(res.body.resourceType).toBe('OperationOutcome');
  expect(code(res.body)).toBe('invalid-request');
  expect((res.body.issue[0].expression ?? []).length).toBeLessThanOrEqual(MAX_REPORTED_ERRORS);
  expect(res.body.issue[0].details.text.length).toBeLessThan(2000);
  // Parsing is the floor (well under a second on a quiet machine); refusing adds little to it. The old
  // validation spent 22 s here, some 20 times the parse.
  expect(ms).toBeLessThan(2 * parseMs + 250);
  expect(ms).toBeLessThan(5000);
  expect(heapGrowthMb).toBeLessThan(300);
  expect(peakGrowthMb).toBeLessThan(400);
}, 30_000);

test('error lists are truncated even when many problems are reported', () => {
  const errors = Array.from({ length: 100_000 }, (_, i) => ({ instancePath: `/context/selections/${i}`, keyword: 'type', params: {}, schemaPath: '#', message: 'must be string' }));
  const { message, paths } = describeErrors(errors);
  expect(paths).toHaveLength(MAX_REPORTED_ERRORS);
  expect(message.split('; ')).toHaveLength(MAX_REPORTED_ERRORS);
});

test('a prefetch with more keys than any service declares -> 400', async () => {
  const prefetch = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, null]));
  const res = await request(buildApp()).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ prefetch }));
  expect(res.status).toBe(400);
  expect(res.body.issue[0].expression).toContain('prefetch');
});

test.each([
  ['selections', { selections: Array.from({ length: REQUEST_BOUNDS.selections + 1 }, () => 'x'), draftOrders: { resourceType: 'Bundle' } }, 'context.selections'],
  ['draftOrders.entry', { selections: [], draftOrders: { resourceType: 'Bundle', entry: Array.from({ length: REQUEST_BOUNDS.draftOrders + 1 }, () => ({})) } }, 'context.draftOrders.entry'],
])('one item over the %s bound -> 400 naming it', async (_name, context, where) => {
  const app = buildApp();
  const over = await request(app).post('/cds-services/iec-hs-order-select').send(orderSelectRequest({ context: { patientId: 'pat-1', ...context } }));
  expect(over.status).toBe(400);
  expect(over.body.issue[0].expression).toContain(where);
});
