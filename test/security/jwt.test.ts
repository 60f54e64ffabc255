/**
 * JWT verification, one block per CDS Hooks conformance docs/cds-hooks-conformance.md#checklist line 38-45
 * (docs/cds-hooks-conformance.md#security). Tokens are signed here with keys made for this run;
 * JWKS are served from 127.0.0.1.
 */
import { createHmac } from 'node:crypto';
import { jest } from '@jest/globals';
import express from 'express';
import { exportSPKI, importJWK } from 'jose';
import request from 'supertest';
import type { AppConfig, IssuerConfig } from '../../src/config/types.js';
import { AUTH_LOCALS_KEY, createJwtAuth, verifiedCaller, type JwtAuthDeps } from '../../src/security/jwt.js';
import { MemoryReplayStore } from '../../src/security/replayStore.js';
import { b64url, makeKey, memoryLogger, sign, startJwksServer, type CountingServer, type TestKey } from './helpers.js';

const BASE = 'https://cds.example.org';
const DISCOVERY = `${BASE}/cds-services`;
const SERVICE = `${BASE}/cds-services/iec-hs-surveillance`;
const FEEDBACK = `${SERVICE}/feedback`;
const ISS = 'https://ehr.example.org';
const JKU_ISS = 'https://rotating.example.org';

let es: TestKey;
let rs: TestKey;
let es256: TestKey;
let rotated: TestKey;
let stranger: TestKey;
let jwks: CountingServer;
let foreignJwks: CountingServer;
let nowMs: number;
const nowSec = (): number => Math.floor(nowMs / 1000);

beforeAll(async () => {
  [es, rs, es256, rotated, stranger] = await Promise.all([
    makeKey('ES384', 'es-1'),
    makeKey('RS384', 'rs-1'),
    makeKey('ES256', 'es256-1'),
    makeKey('ES384', 'es-2'),
    makeKey('ES384', 'es-1'), // same kid as `es`, different key: only the allowlisted set may vouch for it
  ]);
  jwks = await startJwksServer({ keys: [es.publicJwk, rs.publicJwk] });
  foreignJwks = await startJwksServer({ keys: [stranger.publicJwk] });
});

afterAll(async () => {
  await jwks.close();
  await foreignJwks.close();
});

beforeEach(() => {
  nowMs = Date.UTC(2026, 0, 15, 12, 0, 0);
  jwks.hits = 0;
  foreignJwks.hits = 0;
  jwks.body = { keys: [es.publicJwk, rs.publicJwk] };
});

function auth(issuers: IssuerConfig[], overrides: Partial<AppConfig['auth']> = {}): AppConfig['auth'] {
  return { required: true, issuers, clockSkewSec: 60, maxTokenLifetimeSec: 3600, ...overrides };
}

/** Issuer with inline keys (sandbox style) and issuer with a jku allowlist (Epic style). */
function issuers(): IssuerConfig[] {
  return [
    { iss: ISS, jwks: { keys: [es.publicJwk, rs.publicJwk] as Record<string, unknown>[] }, fhirServers: ['https://fhir.example.org/r4'], tenants: ['org-a', 'org-b'] },
    { iss: JKU_ISS, jkuAllowlist: [jwks.url], fhirServers: [], audiences: ['https://configured.example.org/cds'] },
  ];
}

function app(authConfig: AppConfig['auth'], deps: Partial<JwtAuthDeps> = {}) {
  const { logger, lines } = memoryLogger();
  const replayStore = new MemoryReplayStore();
  // The test key servers listen on loopback, which the JWKS address guard allows in demo/test only.
  const mw = createJwtAuth(authConfig, { logger, publicBaseUrl: BASE, clock: () => nowMs, replayStore, jwksGuard: { allowLoopback: true }, ...deps });
  const a = express();
  const ok = (_req: express.Request, res: express.Response) => {
    const caller = verifiedCaller(res);
    res.json({ iss: caller?.issuer.iss, tenant: caller?.tenant, jti: caller?.claims.jti });
  };
  a.get('/cds-services', mw, ok);
  a.post('/cds-services/:id', mw, ok);
  a.post('/cds-services/:id/feedback', mw, ok);
  return { app: a, lines };
}

