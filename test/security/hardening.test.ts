/** Security headers, rate limits, JSON depth limit and request timeout (all answers OperationOutcomes). */
import express from 'express';
import request from 'supertest';
import { defaultConfig } from '../../src/config/defaults.js';
import type { AppConfig } from '../../src/config/types.js';
import { jsonDepthLimit, perClientRateLimit, perIssuerRateLimit, REQUEST_SIGNAL_KEY, requestTimeout, securityHeaders, withinJsonDepth } from '../../src/security/hardening.js';
import { AUTH_LOCALS_KEY } from '../../src/security/jwt.js';

function config(patch: (c: AppConfig) => void = () => undefined): AppConfig {
  const c = defaultConfig('test');
  patch(c);
  return c;
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

describe('JSON depth', () => {
  test.each([
    [0, 0, true],
    [1, 1, true],
    [64, 64, true],
    [65, 64, false],
    [5, 4, false],
  ])('depth %i with limit %i -> within=%s', (depth, limit, within) => {
    expect(withinJsonDepth(nested(depth), limit)).toBe(within);
  });

  test('a very deep body does not overflow the stack', () => {
    expect(withinJsonDepth(nested(200_000), 64)).toBe(false);
  });

  test('middleware: 400 OperationOutcome over the limit, passes at the limit', async () => {
    const app = express();
    app.use(express.json({ limit: '1mb' }), jsonDepthLimit(10));
    app.post('/', (_req, res) => res.json({ ok: true }));
    const over = await request(app).post('/').send(nested(11) as object);
    expect(over.status).toBe(400);
    expect(over.body.resourceType).toBe('OperationOutcome');
    expect(over.body.issue[0].details.coding[0].code).toBe('json-too-deep');
    expect((await request(app).post('/').send(nested(10) as object)).status).toBe(200);
  });
});

describe('headers, deadline and per-client limit in front of a route', () => {
  function hardenedApp(c: AppConfig) {
    const app = express();
    app.disable('x-powered-by');
    app.use(securityHeaders(), requestTimeout(c.requestTimeoutMs), perClientRateLimit(c));
    app.use(express.json(), jsonDepthLimit(c.maxJsonDepth));
    app.get('/cds-services', (_req, res) => res.json({ services: [] }));
    return app;
  }

  test('security headers: CSP self only, nosniff, no framing, no x-powered-by', async () => {
    const res = await request(hardenedApp(config())).get('/cds-services');
    expect(res.status).toBe(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:\/\//);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('per-client rate limit: 429 OperationOutcome once the limit is used up', async () => {
    const app = hardenedApp(config((c) => (c.rateLimit = { windowMs: 60_000, perClient: 3, perIssuer: 0 })));
    for (let i = 0; i < 3; i++) expect((await request(app).get('/cds-services')).status).toBe(200);
    const res = await request(app).get('/cds-services');
    expect(res.status).toBe(429);
    expect(res.body.issue[0]).toMatchObject({ code: 'throttled', details: { coding: [{ code: 'rate-limited' }] } });
  });

  test('perClient 0 turns the limit off (benchmarks)', async () => {
    const app = hardenedApp(config((c) => (c.rateLimit = { windowMs: 60_000, perClient: 0, perIssuer: 0 })));
    for (let i = 0; i < 5; i++) expect((await request(app).get('/cds-services')).status).toBe(200);
  });
});

describe('per-issuer rate limit', () => {
  test('counts per verified issuer; unauthenticated calls are not counted', async () => {
    const app = express();
    app.use((req, res, next) => {
      const iss = req.get('x-test-iss');
      if (iss) (res.locals as Record<string, unknown>)[AUTH_LOCALS_KEY] = { issuer: { iss, fhirServers: [] }, claims: {} };
      next();
    });
    app.use(perIssuerRateLimit(config((c) => (c.rateLimit = { windowMs: 60_000, perClient: 0, perIssuer: 2 }))));
    app.get('/', (_req, res) => res.json({}));
    const as = (iss?: string) => (iss ? request(app).get('/').set('x-test-iss', iss) : request(app).get('/'));
    expect((await as('a')).status).toBe(200);
    expect((await as('a')).status).toBe(200);
    expect((await as('a')).status).toBe(429);
    expect((await as('b')).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await as()).status).toBe(200);
  });
});

describe('request timeout', () => {
  test('a handler that never answers gets a 503 OperationOutcome and its signal aborts', async () => {
    const app = express();
    let signal: AbortSignal | undefined;
    app.use(requestTimeout(100));
    app.get('/hang', (_req, res) => {
      signal = (res.locals as Record<string, unknown>)[REQUEST_SIGNAL_KEY] as AbortSignal;
    });
    const started = Date.now();
    const res = await request(app).get('/hang');
    expect(res.status).toBe(503);
    expect(res.body.issue[0]).toMatchObject({ code: 'timeout', details: { coding: [{ code: 'request-timeout' }] } });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(signal?.aborted).toBe(true);
  });

  test('a fast answer is untouched and the timer is cleared', async () => {
    const app = express();
    let signal: AbortSignal | undefined;
    app.use(requestTimeout(100));
    app.get('/', (_req, res) => {
      signal = (res.locals as Record<string, unknown>)[REQUEST_SIGNAL_KEY] as AbortSignal;
      res.json({ ok: true });
    });
    expect((await request(app).get('/')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 150));
    expect(signal?.aborted).toBe(false);
  });
});
