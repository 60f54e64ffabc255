/** Bad input never yields a 500: each gets a 4xx OperationOutcome with a stable code and changes nothing. */
import request from 'supertest';
import { ERROR_CODE_SYSTEM } from '../../src/http/outcomes.js';
import { checkCdsResponse } from '../../src/server/schemas/response.js';
import { realEngine } from '../../src/server/engine.js';
import { PATIENT_ID, buildApp, memoryCardMemory, orderSelectRequest, patientViewRequest, testConfig } from './helpers/testApp.js';

const code = (body: { issue?: { details?: { coding?: { system: string; code: string }[] } }[] }) =>
  body.issue?.[0]?.details?.coding?.find((c) => c.system === ERROR_CODE_SYSTEM)?.code;

test('a body over the configured limit -> 413', async () => {
  const app = buildApp({ config: testConfig((c) => (c.bodyLimitBytes = 10_000)) });
  const res = await request(app).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ padding: 'x'.repeat(20_000) }));
  expect(res.status).toBe(413);
  expect(code(res.body)).toBe('body-too-large');
});

test('the default body limit is 10 MB', () => {
  expect(testConfig().bodyLimitBytes).toBe(10 * 1024 * 1024);
});

test('JSON nested deeper than maxJsonDepth -> 400', async () => {
  let deep: unknown = {};
  for (let i = 0; i < 200; i++) deep = { a: deep };
  const res = await request(buildApp()).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ extension: deep }));
  expect(res.status).toBe(400);
  expect(code(res.body)).toBe('json-too-deep');
});

test.each([
  ['text/plain body', 'text/plain', 'hello', 415, 'unsupported-media-type'],
  ['JSON array', 'application/json', '[1,2]', 400, 'invalid-request'],
  ['JSON string (non-strict JSON)', 'application/json', '"patient-view"', 400, 'malformed-json'],
  ['truncated JSON', 'application/fhir+json', '{"hook":', 400, 'malformed-json'],
  ['unsupported charset', 'application/json; charset=klingon', '{}', 415, 'unsupported-media-type'],
])('%s -> %i', async (_name, type, body, status, errorCode) => {
  for (const path of ['/cds-services/iec-hs-surveillance', '/cds-services/iec-hs-surveillance/feedback']) {
    const res = await request(buildApp()).post(path).set('Content-Type', type).send(body);
    expect(res.status).toBe(status);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(code(res.body)).toBe(errorCode);
  }
});

test('unknown routes -> 404 OperationOutcome; GET on a service -> 404', async () => {
  for (const path of ['/nope', '/cds-services/iec-hs-surveillance']) {
    const res = await request(buildApp()).get(path);
    expect(res.status).toBe(404);
    expect(res.body.resourceType).toBe('OperationOutcome');
  }
});

test('an engine that throws -> 500 generic OperationOutcome, and no card is recorded', async () => {
  const memory = memoryCardMemory();
  const res = await request(
    buildApp({
      cardMemory: memory,
      engine: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'x')");
      },
    }),
  )
    .post('/cds-services/iec-hs-surveillance')
    .send(patientViewRequest());
  expect(res.status).toBe(500);
  expect(code(res.body)).toBe('internal-error');
  expect(res.text).not.toContain('Cannot read');
  expect(memory.issued).toEqual([]);
});

test('the card memory sees the cards and its filtered list is what goes out', async () => {
  const memory = memoryCardMemory();
  const filtered = { ...memory, filterAndRecord: async () => [] };
  const res = await request(buildApp({ cardMemory: filtered })).post('/cds-services/iec-hs-surveillance').send(patientViewRequest());
  expect(res.body).toEqual({ cards: [] });
  expect(checkCdsResponse(res.body)).toEqual([]);
});

test('health answers 200 when the card memory is ready, 503 when not', async () => {
  expect((await request(buildApp({ cardMemory: memoryCardMemory() })).get('/health')).status).toBe(200);
  const broken = { ...memoryCardMemory(), isReady: () => false };
  expect((await request(buildApp({ cardMemory: broken })).get('/health')).status).toBe(503);
});

test('every response carries a request id; a safe incoming X-Request-Id is echoed, an unsafe one replaced', async () => {
  const app = buildApp();
  expect((await request(app).get('/cds-services').set('X-Request-Id', 'abc-123')).headers['x-request-id']).toBe('abc-123');
  const replaced = (await request(app).get('/cds-services').set('X-Request-Id', 'bad id with spaces and / slashes')).headers['x-request-id'];
  expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
});

test('order-select: draft orders and prefetch with codings of the wrong shape are read as uncoded -> 200 and a conforming answer, never a 500', async () => {
  const body = orderSelectRequest() as { context: { selections: string[]; draftOrders: { entry: { resource: Record<string, unknown> }[] } }; prefetch: Record<string, unknown> };
  body.context.selections.push('MedicationRequest/m-1');
  // One object where FHIR has a list, a number, a reference that is not a string.
  body.context.draftOrders.entry[0]!.resource.code = { coding: { system: 'http://loinc.org', code: '2276-4' } };
  body.context.draftOrders.entry.push({
    resource: { resourceType: 'MedicationRequest', id: 'm-1', status: 'draft', intent: 'order', subject: { reference: `Patient/${PATIENT_ID}` }, medicationCodeableConcept: { coding: 5, text: 'tocilizumab' }, medicationReference: { reference: 5 } },
  });
  const conditions = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Condition', id: 'c-bad', subject: { reference: `Patient/${PATIENT_ID}` }, code: { coding: {} } } }] };
  body.prefetch = { ...body.prefetch, conditions };
  const res = await request(buildApp({ engine: realEngine })).post('/cds-services/iec-hs-order-select').send(body);
  expect(res.status).toBe(200);
  expect(checkCdsResponse(res.body)).toEqual([]);
});