const tenantOk = { tenant: 'org-a' };

function get(a: express.Express, token?: string, path = '/cds-services') {
  const r = request(a).get(path);
  return token === undefined ? r : r.set('Authorization', `Bearer ${token}`);
}

function post(a: express.Express, path: string, token: string) {
  return request(a).post(path).set('Authorization', `Bearer ${token}`).send({});
}

async function expectUnauthorized(res: request.Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe('Bearer');
  // No detail: the body is the same generic OperationOutcome for every reason.
  expect(res.body).toEqual({
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'login', details: { coding: [{ system: 'urn:iec-hs-cds:error', code: 'unauthorized' }], text: 'Unauthorized' } }],
  });
}

function lastReason(lines: string[]): string | undefined {
  const rejected = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'jwt-rejected');
  return rejected[rejected.length - 1]?.reason as string | undefined;
}

describe('checklist 38: no Authorization: Bearer -> 401 without a reason', () => {
  test.each([
    ['no header', undefined],
    ['empty bearer', ''],
    ['not a JWT', 'abc'],
  ])('%s', async (_label, token) => {
    const { app: a, lines } = app(auth(issuers()));
    await expectUnauthorized(await get(a, token));
    expect(lastReason(lines)).toMatch(/no-bearer-token|malformed-token/);
  });

  test('Basic scheme is refused', async () => {
    const { app: a } = app(auth(issuers()));
    await expectUnauthorized(await request(a).get('/cds-services').set('Authorization', 'Basic dXNlcjpwYXNz'));
  });

  test('auth.required false lets calls through without res.locals.auth (demo/test only)', async () => {
    const { app: a } = app(auth(issuers(), { required: false }));
    const res = await get(a);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });
});

