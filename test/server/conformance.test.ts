/**
 * CDS Hooks conformance checklist (docs/cds-hooks-conformance.md#checklist, lines 1-37 and 46), one test per line, named
 * after it. Protocol behaviour is tested with a recording engine; the FHIR server is a recording stub
 * on loopback. Lines 38-45 (JWT) belong to test/security; 47-49 are deployment/interop checks.
 */
import request from 'supertest';
import { checkCdsResponse } from '../../src/server/schemas/response.js';
import { checkPrefetchTemplate, substituteTemplate } from '../../src/fhir/templates.js';
import { loadServiceDefinitions, defaultHooksDir } from '../../src/hooks/index.js';
import { ERROR_CODE_SYSTEM } from '../../src/http/outcomes.js';
import { startFhirStub, type FhirStub } from './helpers/fhirStub.js';
import {
  CARD,
  PATIENT_ID,
  allResources,
  buildApp,
  captureLog,
  ferritin,
  fullPrefetch,
  infusion,
  labObservation,
  patient,
  memoryCardMemory,
  orderSelectRequest,
  patientViewRequest,
  recordingEngine,
  searchset,
  testConfig,
} from './helpers/testApp.js';
import { CARD_RULES } from '../../src/cards/cardRules.js';

const services = loadServiceDefinitions(defaultHooksDir());

function errorCode(body: { issue?: { details?: { coding?: { system: string; code: string }[] } }[] }): string | undefined {
  return body.issue?.[0]?.details?.coding?.find((c) => c.system === ERROR_CODE_SYSTEM)?.code;
}

let stub: FhirStub;
beforeEach(async () => {
  stub = await startFhirStub(allResources());
});
afterEach(async () => {
  await stub.close();
});

describe('Discovery', () => {
  test('line 1: GET /cds-services returns 200 application/json {"services":[...]}', async () => {
    const res = await request(buildApp()).get('/cds-services');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Array.isArray(res.body.services)).toBe(true);
    expect(res.body.services.map((s: { id: string }) => s.id).sort()).toEqual(['iec-hs-order-select', 'iec-hs-surveillance']);
  });

  test('line 2: every service entry has string hook, description, id, title; ids URL-safe and unique per hook', async () => {
    const res = await request(buildApp()).get('/cds-services');
    const keys = new Set<string>();
    for (const s of res.body.services as Record<string, unknown>[]) {
      for (const f of ['hook', 'description', 'id', 'title']) expect(typeof s[f]).toBe('string');
      expect(s.id).toMatch(/^[A-Za-z0-9._~-]+$/);
      const key = `${String(s.id)} ${String(s.hook)}`;
      expect(keys.has(key)).toBe(false);
      keys.add(key);
    }
    expect(res.body.services.find((s: { id: string }) => s.id === 'iec-hs-surveillance').hook).toBe('patient-view');
    expect(res.body.services.find((s: { id: string }) => s.id === 'iec-hs-order-select').hook).toBe('order-select');
  });

  test('line 3: every prefetch value uses only 2.0 prefetch tokens', () => {
    for (const s of services) {
      for (const template of Object.values(s.prefetch ?? {})) {
        for (const [, token] of template.matchAll(/\{\{([^}]*)\}\}/g)) {
          expect(['context.patientId', 'context.userId', 'context.encounterId', 'userPractitionerId', 'userPractitionerRoleId', 'userPatientId', 'userRelatedPersonId']).toContain(token);
        }
      }
    }
    // The checker itself refuses 3.0-ballot and nested tokens.
    expect(checkPrefetchTemplate('Observation?patient={{context.patientId}}&date=ge{{today()}}', 'patient-view')).not.toEqual([]);
    expect(checkPrefetchTemplate('Medication/{{context.medication.id}}', 'patient-view')).not.toEqual([]);
    expect(checkPrefetchTemplate('Observation?patient={{context.draftOrders}}', 'order-select')).not.toEqual([]);
  });

  test('line 4: prefetch templates stay in the restricted query subset', () => {
    for (const s of services) {
      for (const [key, template] of Object.entries(s.prefetch ?? {})) {
        expect({ key, problems: checkPrefetchTemplate(template, s.hook) }).toEqual({ key, problems: [] });
      }
    }
    for (const bad of ['Observation?patient={{context.patientId}}&_include=Observation:patient', 'Observation?patient.name=x', 'Observation?code:text=ferritin', 'Patient/{{context.patientId}}/_history', '/Patient/1']) {
      expect(checkPrefetchTemplate(bad, 'patient-view')).not.toEqual([]);
    }
  });

  test('line 5: optional discovery fields are omitted, never null or empty', async () => {
    const res = await request(buildApp()).get('/cds-services');
    const walk = (v: unknown): void => {
      expect(v).not.toBeNull();
      if (typeof v === 'string') expect(v).not.toBe('');
      else if (Array.isArray(v)) v.forEach(walk);
      else if (typeof v === 'object' && v !== null) {
        expect(Object.keys(v).length).toBeGreaterThan(0);
        Object.values(v).forEach(walk);
      }
    };
    walk(res.body.services);
  });
});

