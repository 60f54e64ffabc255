/**
 * Rate limits an anonymous client cannot exhaust (issue 14), over the real app with JWT auth on:
 * anonymous and failed-auth requests are counted per client address in their own buckets, authenticated
 * requests per verified issuer; `trustProxy` decides whose address X-Forwarded-For may name.
 * docs/security.md "Rate limits" and "Behind a TLS-terminating proxy" cite this file.
 */
import request from 'supertest';
import { defaultConfig } from '../../src/config/defaults.js';
import type { AppConfig, TrustProxy } from '../../src/config/types.js';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { makeKey, sign, type TestKey } from './helpers.js';

const BASE = 'https://cds.test';
const ISS_A = 'https://ehr-a.test';
const ISS_B = 'https://ehr-b.test';
let keyA: TestKey;
let keyB: TestKey;
let forger: TestKey;

beforeAll(async () => {
  [keyA, keyB, forger] = await Promise.all([makeKey('ES384', 'a'), makeKey('ES384', 'b'), makeKey('ES384', 'a')]);
});

function app(limits: { perClient: number; perIssuer: number }, trustProxy: TrustProxy = false) {
  const config: AppConfig = defaultConfig('test');
  config.publicBaseUrl = BASE;
  config.trustProxy = trustProxy;
  config.rateLimit = { windowMs: 60_000, ...limits };
  config.auth = {
    ...config.auth,
    required: true,
    issuers: [
      { iss: ISS_A, jwks: { keys: [keyA.publicJwk] }, fhirServers: [] },
      { iss: ISS_B, jwks: { keys: [keyB.publicJwk] }, fhirServers: [] },
    ],
  };
  return createApp({ config, logger: createLogger({ level: 'silent' }) });
}

const nowSec = (): number => Math.floor(Date.now() / 1000);
const valid = (key: TestKey, iss: string) => sign(key, { claims: { iss, aud: `${BASE}/cds-services` }, nowSec: nowSec() });

async function statuses(n: number, send: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await send());
  return out;
}

test('an anonymous flood is refused with 429 and never uses up what a trusted client needs', async () => {
  const server = app({ perClient: 5, perIssuer: 100 });
  const anonymous = await statuses(20, async () => (await request(server).get('/cds-services')).status);
  expect(anonymous.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
  expect(anonymous.slice(5).every((s) => s === 429)).toBe(true);
  // Junk tokens and unknown issuers are anonymous too.
  const junk = await request(server).get('/cds-services').set('Authorization', 'Bearer a.b.c');
  expect(junk.status).toBe(429);
  const unknownIss = await request(server).get('/cds-services').set('Authorization', `Bearer ${await sign(forger, { claims: { iss: 'https://nobody.test', aud: `${BASE}/cds-services` }, nowSec: nowSec() })}`);
  expect(unknownIss.status).toBe(429);
  // Same address, valid tokens: still served.
  const trusted = await statuses(10, async () => (await request(server).get('/cds-services').set('Authorization', `Bearer ${await valid(keyA, ISS_A)}`)).status);
  expect(trusted).toEqual(Array(10).fill(200));
});

test('tokens naming a trusted issuer that fail verification have their own per-address bucket; valid ones do not use it', async () => {
  const server = app({ perClient: 3, perIssuer: 100 });
  const ok = await statuses(8, async () => (await request(server).get('/cds-services').set('Authorization', `Bearer ${await valid(keyA, ISS_A)}`)).status);
  expect(ok).toEqual(Array(8).fill(200));
  const forged = await statuses(6, async () => (await request(server).get('/cds-services').set('Authorization', `Bearer ${await valid(forger, ISS_A)}`)).status);
  expect(forged).toEqual([401, 401, 401, 429, 429, 429]);
  // The anonymous bucket is separate.
  expect((await request(server).get('/cds-services')).status).toBe(401);
});

test('authenticated requests are counted per verified issuer, separately from anonymous ones', async () => {
  const server = app({ perClient: 2, perIssuer: 3 });
  const a = await statuses(4, async () => (await request(server).get('/cds-services').set('Authorization', `Bearer ${await valid(keyA, ISS_A)}`)).status);
  expect(a).toEqual([200, 200, 200, 429]);
  expect((await request(server).get('/cds-services').set('Authorization', `Bearer ${await valid(keyB, ISS_B)}`)).status).toBe(200);
  expect((await request(server).get('/cds-services')).status).toBe(401);
});

describe('trustProxy', () => {
  const from = (server: ReturnType<typeof app>, address: string) => request(server).get('/cds-services').set('X-Forwarded-For', address);

  test('behind a trusted loopback proxy each forwarded client address has its own anonymous bucket', async () => {
    const server = app({ perClient: 2, perIssuer: 100 }, ['loopback']);
    expect([(await from(server, '203.0.113.1')).status, (await from(server, '203.0.113.1')).status, (await from(server, '203.0.113.1')).status]).toEqual([401, 401, 429]);
    expect((await from(server, '203.0.113.2')).status).toBe(401);
  });

  test('without it, X-Forwarded-For is ignored: a client cannot dodge its limit by inventing addresses', async () => {
    const server = app({ perClient: 2, perIssuer: 100 }, false);
    const out = [];
    for (let i = 0; i < 4; i++) out.push((await from(server, `203.0.113.${i + 10}`)).status);
    expect(out).toEqual([401, 401, 429, 429]);
  });

  test('a proxy outside the trusted list cannot name the client either', async () => {
    const server = app({ perClient: 1, perIssuer: 100 }, ['10.0.0.0/8']);
    expect([(await from(server, '203.0.113.20')).status, (await from(server, '203.0.113.21')).status]).toEqual([401, 429]);
  });
});