describe('checklist 39: alg none or HS* -> 401', () => {
  const claims = () => ({ iss: ISS, aud: DISCOVERY, iat: nowSec(), exp: nowSec() + 300, jti: crypto.randomUUID(), ...tenantOk });

  test('alg none (unsigned)', async () => {
    const { app: a, lines } = app(auth(issuers()));
    const token = `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid: 'es-1' }))}.${b64url(JSON.stringify(claims()))}.`;
    await expectUnauthorized(await get(a, token));
    expect(lastReason(lines)).toBe('alg-not-allowed');
  });

  test.each([
    ['SPKI PEM of the RS384 key', async () => exportSPKI((await importJWK(rs.publicJwk, 'RS384', { extractable: true })) as never)],
    ['JWK JSON of the ES384 key', async () => JSON.stringify(es.publicJwk)],
  ])('HS256 signed with the public key as HMAC secret (%s)', async (_label, secret) => {
    const { app: a, lines } = app(auth(issuers()));
    const signingInput = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'rs-1' }))}.${b64url(JSON.stringify(claims()))}`;
    const mac = createHmac('sha256', await secret()).update(signingInput).digest('base64url');
    await expectUnauthorized(await get(a, `${signingInput}.${mac}`));
    expect(lastReason(lines)).toBe('alg-not-allowed');
  });

  test('ES256 is refused unless the issuer lists it, then accepted', async () => {
    const inline = { keys: [es256.publicJwk] as Record<string, unknown>[] };
    const token = () => sign(es256, { nowSec: nowSec(), claims: { iss: ISS, aud: DISCOVERY } });
    const strict = app(auth([{ iss: ISS, jwks: inline, fhirServers: [] }]));
    await expectUnauthorized(await get(strict.app, await token()));
    expect(lastReason(strict.lines)).toBe('alg-not-allowed');
    const relaxed = app(auth([{ iss: ISS, jwks: inline, fhirServers: [], algorithms: ['ES256'] }]));
    expect((await get(relaxed.app, await token())).status).toBe(200);
  });
});

describe('checklist 40: iss or jku not allowlisted -> 401; JWKS fetched only from allowlisted jku', () => {
  test('iss not on the allowlist', async () => {
    const { app: a, lines } = app(auth(issuers()));
    await expectUnauthorized(await get(a, await sign(es, { nowSec: nowSec(), claims: { iss: 'https://evil.example.org', aud: DISCOVERY } })));
    expect(lastReason(lines)).toBe('iss-not-allowed');
  });

  test('jku not allowlisted: refused and the foreign JWKS server never hears from us', async () => {
    const { app: a, lines } = app(auth(issuers()));
    const token = await sign(stranger, { nowSec: nowSec(), header: { jku: foreignJwks.url }, claims: { iss: JKU_ISS, aud: DISCOVERY } });
    await expectUnauthorized(await get(a, token));
    expect(lastReason(lines)).toBe('jku-not-allowed');
    expect(foreignJwks.hits).toBe(0);
    expect(jwks.hits).toBe(0);
  });

  test('issuer with inline keys: a foreign jku is refused too (not fetched)', async () => {
    const { app: a } = app(auth(issuers()));
    const token = await sign(stranger, { nowSec: nowSec(), header: { jku: foreignJwks.url }, claims: { iss: ISS, aud: DISCOVERY, ...tenantOk } });
    await expectUnauthorized(await get(a, token));
    expect(foreignJwks.hits).toBe(0);
  });

  test('allowlisted jku: keys fetched from it, cached across calls', async () => {
    const { app: a } = app(auth(issuers()));
    for (let i = 0; i < 3; i++) {
      const token = await sign(es, { nowSec: nowSec(), header: { jku: jwks.url }, claims: { iss: JKU_ISS, aud: DISCOVERY } });
      expect((await get(a, token)).status).toBe(200);
    }
    expect(jwks.hits).toBe(1);
  });

  test('no jku and no inline keys: nothing to verify with -> 401', async () => {
    const { app: a, lines } = app(auth(issuers()));
    await expectUnauthorized(await get(a, await sign(es, { nowSec: nowSec(), claims: { iss: JKU_ISS, aud: DISCOVERY } })));
    expect(lastReason(lines)).toBe('kid-unknown');
  });

  test('unreachable JWKS -> 401 within the fetch bound', async () => {
    const fetchJwks = jest.fn(() => Promise.reject(new Error('down')));
    const { app: a, lines } = app(auth(issuers()), { fetchJwks });
    const token = await sign(es, { nowSec: nowSec(), header: { jku: jwks.url }, claims: { iss: JKU_ISS, aud: DISCOVERY } });
    await expectUnauthorized(await get(a, token));
    expect(lastReason(lines)).toBe('jwks-unavailable');
    // A second token inside the cool-down does not hammer the key server.
    await expectUnauthorized(await get(a, await sign(es, { nowSec: nowSec(), header: { jku: jwks.url }, claims: { iss: JKU_ISS, aud: DISCOVERY } })));
    expect(fetchJwks).toHaveBeenCalledTimes(1);
  });
});

describe('checklist 41: key by kid; ES384 and RS384 accepted; unknown kid -> one refresh', () => {
  test.each([
    ['ES384', () => es],
    ['RS384', () => rs],
  ])('%s signed token accepted (inline and via jku)', async (_alg, key) => {
    const { app: a } = app(auth(issuers()));
    const inline = await sign(key(), { nowSec: nowSec(), claims: { iss: ISS, aud: DISCOVERY, ...tenantOk } });
    expect((await get(a, inline)).status).toBe(200);
    const viaJku = await sign(key(), { nowSec: nowSec(), header: { jku: jwks.url }, claims: { iss: JKU_ISS, aud: DISCOVERY } });
    expect((await get(a, viaJku)).status).toBe(200);
  });

  test('signature by another key with the same kid -> 401', async () => {
    const { app: a, lines } = app(auth(issuers()));
    await expectUnauthorized(await get(a, await sign(stranger, { nowSec: nowSec(), claims: { iss: ISS, aud: DISCOVERY, ...tenantOk } })));
    expect(lastReason(lines)).toBe('bad-signature');
  });

  test('tampered payload -> 401', async () => {
    const { app: a } = app(auth(issuers()));
    const [h, , s] = (await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud: DISCOVERY, ...tenantOk } })).split('.');
    const forged = b64url(JSON.stringify({ iss: ISS, aud: DISCOVERY, iat: nowSec(), exp: nowSec() + 300, jti: 'x', tenant: 'org-b' }));
    await expectUnauthorized(await get(a, `${h}.${forged}.${s}`));
  });

  test('unknown kid: one refresh, then 401; no second refresh inside the cool-down', async () => {
    const { app: a, lines } = app(auth(issuers()));
    const token = (key: TestKey) => sign(key, { nowSec: nowSec(), header: { jku: jwks.url }, claims: { iss: JKU_ISS, aud: DISCOVERY } });
    expect((await get(a, await token(es))).status).toBe(200);
    expect(jwks.hits).toBe(1);
    nowMs += 31_000;
    await expectUnauthorized(await get(a, await token(rotated)));
    expect(lastReason(lines)).toBe('kid-unknown');
    expect(jwks.hits).toBe(2);
    nowMs += 1_000;
    await expectUnauthorized(await get(a, await token(rotated)));
    expect(jwks.hits).toBe(2);
  });

  test('rotated key published at the jku: the refresh picks it up', async () => {
    const { app: a } = app(auth(issuers()));
    const token = (key: TestKey) => sign(key, { nowSec: nowSec(), header: { jku: jwks.url }, claims: { iss: JKU_ISS, aud: DISCOVERY } });
    expect((await get(a, await token(es))).status).toBe(200);
    jwks.body = { keys: [rotated.publicJwk] };
    nowMs += 31_000;
    expect((await get(a, await token(rotated))).status).toBe(200);
    expect(jwks.hits).toBe(2);
  });

  test('token without kid -> 401', async () => {
    const { app: a, lines } = app(auth(issuers()));
    await expectUnauthorized(await get(a, await sign(es, { nowSec: nowSec(), header: { kid: undefined }, claims: { iss: ISS, aud: DISCOVERY, ...tenantOk } })));
    expect(lastReason(lines)).toBe('kid-missing');
  });
});

describe('checklist 42: aud must hold the exact URL called or a configured audience', () => {
  test.each([
    ['discovery', 'get', '/cds-services', DISCOVERY],
    ['service', 'post', '/cds-services/iec-hs-surveillance', SERVICE],
    ['feedback', 'post', '/cds-services/iec-hs-surveillance/feedback', FEEDBACK],
  ])('%s: aud = exact URL accepted, a sibling URL refused', async (_label, method, path, url) => {
    const { app: a, lines } = app(auth(issuers()));
    const call = async (aud: string) => {
      const token = await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud, ...tenantOk } });
      return method === 'get' ? get(a, token, path) : post(a, path, token);
    };
    expect((await call(url)).status).toBe(200);
    const wrong = url === DISCOVERY ? SERVICE : DISCOVERY;
    await expectUnauthorized(await call(wrong));
    expect(lastReason(lines)).toBe('aud-mismatch');
  });

  test.each([
    ['trailing slash', `${DISCOVERY}/`],
    ['other host', 'https://other.example.org/cds-services'],
    ['http instead of https', 'http://cds.example.org/cds-services'],
  ])('near miss refused: %s', async (_label, aud) => {
    const { app: a } = app(auth(issuers()));
    await expectUnauthorized(await get(a, await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud, ...tenantOk } })));
  });

  test('aud array containing the URL is accepted; array without it refused', async () => {
    const { app: a } = app(auth(issuers()));
    const ok = await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud: ['https://elsewhere.example.org', DISCOVERY], ...tenantOk } });
    expect((await get(a, ok)).status).toBe(200);
    const bad = await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud: ['https://elsewhere.example.org'], ...tenantOk } });
    await expectUnauthorized(await get(a, bad));
  });

  test('per-issuer configured audience (Epic style) accepted for that issuer only', async () => {
    const { app: a } = app(auth(issuers()));
    const configured = 'https://configured.example.org/cds';
    expect((await get(a, await sign(es, { nowSec: nowSec(), header: { jku: jwks.url }, claims: { iss: JKU_ISS, aud: configured } }))).status).toBe(200);
    await expectUnauthorized(await get(a, await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud: configured, ...tenantOk } })));
  });

  test('missing aud refused', async () => {
    const { app: a } = app(auth(issuers()));
    await expectUnauthorized(await get(a, await sign(es, { nowSec: nowSec(), claims: { iss: ISS, ...tenantOk } })));
  });

  test('without publicBaseUrl the URL is derived from the request', async () => {
    const { app: a } = app(auth(issuers()), { publicBaseUrl: undefined });
    const server = a.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      const token = await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud: `http://127.0.0.1:${port}/cds-services`, ...tenantOk } });
      expect((await get(server as never, token)).status).toBe(200);
    } finally {
      server.close();
    }
  });
});

