/**
 * The CDS Hooks sandbox as it really calls (docs/cds-hooks-conformance.md#sandbox-client): order-select with its
 * invalid-R4 draft orders through the real pipeline, and its JWT shape (ES384, kid, jku, aud = the exact
 * URL called, /feedback included) against the sandbox issuer configured as docs/security.md documents it.
 * The sandbox's own private key is not used: a key generated here, in the same shape, is added to the
 * documented inline JWKS.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { IssuerConfig } from '../../src/config/types.js';
import { realEngine } from '../../src/server/engine.js';
import { checkCdsResponse } from '../../src/server/schemas/response.js';
import { makeKey, sign, type TestKey } from '../security/helpers.js';
import { buildApp, fullPrefetch, PATIENT_ID, testConfig } from './helpers/testApp.js';

const SANDBOX_ISS = 'https://sandbox.cds-hooks.org';
const SANDBOX_JKU = 'https://sandbox.cds-hooks.org/.well-known/jwks.json';

/** The sandbox's order-select request: top-level keys exactly these, no Bundle.type, fixed order ids. */
function sandboxOrderSelect(selection: string, draft: Record<string, unknown>): Record<string, unknown> {
  return {
    hookInstance: randomUUID(),
    hook: 'order-select',
    fhirServer: 'http://localhost:3000/fhir',
    context: { patientId: PATIENT_ID, userId: 'Practitioner/COREPRACTITIONER1', selections: [selection], draftOrders: { resourceType: 'Bundle', entry: [{ resource: draft }] } },
    prefetch: fullPrefetch(),
  };
}

const rxViewAtLoad = { resourceType: 'MedicationRequest', id: 'request-123', status: 'draft', subject: { reference: `Patient/${PATIENT_ID}` }, authoredOn: '2026-03-15' };
const rxViewWithMedication = {
  ...rxViewAtLoad,
  intent: 'order',
  dosageInstruction: [{ timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } }, doseAndRate: [{ doseQuantity: { value: 1, system: 'http://unitsofmeasure.org', code: '{pill}' } }] }],
  dispenseRequest: { expectedSupplyDuration: { value: 7, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' } },
  // Single objects, not arrays: what the sandbox sends (invalid R4).
  category: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category', code: 'community' }] },
  reasonCode: { coding: [{ system: 'http://snomed.info/sct', code: '38341003' }], text: 'Hypertension' },
  medicationCodeableConcept: { text: 'Dexamethasone 4 MG Oral Tablet', coding: [{ display: 'Dexamethasone 4 MG Oral Tablet', system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '197579' }] },
};
const pamaAtLoad = { resourceType: 'ServiceRequest', id: 'example-request-id', status: 'draft', intent: 'plan', code: { coding: [{}] }, subject: { reference: `Patient/${PATIENT_ID}` }, reasonCode: [] };

describe('order-select with the sandbox draft orders, real pipeline', () => {
  test.each([
    ['Rx View at load (no medication, no intent)', 'MedicationRequest/request-123', rxViewAtLoad],
    ['Rx View with a medication (reasonCode and category as single objects)', 'MedicationRequest/request-123', rxViewWithMedication],
    ['PAMA at load (code.coding [{}], reasonCode [])', 'ServiceRequest/example-request-id', pamaAtLoad],
  ])('%s -> 200 with a valid response', async (_name, selection, draft) => {
    const res = await request(buildApp({ engine: realEngine })).post('/cds-services/iec-hs-order-select').send(sandboxOrderSelect(selection, draft));
    expect(res.status).toBe(200);
    expect(checkCdsResponse(res.body)).toEqual([]);
  });
});

describe('sandbox-style JWT with the documented sandbox issuer', () => {
  let key: TestKey;
  let issuer: IssuerConfig;
  const BASE = 'http://localhost:3000';

  beforeAll(async () => {
    key = await makeKey('ES384', randomUUID());
    const doc = fs.readFileSync(path.resolve('docs', 'security.md'), 'utf8');
    const example = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] ?? '{}') as { auth: { issuers: IssuerConfig[] } })[1];
    const documented = example?.auth.issuers[0];
    if (!documented?.jwks) throw new Error('docs/security.md: sandbox example with inline jwks not found');
    expect(documented).toMatchObject({ iss: SANDBOX_ISS, algorithms: ['ES384'], jkuAllowlist: [SANDBOX_JKU] });
    issuer = { ...documented, jwks: { keys: [...documented.jwks.keys, key.publicJwk] } };
  });

  function app() {
    return buildApp({
      engine: realEngine,
      config: testConfig((c) => {
        c.publicBaseUrl = BASE;
        c.auth.required = true;
        c.auth.issuers = [issuer];
      }),
    });
  }

  /** Header and claims exactly as the sandbox sends them: no sub, no tenant, exp = iat + 300. */
  function sandboxToken(aud: string, header: Record<string, unknown> = {}): Promise<string> {
    return sign(key, { nowSec: Math.floor(Date.now() / 1000), header: { jku: SANDBOX_JKU, ...header }, claims: { iss: SANDBOX_ISS, aud, jti: randomUUID() } });
  }

  test('discovery, service call and feedback each accept a token whose aud is that exact URL', async () => {
    const a = app();
    const discovery = await request(a).get('/cds-services').set('Authorization', `Bearer ${await sandboxToken(`${BASE}/cds-services`)}`);
    expect(discovery.status).toBe(200);

    const service = `${BASE}/cds-services/iec-hs-order-select`;
    const call = await request(a)
      .post('/cds-services/iec-hs-order-select')
      .set('Authorization', `Bearer ${await sandboxToken(service)}`)
      .send(sandboxOrderSelect('ServiceRequest/example-request-id', pamaAtLoad));
    expect(call.status).toBe(200);

    const feedback = await request(a)
      .post('/cds-services/iec-hs-order-select/feedback')
      .set('Authorization', `Bearer ${await sandboxToken(`${service}/feedback`)}`)
      .send({ feedback: [{ card: randomUUID(), outcome: 'overridden', outcomeTimestamp: new Date().toISOString() }] });
    expect(feedback.status).toBe(200);
  });

  test.each([
    ['aud of the service URL used on /feedback', `${BASE}/cds-services/iec-hs-order-select`, {}],
    ['jku not on the allowlist', `${BASE}/cds-services/iec-hs-order-select/feedback`, { jku: 'https://evil.example.org/jwks.json' }],
  ])('refused: %s', async (_name, aud, header) => {
    const res = await request(app())
      .post('/cds-services/iec-hs-order-select/feedback')
      .set('Authorization', `Bearer ${await sandboxToken(aud, header)}`)
      .send({ feedback: [{ card: randomUUID(), outcome: 'overridden', outcomeTimestamp: new Date().toISOString() }] });
    expect(res.status).toBe(401);
  });

  test('the preflight the sandbox sends needs no token', async () => {
    const res = await request(app())
      .options('/cds-services/iec-hs-order-select/feedback')
      .set('Origin', 'http://localhost:8080')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
  });
});