describe('Service call: input handling', () => {
  test('line 6: POST /cds-services/{unknown} -> 404 with an OperationOutcome', async () => {
    const res = await request(buildApp()).post('/cds-services/no-such-service').send(patientViewRequest());
    expect(res.status).toBe(404);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(errorCode(res.body)).toBe('unknown-service');
  });

  test.each([
    ['hook missing', { hook: undefined }],
    ['hookInstance missing', { hookInstance: undefined }],
    ['context missing', { context: undefined }],
    ['patientId missing', { context: { userId: 'Practitioner/1' } }],
    ['hook of another service', { hook: 'order-select' }],
    ['hook not a string', { hook: 42 }],
    ['context not an object', { context: 'pat-1' }],
    ['patientId not a FHIR id', { context: { patientId: '../../etc/passwd' } }],
    ['prefetch value a string', { prefetch: { labs: 'nope' } }],
  ])('line 7: %s -> 400 (not 500)', async (_name, patch) => {
    const body = JSON.parse(JSON.stringify(patientViewRequest(patch)));
    const res = await request(buildApp()).post('/cds-services/iec-hs-surveillance').send(body);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(errorCode(res.body)).toBe('invalid-request');
  });

  test('line 7: order-select without selections or draftOrders -> 400', async () => {
    for (const field of ['selections', 'draftOrders']) {
      const body = orderSelectRequest() as { context: Record<string, unknown> };
      delete body.context[field];
      const res = await request(buildApp()).post('/cds-services/iec-hs-order-select').send(body);
      expect(res.status).toBe(400);
      expect(res.body.issue[0].expression).toContain(`context.${field}`);
    }
  });

  test('line 8: non-JSON body -> 400; a body of several MB is accepted', async () => {
    const app = buildApp();
    const bad = await request(app).post('/cds-services/iec-hs-surveillance').set('Content-Type', 'application/json').send('{"hook": "patient-view",');
    expect(bad.status).toBe(400);
    expect(errorCode(bad.body)).toBe('malformed-json');
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.(js|ts):\d+/);

    const many = Array.from({ length: 8000 }, (_, i) => labObservation(`obs-${i}`, '2276-4', 100 + i, 'ng/mL', '2026-03-10T06:00:00Z'));
    const body = patientViewRequest({ prefetch: { ...fullPrefetch(), labs: searchset(many) } });
    expect(JSON.stringify(body).length).toBeGreaterThan(2_000_000);
    const { engine, calls } = recordingEngine();
    const ok = await request(buildApp({ engine })).post('/cds-services/iec-hs-surveillance').send(body);
    expect(ok.status).toBe(200);
    expect(calls[0]?.data.observations).toHaveLength(8000);
  });

  test('line 8: application/fhir+json bodies are accepted', async () => {
    const res = await request(buildApp())
      .post('/cds-services/iec-hs-surveillance')
      .set('Content-Type', 'application/fhir+json')
      .send(JSON.stringify(patientViewRequest()));
    expect(res.status).toBe(200);
  });

  test('line 9: unknown top-level fields and extension objects are ignored', async () => {
    const res = await request(buildApp())
      .post('/cds-services/iec-hs-surveillance')
      .send(patientViewRequest({ somethingNew: { a: 1 }, extension: { 'org.example.x': true }, context: { patientId: PATIENT_ID, userId: 'Practitioner/1', extension: { y: 1 } } }));
    expect(res.status).toBe(200);
  });

  test('line 10: a present, non-null prefetch key is used without refetching', async () => {
    const { engine, calls } = recordingEngine();
    const res = await request(buildApp({ engine })).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ fhirServer: stub.base }));
    expect(res.status).toBe(200);
    expect(stub.requests).toEqual([]);
    expect(calls[0]?.data.observations.map((o) => o.id)).toEqual([ferritin.id]);
    expect(calls[0]?.data.procedures.map((p) => p.id)).toEqual([infusion.id]);
    expect(calls[0]?.ctx.partialData).toBeUndefined();
  });

  test('line 11: null prefetch is not refetched', async () => {
    const { engine, calls } = recordingEngine();
    const prefetch = { ...fullPrefetch(), labs: null, conditions: null, patient: null };
    const res = await request(buildApp({ engine })).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ fhirServer: stub.base, prefetch }));
    expect(res.status).toBe(200);
    expect(stub.requests).toEqual([]);
    expect(calls[0]?.data.observations).toEqual([]);
    expect(calls[0]?.data.patient).toBeUndefined();
    // null is "no data", an answer, so the response is not marked partial.
    expect(calls[0]?.ctx.partialData).toBeUndefined();
  });

  test('line 12: a missing prefetch key triggers a FHIR query with the bearer token', async () => {
    const { engine, calls } = recordingEngine();
    const prefetch: Record<string, unknown> = fullPrefetch();
    delete prefetch.labs;
    const res = await request(buildApp({ engine }))
      .post('/cds-services/iec-hs-surveillance')
      .send(patientViewRequest({ fhirServer: stub.base, fhirAuthorization: { access_token: 'tok-123', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'cds' }, prefetch }));
    expect(res.status).toBe(200);
    expect(stub.requests.map((r) => r.type)).toEqual(['Observation']);
    const [req] = stub.requests;
    expect(req?.authorization).toBe('Bearer tok-123');
    expect(req?.query.get('patient')).toBe(PATIENT_ID);
    expect(req?.query.get('category')).toBe('laboratory');
    expect(req?.query.get('code')).toContain('http://loinc.org|2276-4');
    expect(calls[0]?.data.observations.map((o) => o.id)).toEqual([ferritin.id]);
  });

  test('line 12: no prefetch member at all -> every template is queried', async () => {
    const { engine, calls } = recordingEngine();
    const res = await request(buildApp({ engine })).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ fhirServer: stub.base, prefetch: undefined }));
    expect(res.status).toBe(200);
    expect(stub.requests.map((r) => r.type).sort()).toEqual(
      ['Condition', 'DiagnosticReport', 'MedicationAdministration', 'MedicationRequest', 'Observation', 'Observation', 'Patient', 'Procedure'].sort(),
    );
    // Anonymous access (no fhirAuthorization): no Authorization header is invented.
    expect(stub.requests.every((r) => r.authorization === undefined)).toBe(true);
    expect(calls[0]?.data.patient?.id).toBe(PATIENT_ID);
    expect(calls[0]?.data.procedures.map((p) => p.id)).toEqual([infusion.id]);
  });

  test('line 13: an OperationOutcome prefetch value is treated as missing (refetched)', async () => {
    const { engine, calls } = recordingEngine();
    const prefetch = { ...fullPrefetch(), procedures: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] } };
    const res = await request(buildApp({ engine })).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ fhirServer: stub.base, prefetch }));
    expect(res.status).toBe(200);
    expect(stub.requests.map((r) => r.type)).toEqual(['Procedure']);
    expect(calls[0]?.data.procedures.map((p) => p.id)).toEqual([infusion.id]);
  });

  test('line 13: an OperationOutcome for required data and no fhirServer -> 412', async () => {
    const prefetch = { ...fullPrefetch(), labs: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] } };
    const res = await request(buildApp()).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ prefetch }));
    expect(res.status).toBe(412);
    expect(res.body.issue[0].expression).toEqual(['prefetch.labs']);
  });

  test('line 14: searchset Bundles with link next are paged on the same origin, bounded', async () => {
    await stub.close();
    const many = Array.from({ length: 25 }, (_, i) => labObservation(`o${i}`, '2276-4', i, 'ng/mL', '2026-03-10T06:00:00Z'));
    stub = await startFhirStub([patient, infusion, ...many]);
    const { engine, calls } = recordingEngine();
    // The client prefetched page 1 of 10; the service reads pages 2 and 3 with the token.
    const firstPage = searchset(many.slice(0, 10), `${stub.base}/Observation?patient=${PATIENT_ID}&_count=10&_offset=10`);
    const res = await request(buildApp({ engine }))
      .post('/cds-services/iec-hs-surveillance')
      .send(patientViewRequest({ fhirServer: stub.base, fhirAuthorization: { access_token: 'tok-p', token_type: 'Bearer', expires_in: 60, scope: 's', subject: 'c' }, prefetch: { ...fullPrefetch(), labs: firstPage } }));
    expect(res.status).toBe(200);
    expect(stub.requests).toHaveLength(2);
    expect(stub.requests.every((r) => r.authorization === 'Bearer tok-p')).toBe(true);
    expect(calls[0]?.data.observations).toHaveLength(25);

    // Bounded: with maxPages 2 only pages 1-2 are read and the answer is marked partial.
    stub.requests.length = 0;
    const bounded = recordingEngine();
    await request(buildApp({ engine: bounded.engine, config: testConfig((c) => (c.fhir.maxPages = 2)) }))
      .post('/cds-services/iec-hs-surveillance')
      .send(patientViewRequest({ fhirServer: stub.base, prefetch: { ...fullPrefetch(), labs: firstPage } }));
    expect(stub.requests).toHaveLength(1);
    expect(bounded.calls[0]?.data.observations).toHaveLength(20);
    expect(bounded.calls[0]?.ctx.partialData?.missing).toEqual(['labs (truncated)']);

    // Another origin (localhost is not 127.0.0.1): never followed, the token never leaves.
    stub.requests.length = 0;
    const cross = recordingEngine();
    const foreign = searchset(many.slice(0, 10), `${stub.base.replace('127.0.0.1', 'localhost')}/Observation?_offset=10`);
    await request(buildApp({ engine: cross.engine }))
      .post('/cds-services/iec-hs-surveillance')
      .send(patientViewRequest({ fhirServer: stub.base, prefetch: { ...fullPrefetch(), labs: foreign } }));
    expect(stub.requests).toEqual([]);
    expect(cross.calls[0]?.ctx.partialData?.missing).toEqual(['labs (next link on another origin not followed)']);
  });

  test('line 15: required data missing and no fhirServer -> 412 with an OperationOutcome', async () => {
    const prefetch: Record<string, unknown> = fullPrefetch();
    delete prefetch.labs;
    delete prefetch.medicationAdministrations;
    const res = await request(buildApp()).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ prefetch }));
    expect(res.status).toBe(412);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(errorCode(res.body)).toBe('data-unavailable');
    expect(res.body.issue[0].expression).toEqual(['prefetch.labs', 'prefetch.medicationAdministrations']);
  });

  test('line 15: fhirServer unreachable -> 412, not 500', async () => {
    await stub.close();
    const res = await request(buildApp()).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ fhirServer: stub.base, prefetch: undefined }));
    expect(res.status).toBe(412);
    expect(errorCode(res.body)).toBe('data-unavailable');
  });

  test('line 15: FHIR server errors on a required search -> 412; on an optional one -> partial answer', async () => {
    stub.setOverride((req, res) => {
      if (req.type === 'Procedure' || req.type === 'Condition') {
        res.writeHead(500, { 'content-type': 'application/fhir+json' }).end('{"resourceType":"OperationOutcome"}');
        return true;
      }
      return false;
    });
    const res = await request(buildApp()).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ fhirServer: stub.base, prefetch: undefined }));
    expect(res.status).toBe(412);
    expect(res.body.issue[0].expression).toEqual(['prefetch.procedures']);

    const { engine, calls } = recordingEngine();
    const prefetch: Record<string, unknown> = fullPrefetch();
    delete prefetch.conditions;
    const partial = await request(buildApp({ engine })).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ fhirServer: stub.base, prefetch }));
    expect(partial.status).toBe(200);
    expect(calls[0]?.ctx.partialData).toEqual({ missing: ['conditions'] });
  });

  test('line 16: template substitution matches the client (context tokens, user tokens from userId)', () => {
    const context = { patientId: 'p1', userId: 'Practitioner/123', encounterId: 'e9' };
    expect(substituteTemplate('Patient/{{context.patientId}}', context)).toBe('Patient/p1');
    expect(substituteTemplate('Encounter/{{context.encounterId}}', context)).toBe('Encounter/e9');
    expect(substituteTemplate('Practitioner/{{userPractitionerId}}', context)).toBe('Practitioner/123');
    expect(substituteTemplate('PractitionerRole/{{userPractitionerRoleId}}', context)).toBeUndefined();
    expect(substituteTemplate('PractitionerRole/{{userPractitionerRoleId}}', { ...context, userId: 'PractitionerRole/r1' })).toBe('PractitionerRole/r1');
    expect(substituteTemplate('Patient/{{userPatientId}}', { ...context, userId: 'Patient/me' })).toBe('Patient/me');
    expect(substituteTemplate('RelatedPerson/{{userRelatedPersonId}}', { ...context, userId: 'RelatedPerson/rp' })).toBe('RelatedPerson/rp');
    // Unresolvable (no encounter in context): the client skips such a key, so must we.
    expect(substituteTemplate('Encounter/{{context.encounterId}}', { patientId: 'p1' })).toBeUndefined();
    // Values are URL-encoded.
    expect(substituteTemplate('Observation?patient={{context.patientId}}', { patientId: 'a b&c' })).toBe('Observation?patient=a%20b%26c');
  });

  test('line 17: fhirAuthorization without fhirServer -> 400', async () => {
    const res = await request(buildApp())
      .post('/cds-services/iec-hs-surveillance')
      .send(patientViewRequest({ fhirAuthorization: { access_token: 't', token_type: 'Bearer', expires_in: 60, scope: 's', subject: 'c' } }));
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('invalid-request');
  });

  test('line 18: non-https fhirServer is refused unless the loopback dev flag allows it', async () => {
    const prefetch: Record<string, unknown> = fullPrefetch();
    delete prefetch.labs;
    const strict = testConfig((c) => (c.fhir.allowInsecureLoopback = false));
    const res = await request(buildApp({ config: strict })).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ fhirServer: stub.base, prefetch }));
    expect(res.status).toBe(412);
    expect(stub.requests).toEqual([]);
    expect(res.body.issue[0].details.text).toMatch(/https/);

    const relaxed = await request(buildApp()).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ fhirServer: stub.base, prefetch }));
    expect(relaxed.status).toBe(200);
    expect(stub.requests).toHaveLength(1);

    const ftp = await request(buildApp()).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ fhirServer: 'ftp://127.0.0.1/fhir', prefetch }));
    expect(ftp.status).toBe(400);
  });

  test('line 19: without an issuer binding the default transport (security guard) fetches nothing', async () => {
    // No injected fetch: the production transport runs. The stub is on loopback and not in openServers.
    const prefetch: Record<string, unknown> = fullPrefetch();
    delete prefetch.labs;
    const { createApp } = await import('../../src/server/app.js');
    const { createLogger } = await import('../../src/server/logger.js');
    const app = createApp({ config: testConfig(), logger: createLogger({ level: 'silent' }), engine: recordingEngine().engine });
    const res = await request(app).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ fhirServer: stub.base, prefetch }));
    expect(res.status).toBe(412);
    expect(stub.requests).toEqual([]);

    // Listed in openServers (demo/test only): fetched.
    const open = createApp({ config: testConfig((c) => (c.fhir.openServers = [stub.base])), logger: createLogger({ level: 'silent' }), engine: recordingEngine().engine });
    const ok = await request(open).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ fhirServer: stub.base, prefetch }));
    expect(ok.status).toBe(200);
    expect(stub.requests).toHaveLength(1);
  });

  test('line 20: order-select passes selections and a draftOrders Bundle without Bundle.type to the engine', async () => {
    const { engine, calls } = recordingEngine();
    const res = await request(buildApp({ engine })).post('/cds-services/iec-hs-order-select').send(orderSelectRequest());
    expect(res.status).toBe(200);
    const call = calls[0];
    expect(call?.hook).toBe('order-select');
    if (call?.hook !== 'order-select') throw new Error('wrong hook');
    expect(call.ctx.selections).toEqual(['ServiceRequest/sr-1']);
    expect(call.ctx.draftOrders.type).toBeUndefined();
    expect(call.ctx.draftOrders.entry?.[0]?.resource?.id).toBe('sr-1');
  });

  test('line 21: patient-view works with and without encounterId', async () => {
    for (const context of [{ patientId: PATIENT_ID, userId: 'Practitioner/1' }, { patientId: PATIENT_ID, userId: 'Practitioner/1', encounterId: 'enc-1' }]) {
      const res = await request(buildApp()).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ context }));
      expect(res.status).toBe(200);
    }
  });
});

