/**
 * The hardening of src/security/hardening.ts as createApp wires it (docs/security.md "Wiring"): headers
 * on every answer, CORS preflights answered on every route before any limit or auth, per-client and
 * per-issuer rate limits, the JSON depth limit, the request deadline. Each test fails if its middleware
 * is not mounted, or mounted in the wrong place.
 */
import request from 'supertest';
import { ERROR_CODE_SYSTEM } from '../../src/http/outcomes.js';
import type { AppConfig } from '../../src/config/types.js';
import { makeKey, sign, type TestKey } from '../security/helpers.js';
import { startFhirStub } from './helpers/fhirStub.js';
import { buildApp, captureLog, patientViewRequest, testConfig } from './helpers/testApp.js';

const code = (body: { issue?: { details?: { coding?: { system: string; code: string }[] } }[] }) =>
  body.issue?.[0]?.details?.coding?.find((c) => c.system === ERROR_CODE_SYSTEM)?.code;

const ROUTES: [string, string][] = [
  ['discovery', '/cds-services'],
  ['service', '/cds-services/iec-hs-surveillance'],
  ['feedback', '/cds-services/iec-hs-surveillance/feedback'],
  ['source attributes', '/cds-services/iec-hs-surveillance/source-attributes'],
  ['unknown service', '/cds-services/nope'],
  ['unknown path', '/nowhere'],
];

describe('security headers (helmet) on every answer', () => {
  test.each([
    ['discovery 200', (app: ReturnType<typeof buildApp>) => request(app).get('/cds-services'), 200],
    ['404 OperationOutcome', (app: ReturnType<typeof buildApp>) => request(app).get('/nowhere'), 404],
    ['400 OperationOutcome', (app: ReturnType<typeof buildApp>) => request(app).post('/cds-services/iec-hs-surveillance').send({}), 400],
  ])('%s', async (_name, call, status) => {
    const res = await call(buildApp());
    expect(res.status).toBe(status);
    const csp = String(res.headers['content-security-policy']);
    // The demo page loads its scripts from this origin and exports charts as data: images.
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('nothing that blocks a cross-origin CORS client: no COEP, CORS headers next to CORP', async () => {
    const res = await request(buildApp()).get('/cds-services').set('Origin', 'http://localhost:8080');
    // CORP governs only no-cors loads; the sandbox fetches in CORS mode (checked in a real browser in test/browser).
    expect(res.headers['cross-origin-embedder-policy']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('CORS preflight on every route, before rate limits and auth', () => {
  const strict = () =>
    buildApp({
      config: testConfig((c) => {
        c.rateLimit = { windowMs: 60_000, perClient: 1, perIssuer: 1 };
        c.auth.required = true;
      }),
    });

  test.each(ROUTES)('%s (%s): 204 with the allowed methods and headers', async (_name, path) => {
    const app = strict();
    await request(app).get('/cds-services'); // uses up the per-client limit (answered 401)
    const res = await request(app)
      .options(path)
      .set('Origin', 'http://localhost:8080')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-headers']).toBe('Authorization, Content-Type');
    expect(res.headers['content-security-policy']).toBeDefined();
  });
});

describe('rate limits', () => {
  test('per client: the request over the limit gets 429, a readable OperationOutcome with CORS headers', async () => {
    const app = buildApp({ config: testConfig((c) => (c.rateLimit = { windowMs: 60_000, perClient: 2, perIssuer: 0 })) });
    for (let i = 0; i < 2; i++) expect((await request(app).get('/cds-services')).status).toBe(200);
    const res = await request(app).post('/cds-services/iec-hs-surveillance').set('Origin', 'http://localhost:8080').send(patientViewRequest());
    expect(res.status).toBe(429);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(code(res.body)).toBe('rate-limited');
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  describe('per issuer (after JWT verification)', () => {
    let key: TestKey;
    beforeAll(async () => {
      key = await makeKey('ES384', 'issuer-key');
    });
    const ISS = 'https://ehr.test.example';
    const withAuth = (perIssuer: number) =>
      testConfig((c: AppConfig) => {
        c.publicBaseUrl = 'http://cds.test.example';
        c.auth.required = true;
        c.auth.issuers = [{ iss: ISS, jwks: { keys: [key.publicJwk] }, fhirServers: [] }];
        c.rateLimit = { windowMs: 60_000, perClient: 100, perIssuer };
      });
    const token = () => sign(key, { nowSec: Math.floor(Date.now() / 1000), claims: { iss: ISS, aud: 'http://cds.test.example/cds-services' } });

    test('the issuer over its limit gets 429; refused tokens do not count against it', async () => {
      const app = buildApp({ config: withAuth(2) });
      for (let i = 0; i < 3; i++) expect((await request(app).get('/cds-services').set('Authorization', 'Bearer not.a.jwt')).status).toBe(401);
      for (let i = 0; i < 2; i++) expect((await request(app).get('/cds-services').set('Authorization', `Bearer ${await token()}`)).status).toBe(200);
      const res = await request(app).get('/cds-services').set('Authorization', `Bearer ${await token()}`);
      expect(res.status).toBe(429);
      expect(code(res.body)).toBe('rate-limited');
    });

    test('0 turns the per-issuer limit off', async () => {
      const app = buildApp({ config: withAuth(0) });
      for (let i = 0; i < 4; i++) expect((await request(app).get('/cds-services').set('Authorization', `Bearer ${await token()}`)).status).toBe(200);
    });
  });
});

describe('JSON depth limit after parsing', () => {
  function deep(levels: number): unknown {
    let value: unknown = {};
    for (let i = 1; i < levels; i++) value = { a: value };
    return value;
  }

  test.each([
    ['service', '/cds-services/iec-hs-surveillance'],
    ['feedback', '/cds-services/iec-hs-surveillance/feedback'],
  ])('%s: a body one level over maxJsonDepth -> 400 json-too-deep; at the limit it is parsed normally', async (_name, path) => {
    const app = buildApp({ config: testConfig((c) => (c.maxJsonDepth = 20)) });
    const over = await request(app).post(path).send({ hook: 'patient-view', extension: deep(20) });
    expect(over.status).toBe(400);
    expect(code(over.body)).toBe('json-too-deep');
    const at = await request(app).post(path).send({ hook: 'patient-view', extension: deep(19) });
    expect(at.status).toBe(400);
    expect(code(at.body)).toBe('invalid-request');
  });
});

describe('request deadline', () => {
  test('a hook call still waiting on FHIR at requestTimeoutMs gets 503 request-timeout; the late answer is dropped quietly', async () => {
    const stub = await startFhirStub([]);
    stub.setOverride(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 600));
      res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [] }));
      return true;
    });
    const { lines, logger } = captureLog();
    const app = buildApp({
      logger,
      config: testConfig((c) => {
        c.requestTimeoutMs = 200;
        c.fhir.requestTimeoutMs = 2_000;
        c.fhir.budgetMs = 3_000;
        c.fhir.retries = 0;
      }),
    });
    try {
      const started = Date.now();
      const res = await request(app).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ prefetch: undefined, fhirServer: stub.base }));
      expect(res.status).toBe(503);
      expect(code(res.body)).toBe('request-timeout');
      expect(res.headers['retry-after']).toBe('1');
      expect(Date.now() - started).toBeLessThan(600);
      await new Promise((r) => setTimeout(r, 900)); // the handler finishes after the stub answers
      expect(lines.filter((l) => l.includes('unhandled error'))).toEqual([]);
      expect((await request(app).get('/cds-services')).status).toBe(200);
    } finally {
      await stub.close();
    }
  });
});