describe('checklist 43: exp, nbf, iat (with skew), lifetime, jti replay', () => {
  const skew = 60;
  const claims = (extra: Record<string, unknown>) => ({ iss: ISS, aud: DISCOVERY, ...tenantOk, ...extra });
  test.each([
    ['exp just inside the skew', 200, { exp: -skew + 1 }, undefined],
    ['exp beyond the skew', 401, { exp: -skew - 1 }, 'expired'],
    ['nbf inside the skew', 200, { nbf: skew - 1 }, undefined],
    ['nbf in the future beyond the skew', 401, { nbf: skew + 5 }, 'not-yet-valid'],
    ['Epic style nbf 5 min before iat', 200, { nbf: -300 }, undefined],
    ['iat in the future beyond the skew', 401, { iat: skew + 5, exp: skew + 300 }, 'iat-invalid'],
    ['lifetime at the maximum', 200, { iat: -10, exp: 3590 }, undefined],
    ['lifetime above the maximum', 401, { iat: -10, exp: 3600 }, 'lifetime-too-long'],
    ['missing exp', 401, { exp: undefined }, 'claim-invalid'],
    ['missing jti', 401, { jti: undefined }, 'claim-invalid'],
  ])('%s -> %i', async (_label, status, offsets, reason) => {
    const { app: a, lines } = app(auth(issuers(), { clockSkewSec: skew }));
    const rel = Object.fromEntries(Object.entries(offsets).map(([k, v]) => [k, v === undefined ? undefined : nowSec() + v]));
    const token = await sign(es, { nowSec: nowSec(), claims: claims(rel) });
    const res = await get(a, token);
    expect(res.status).toBe(status);
    if (reason) expect(lastReason(lines)).toBe(reason);
  });

  test('jti reused within its lifetime -> 401, also on another endpoint', async () => {
    const { app: a, lines } = app(auth(issuers()));
    const jti = crypto.randomUUID();
    const first = await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud: DISCOVERY, jti, ...tenantOk } });
    expect((await get(a, first)).status).toBe(200);
    await expectUnauthorized(await get(a, first));
    expect(lastReason(lines)).toBe('jti-replayed');
    const sameJtiOtherToken = await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud: SERVICE, jti, ...tenantOk } });
    await expectUnauthorized(await post(a, '/cds-services/iec-hs-surveillance', sameJtiOtherToken));
  });

  test('a rejected token does not consume its jti', async () => {
    const { app: a } = app(auth(issuers()));
    const jti = crypto.randomUUID();
    await expectUnauthorized(await get(a, await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud: SERVICE, jti, ...tenantOk } })));
    expect((await get(a, await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud: DISCOVERY, jti, ...tenantOk } }))).status).toBe(200);
  });

  test('the same jti from two issuers is two different tokens', async () => {
    const { app: a } = app(auth(issuers()));
    const jti = crypto.randomUUID();
    expect((await get(a, await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud: DISCOVERY, jti, ...tenantOk } }))).status).toBe(200);
    expect((await get(a, await sign(es, { nowSec: nowSec(), header: { jku: jwks.url }, claims: { iss: JKU_ISS, aud: DISCOVERY, jti } }))).status).toBe(200);
  });
});