describe('Response', () => {
  test('line 22: success is 200 {"cards":[...]}; no guidance is exactly {"cards":[]}', async () => {
    const res = await request(buildApp({ engine: recordingEngine([]).engine })).post('/cds-services/iec-hs-surveillance').send(patientViewRequest());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.text).toBe('{"cards":[]}');
  });

  const bad = (patch: Record<string, unknown>) => ({ cards: [{ ...CARD, ...patch }] });
  test.each([
    ['line 23: summary of 140 characters', bad({ summary: 'x'.repeat(140) })],
    ['line 23: indicator outside the enum', bad({ indicator: 'hard-stop' })],
    ['line 23: source without label', bad({ source: {} })],
    ['line 24: card without uuid', bad({ uuid: undefined })],
    ['line 24: suggestion without uuid', bad({ suggestions: [{ label: 'x', actions: CARD.suggestions?.[0]?.actions }] })],
    ['line 25: suggestions without selectionBehavior', bad({ selectionBehavior: undefined })],
    ['line 25: at-most-one with two recommended', bad({ suggestions: [{ label: 'a', uuid: 'a', isRecommended: true }, { label: 'b', uuid: 'b', isRecommended: true }] })],
    ['line 26: action type in capitals', bad({ suggestions: [{ label: 'a', uuid: 'a', actions: [{ type: 'Create', description: 'd', resource: { resourceType: 'ServiceRequest' } }] }] })],
    ['line 26: action without description', bad({ suggestions: [{ label: 'a', uuid: 'a', actions: [{ type: 'create', resource: { resourceType: 'ServiceRequest' } }] }] })],
    ['line 26: create without resource', bad({ suggestions: [{ label: 'a', uuid: 'a', actions: [{ type: 'create', description: 'd' }] }] })],
    ['line 26: delete with a resource', bad({ suggestions: [{ label: 'a', uuid: 'a', actions: [{ type: 'delete', description: 'd', resourceId: 'ServiceRequest/1', resource: { resourceType: 'ServiceRequest' } }] }] })],
    ['line 27: relative link url', bad({ links: [{ label: 'l', url: '/timeline', type: 'absolute' }] })],
    ['line 27: appContext on an absolute link', bad({ links: [{ label: 'l', url: 'https://x.org', type: 'absolute', appContext: 'a' }] })],
    ['line 28: override reason without display', bad({ overrideReasons: [{ system: 'urn:x', code: 'c' }] })],
    ['line 29: relative source.url', bad({ source: { label: 's', url: 'about' } })],
    ['line 29: raw HTML in detail', bad({ detail: 'Ferritin <b>high</b>' })],
    ['line 30: empty optional array', bad({ links: [] })],
    ['line 30: null optional field', bad({ detail: null })],
    ['line 30: empty systemActions', { cards: [], systemActions: [] }],
  ])('%s is caught by the response schema', (_name, body) => {
    expect(checkCdsResponse(JSON.parse(JSON.stringify(body)))).not.toEqual([]);
  });

  test('lines 23-31: a conforming card passes the response schema, and the service answer validates', async () => {
    expect(checkCdsResponse({ cards: [CARD] })).toEqual([]);
    expect(checkCdsResponse({ cards: [{ ...CARD, detail: 'ferritin < 500 ng/mL and **rising**', links: [{ label: 'Timeline', url: 'http://localhost:3000/timeline?patient=x', type: 'absolute' }, { label: 'App', url: 'https://app.example.org/launch', type: 'smart', appContext: 'x' }] }] })).toEqual([]);
    const res = await request(buildApp()).post('/cds-services/iec-hs-surveillance').send(patientViewRequest());
    expect(res.status).toBe(200);
    expect(checkCdsResponse(res.body)).toEqual([]);
  });

  test('line 32: a FHIR server that never answers gives a bounded 412, not a hang', async () => {
    stub.setOverride(() => true); // accept the request, never answer
    const config = testConfig((c) => {
      c.fhir.requestTimeoutMs = 200;
      c.fhir.budgetMs = 600;
    });
    const started = Date.now();
    const res = await request(buildApp({ config })).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ fhirServer: stub.base, prefetch: undefined }));
    const elapsed = Date.now() - started;
    expect(res.status).toBe(412);
    expect(elapsed).toBeLessThan(1500);
  });

  test('line 33: error responses carry no stack traces, tokens or patient data; nor do logs', async () => {
    const { lines, logger } = captureLog();
    const app = buildApp({
      logger,
      engine: () => {
        throw new Error('engine exploded');
      },
    });
    const token = 'secret-token-xyz';
    const res = await request(app)
      .post('/cds-services/iec-hs-surveillance')
      .send(patientViewRequest({ fhirServer: stub.base, fhirAuthorization: { access_token: token, token_type: 'Bearer', expires_in: 60, scope: 's', subject: 'c' } }));
    expect(res.status).toBe(500);
    expect(res.body.resourceType).toBe('OperationOutcome');
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('engine exploded');
    expect(text).not.toMatch(/\.(ts|js):\d+/);
    expect(text).not.toContain(token);
    expect(text).not.toContain(PATIENT_ID);
    const log = lines.join('\n');
    expect(log).toContain('iec-hs-surveillance');
    expect(log).not.toContain(token);
    expect(log).not.toContain(PATIENT_ID);
  });
});

