/**
 * The SMART app in the `npm run serve` composition (production configuration, JWT required, no demo
 * routes): its pages, bundle and launch settings answer 200; nothing demo-only is mounted or listed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadServerConfig, startService, type RunningServer } from '../../src/cli/runtime.js';
import { createLogger } from '../../src/server/logger.js';
import { buildApp } from '../../scripts/build-app.js';
import { makeKey, sign, type TestKey } from '../security/helpers.js';

const PUBLIC_BASE = 'https://cds.example.org';
const ISSUER = 'https://ehr.example.org';
let service: RunningServer;
let key: TestKey;
let dir: string;

beforeAll(async () => {
  await buildApp();
  key = await makeKey('ES384', 'k1');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iec-hs-serve-'));
  const configFile = path.join(dir, 'config.json');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      publicBaseUrl: PUBLIC_BASE,
      cors: { origins: ['https://ehr.example.org'] },
      auth: { issuers: [{ iss: ISSUER, jwks: { keys: [key.publicJwk] }, fhirServers: ['https://ehr.example.org/fhir'], algorithms: ['ES384'] }] },
    }),
  );
  const config = loadServerConfig('production', {
    CONFIG_FILE: configFile,
    FEEDBACK_HMAC_KEY: 'k'.repeat(64),
    FEEDBACK_DB: ':memory:',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SMART_CLIENT_ID: 'client-registered-at-the-ehr',
    METRICS_TOKEN: 'm'.repeat(40),
  });
  expect(config.mode).toBe('production');
  service = await startService(config, { logger: createLogger({ level: 'silent' }) });
}, 60_000);

afterAll(async () => {
  await service?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const url = (p: string): string => `http://127.0.0.1:${new URL(service.baseUrl).port}${p}`;

describe('npm run serve composition', () => {
  test.each([
    ['/app/launch.html', /text\/html/],
    ['/app/index.html', /text\/html/],
    ['/app/app.css', /text\/css/],
    ['/app/launch.js', /javascript/],
    ['/app/app.js', /javascript/],
    ['/app/config.json', /application\/json/],
  ])('%s answers 200 without demo mode', async (p, type) => {
    const res = await fetch(url(p));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(type);
    const csp = res.headers.get('content-security-policy') ?? '';
    // No inline script anywhere; FHIR and token endpoints of the EHR are https origins.
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("connect-src 'self' https:");
    expect(csp).not.toContain('unsafe');
  });

  test('the pages load only same-origin scripts and the bundle holds the engine', async () => {
    const html = await (await fetch(url('/app/index.html'))).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect([...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1])).toEqual(['app.js']);
    const bundle = await (await fetch(url('/app/app.js'))).text();
    expect(bundle).toContain('hscore-organomegaly'); // the criteria code is in the page, not on the server
  });

  test('launch settings hold no secrets and no patient data', async () => {
    const body = (await (await fetch(url('/app/config.json'))).json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['clientId', 'scope', 'thresholds']);
    expect(body).toMatchObject({ clientId: 'client-registered-at-the-ehr' });
    expect(body.scope).toMatch(/patient\/Observation\.rs/);
  });

  test.each([
    ['GET', '/fhir/.well-known/smart-configuration'],
    ['GET', '/.well-known/smart-configuration'],
    ['GET', '/smart-demo/authorize?response_type=code'],
    ['POST', '/smart-demo/token'],
    ['POST', '/fhir/_services/smart/Launch'],
    ['GET', '/fhir/metadata'],
    ['GET', '/demo/api/patients'],
    ['GET', '/timeline.html'],
  ])('demo-only route %s %s is not mounted', async (method, p) => {
    const res = await fetch(url(p), { method });
    expect(res.status).toBe(404);
  });

  test('CDS discovery (with a valid JWT) lists the two services and nothing demo-only', async () => {
    const token = await sign(key, { nowSec: Math.floor(Date.now() / 1000), claims: { iss: ISSUER, sub: 'client', aud: `${PUBLIC_BASE}/cds-services` } });
    const res = await fetch(url('/cds-services'), { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as { services: { id: string }[] };
    expect(body.services.map((s) => s.id).sort()).toEqual(['iec-hs-order-select', 'iec-hs-surveillance']);
    expect(text).not.toMatch(/demo|smart-demo|localhost|127\.0\.0\.1/i);
    // Without a JWT, production refuses discovery.
    expect((await fetch(url('/cds-services'))).status).toBe(401);
  });
});