describe('checklist 44: tenant on the issuer allowlist', () => {
  test.each([
    ['allowed tenant', 200, { tenant: 'org-b' }],
    ['other tenant', 401, { tenant: 'org-z' }],
    ['no tenant while the issuer lists tenants', 401, {}],
    ['tenant not a string', 401, { tenant: ['org-a'] }],
  ])('%s -> %i', async (_label, status, extra) => {
    const { app: a, lines } = app(auth(issuers()));
    const res = await get(a, await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud: DISCOVERY, ...extra } }));
    expect(res.status).toBe(status);
    if (status === 401) expect(lastReason(lines)).toBe('tenant-not-allowed');
    else expect(res.body.tenant).toBe('org-b');
  });

  test('issuer without a tenant list accepts tokens without tenant (sandbox sends none)', async () => {
    const { app: a } = app(auth(issuers()));
    expect((await get(a, await sign(es, { nowSec: nowSec(), header: { jku: jwks.url }, claims: { iss: JKU_ISS, aud: DISCOVERY } }))).status).toBe(200);
  });
});

describe('checklist 45: tokens never in logs; iss/tenant/jti are', () => {
  test('success and every failure kind log without the token', async () => {
    const { app: a, lines } = app(auth(issuers()));
    const good = await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud: DISCOVERY, ...tenantOk, jti: 'jti-good' } });
    const expired = await sign(es, { nowSec: nowSec(), claims: { iss: ISS, aud: DISCOVERY, ...tenantOk, exp: nowSec() - 3600, iat: nowSec() - 3700, jti: 'jti-old' } });
    const wrongAud = await sign(rs, { nowSec: nowSec(), claims: { iss: ISS, aud: SERVICE, ...tenantOk } });
    const tokens = [good, good, expired, wrongAud, 'eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.'];
    for (const t of tokens) await get(a, t);
    const log = lines.join('\n');
    for (const t of tokens) {
      for (const part of t.split('.').filter((p) => p.length > 8)) expect(log).not.toContain(part);
    }
    expect(log).not.toMatch(/Bearer|eyJ/);
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events).toContainEqual(expect.objectContaining({ event: 'jwt-accepted', iss: ISS, tenant: 'org-a', jti: 'jti-good' }));
    expect(events).toContainEqual(expect.objectContaining({ event: 'jwt-rejected', reason: 'jti-replayed', jti: 'jti-good' }));
    expect(events).toContainEqual(expect.objectContaining({ event: 'jwt-rejected', reason: 'expired', iss: ISS, jti: 'jti-old' }));
  });
});