describe('Feedback', () => {
  const item = (patch: Record<string, unknown> = {}) => ({
    card: CARD.uuid,
    outcome: 'accepted',
    acceptedSuggestions: [{ id: CARD.suggestions?.[0]?.uuid }],
    outcomeTimestamp: '2026-03-15T12:01:00Z',
    ...patch,
  });

  test('line 34: {"feedback":[...]} and a bare feedback object -> 200, recorded', async () => {
    const memory = memoryCardMemory();
    const app = buildApp({ cardMemory: memory });
    await request(app).post('/cds-services/iec-hs-surveillance').send(patientViewRequest());
    const wrapped = await request(app).post('/cds-services/iec-hs-surveillance/feedback').send({ feedback: [item()] });
    expect(wrapped.status).toBe(200);
    const bare = await request(app).post('/cds-services/iec-hs-surveillance/feedback').send(item({ outcome: 'overridden', acceptedSuggestions: undefined, overrideReason: { reason: { code: 'not-relevant', system: 'urn:x' } } }));
    expect(bare.status).toBe(200);
    expect(memory.feedback.map((f) => [f.serviceId, f.item.outcome])).toEqual([
      ['iec-hs-surveillance', 'accepted'],
      ['iec-hs-surveillance', 'overridden'],
    ]);
  });

  test.each([
    ['card missing', { card: undefined }],
    ['outcome not in the enum', { outcome: 'dismissed' }],
    ['outcomeTimestamp missing', { outcomeTimestamp: undefined }],
    ['outcomeTimestamp not an instant', { outcomeTimestamp: 'yesterday' }],
    ['accepted without acceptedSuggestions', { acceptedSuggestions: undefined }],
    ['accepted with an empty acceptedSuggestions', { acceptedSuggestions: [] }],
    ['acceptedSuggestions without id', { acceptedSuggestions: [{}] }],
  ])('line 35: %s -> 400, nothing recorded', async (_name, patch) => {
    const memory = memoryCardMemory();
    const body = JSON.parse(JSON.stringify({ feedback: [item(), item(patch)] }));
    const res = await request(buildApp({ cardMemory: memory })).post('/cds-services/iec-hs-surveillance/feedback').send(body);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(memory.feedback).toEqual([]);
  });

  test('line 36: duplicate feedback is accepted (200) and recorded once per distinct outcome', async () => {
    const memory = memoryCardMemory();
    const app = buildApp({ cardMemory: memory });
    for (let i = 0; i < 3; i++) {
      const res = await request(app).post('/cds-services/iec-hs-surveillance/feedback').send({ feedback: [item(), item()] });
      expect(res.status).toBe(200);
    }
    expect(memory.feedback).toHaveLength(1);
  });

  test('line 36: with the real SQLite card memory, repeats are answered 200 and stored once', async () => {
    const { createSqliteCardMemory } = await import('../../src/feedback/index.js');
    const real = await createSqliteCardMemory(':memory:', { cards: CARD_RULES, suppressHours: 24 });
    const results: string[] = [];
    const observed = { ...real, recordFeedback: async (...args: Parameters<typeof real.recordFeedback>) => {
      const r = await real.recordFeedback(...args);
      results.push(r);
      return r;
    } };
    try {
      const app = buildApp({ cardMemory: observed });
      const call = await request(app).post('/cds-services/iec-hs-surveillance').send(patientViewRequest());
      expect(call.body.cards.map((c: { uuid: string }) => c.uuid)).toEqual([CARD.uuid]);
      for (let i = 0; i < 2; i++) {
        const res = await request(app).post('/cds-services/iec-hs-surveillance/feedback').send({ feedback: [item()] });
        expect(res.status).toBe(200);
      }
      expect(results).toEqual(['recorded', 'duplicate']);
    } finally {
      await real.close();
    }
  });

  test('line 37: feedback for an unknown service id -> 404', async () => {
    const res = await request(buildApp()).post('/cds-services/nope/feedback').send({ feedback: [item()] });
    expect(res.status).toBe(404);
    expect(errorCode(res.body)).toBe('unknown-service');
  });
});

describe('CORS', () => {
  test.each([
    ['discovery', '/cds-services'],
    ['service', '/cds-services/iec-hs-surveillance'],
    ['feedback', '/cds-services/iec-hs-surveillance/feedback'],
  ])('line 46: preflight on the %s route allows GET, POST, OPTIONS and Authorization, Content-Type', async (_name, path) => {
    const res = await request(buildApp())
      .options(path)
      .set('Origin', 'http://localhost:8080')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS');
    expect(res.headers['access-control-allow-headers']).toBe('Authorization, Content-Type');
  });

  test('line 46: configured origins only; actual responses carry the CORS header too', async () => {
    const app = buildApp({ config: testConfig((c) => (c.cors.origins = ['https://ehr.example.org'])) });
    const allowed = await request(app).get('/cds-services').set('Origin', 'https://ehr.example.org');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://ehr.example.org');
    const other = await request(app).options('/cds-services').set('Origin', 'https://evil.example.org');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