describe('res.locals contract for the FHIR server binding', () => {
  test(`res.locals.${AUTH_LOCALS_KEY} holds issuer config, claims and tenant`, async () => {
    const { app: a } = app(auth(issuers()));
    const res = await post(a, '/cds-services/iec-hs-surveillance', await sign(rs, { nowSec: nowSec(), claims: { iss: ISS, aud: SERVICE, tenant: 'org-a', jti: 'j-1' } }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ iss: ISS, tenant: 'org-a', jti: 'j-1' });
  });
});

describe('the real sandbox JWT shape', () => {
  test('ES384 + sandbox jku + inline sandbox-style keys + no tenant: accepted when that jku is allowlisted', async () => {
    const sandboxJku = 'https://sandbox.cds-hooks.org/.well-known/jwks.json';
    const fetchJwks = jest.fn(() => Promise.reject(new Error('must not be called: keys are inline')));
    const { app: a } = app(auth([{ iss: 'https://sandbox.cds-hooks.org', jwks: { keys: [es.publicJwk] }, jkuAllowlist: [sandboxJku], fhirServers: [] }]), { fetchJwks });
    const token = await sign(es, { nowSec: nowSec(), header: { jku: sandboxJku }, claims: { iss: 'https://sandbox.cds-hooks.org', aud: SERVICE } });
    expect((await post(a, '/cds-services/iec-hs-surveillance', token)).status).toBe(200);
    expect(fetchJwks).not.toHaveBeenCalled();
  });
});
