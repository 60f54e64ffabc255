/**
 * SMART Backend Services against local endpoints on loopback, keys made in the test: the census reads
 * a FHIR server that demands a bearer token, obtained with client_credentials + a private_key_jwt
 * assertion (ES384 and RS384) from the token endpoint named in .well-known/smart-configuration.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { decodeProtectedHeader, exportPKCS8, generateKeyPair, jwtVerify, type CryptoKey } from 'jose';
import { createBackendAuth } from '../../src/census/backendAuth.js';
import { createCensus } from '../../src/census/index.js';
import { guardedFetchFor } from '../../src/census/outbound.js';
import { createEmbeddedFhir } from '../../src/embedded-fhir/index.js';
import { loadScenarios } from '../../src/fixtures/scenarios.js';
import { createLogger } from '../../src/server/logger.js';
import { FIXTURES_DIR, testConfig } from './helpers.js';

const CLIENT_ID = 'iec-hs-census';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'census-keys-'));

interface Ehr {
  fhirBase: string;
  tokenUrl: string;
  tokenRequests: { ok: boolean; header?: Record<string, unknown>; form: Record<string, string> }[];
  fhirRequests: { path: string; authorized: boolean }[];
  close(): Promise<void>;
}

async function listen(app: express.Express): Promise<{ server: http.Server; origin: string }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A token endpoint (its own origin) and a FHIR server that wants its tokens. */
async function startEhr(publicKey: CryptoKey, alg: string, expiresIn = 300): Promise<Ehr> {
  const issued = new Set<string>();
  const jtis = new Set<string>();
  const tokenRequests: Ehr['tokenRequests'] = [];
  const fhirRequests: Ehr['fhirRequests'] = [];
  const auth = express();
  auth.use(express.urlencoded({ extended: false }));
  const authSide = await listen(auth);
  const tokenUrl = `${authSide.origin}/oauth2/token`;
  auth.post('/oauth2/token', async (req, res) => {
    const form = req.body as Record<string, string>;
    try {
      if (form.grant_type !== 'client_credentials') throw new Error('grant');
      if (form.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') throw new Error('assertion type');
      const assertion = form.client_assertion ?? '';
      const { payload, protectedHeader } = await jwtVerify(assertion, publicKey, { issuer: CLIENT_ID, subject: CLIENT_ID, audience: tokenUrl, typ: 'JWT', algorithms: [alg], maxTokenAge: '5m' });
      if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number' || payload.exp - payload.iat > 300) throw new Error('lifetime');
      if (typeof payload.jti !== 'string' || jtis.has(payload.jti)) throw new Error('replay');
      jtis.add(payload.jti);
      tokenRequests.push({ ok: true, header: protectedHeader, form });
      const token = randomUUID();
      issued.add(token);
      res.json({ access_token: token, token_type: 'bearer', expires_in: expiresIn, scope: form.scope });
    } catch {
      tokenRequests.push({ ok: false, form });
      res.status(401).json({ error: 'invalid_client' });
    }
  });

  const fhir = await createEmbeddedFhir();
  const loaded = await loadScenarios(FIXTURES_DIR, new Date());
  for (const { scenario, bundle } of loaded.scenarios) if (scenario.patientId === 'iechs-classic') await fhir.loadBundle(bundle);
  const ehr = express();
  ehr.get('/fhir/.well-known/smart-configuration', (_req, res) => {
    res.json({
      token_endpoint: tokenUrl,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['ES384', 'RS384'],
      capabilities: ['client-confidential-asymmetric'],
      code_challenge_methods_supported: ['S256'],
    });
  });
  ehr.use('/fhir', (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const authorized = header.startsWith('Bearer ') && issued.has(header.slice(7));
    fhirRequests.push({ path: req.path, authorized });
    if (!authorized) {
      res.status(401).json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
      return;
    }
    next();
  });
  ehr.use('/fhir', fhir.router);
  const ehrSide = await listen(ehr);
  return {
    fhirBase: `${ehrSide.origin}/fhir`,
    tokenUrl,
    tokenRequests,
    fhirRequests,
    close: async () => {
      await new Promise<void>((r) => authSide.server.close(() => r()));
      await new Promise<void>((r) => ehrSide.server.close(() => r()));
    },
  };
}

async function keyFile(alg: 'ES384' | 'RS384'): Promise<{ file: string; publicKey: CryptoKey }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const file = path.join(tmp, `${alg}-${randomUUID()}.pem`);
  fs.writeFileSync(file, await exportPKCS8(privateKey), { mode: 0o600 });
  return { file, publicKey };
}

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('SMART Backend Services', () => {
  it('the census gets a token with an ES384 assertion, reads the FHIR server with it, and reuses it', async () => {
    const { file, publicKey } = await keyFile('ES384');
    const ehr = await startEhr(publicKey, 'ES384');
    const config = testConfig({ backendAuth: { clientId: CLIENT_ID, privateKeyFile: file, keyId: 'census-key-1', algorithm: 'ES384', scope: 'system/Patient.rs system/Observation.rs' } });
    const census = await createCensus({ config, logger: createLogger({ level: 'silent' }), fhirServer: ehr.fhirBase });
    try {
      const first = await census.runCycle();
      expect(first).toMatchObject({ ran: true, discovered: 1, evaluated: 1, failed: 0 });
      await census.runCycle();
      // One token for both cycles (expires_in 300 s), every FHIR read carried it.
      expect(ehr.tokenRequests).toHaveLength(1);
      expect(ehr.tokenRequests[0]).toMatchObject({ ok: true, header: { alg: 'ES384', kid: 'census-key-1', typ: 'JWT' }, form: { scope: 'system/Patient.rs system/Observation.rs' } });
      expect(ehr.fhirRequests.length).toBeGreaterThan(5);
      expect(ehr.fhirRequests.every((r) => r.authorized)).toBe(true);
    } finally {
      await census.stop();
      await ehr.close();
    }
  }, 60_000);

  it('the FHIR Communication is written with the same backend token and the same guard', async () => {
    const { file, publicKey } = await keyFile('ES384');
    const ehr = await startEhr(publicKey, 'ES384');
    const config = testConfig({
      backendAuth: { clientId: CLIENT_ID, privateKeyFile: file, keyId: 'census-key-1', algorithm: 'ES384', scope: 'system/Patient.rs system/Observation.rs system/Communication.c' },
      communication: { include: 'tier', retries: 0, backoffMs: 10 },
    });
    const census = await createCensus({ config, logger: createLogger({ level: 'silent' }), fhirServer: ehr.fhirBase });
    try {
      // The classic patient meets the picture with all labs loaded: one notification, one Communication.
      expect(await census.runCycle()).toMatchObject({ ran: true, failed: 0, notificationsCreated: 1, communications: { written: 1, failed: 0 } });
      const writes = ehr.fhirRequests.filter((r) => r.path === '/Communication');
      expect(writes).toEqual([{ path: '/Communication', authorized: true }]);
      expect(ehr.tokenRequests).toHaveLength(1);
    } finally {
      await census.stop();
      await ehr.close();
    }
  }, 60_000);

  it('RS384 works the same way, with a fresh jti per assertion', async () => {
    const { file, publicKey } = await keyFile('RS384');
    // Tokens that live one second: the second call needs a new token, hence a new assertion.
    const ehr = await startEhr(publicKey, 'RS384', 1);
    const auth = createBackendAuth({
      fhirServer: ehr.fhirBase,
      clientId: CLIENT_ID,
      privateKeyPem: fs.readFileSync(file, 'utf8'),
      keyId: 'rsa-1',
      algorithm: 'RS384',
      scope: 'system/*.rs',
      fetchFor: (t) => guardedFetchFor(t, testConfig()),
    });
    try {
      const a = await auth.accessToken();
      expect(await auth.accessToken()).toBe(a);
      await new Promise((r) => setTimeout(r, 600));
      const b = await auth.accessToken();
      expect(a).not.toBe(b);
      expect(ehr.tokenRequests.map((r) => r.ok)).toEqual([true, true]);
      const [h1, h2] = ehr.tokenRequests.map((r) => decodeProtectedHeader(r.form.client_assertion ?? ''));
      expect(h1).toMatchObject({ alg: 'RS384', kid: 'rsa-1', typ: 'JWT' });
      expect(h2?.alg).toBe('RS384');
      // The endpoint refuses a replayed jti, so two accepted assertions had two different ones.
    } finally {
      await ehr.close();
    }
  }, 60_000);

  it('a key the EHR does not know: invalid_client, the cycle fails and no patient data is read', async () => {
    const registered = await keyFile('ES384');
    const other = await keyFile('ES384');
    const ehr = await startEhr(registered.publicKey, 'ES384');
    const config = testConfig({ backendAuth: { clientId: CLIENT_ID, privateKeyFile: other.file, keyId: 'k', algorithm: 'ES384', scope: 'system/*.rs' } });
    const census = await createCensus({ config, logger: createLogger({ level: 'silent' }), fhirServer: ehr.fhirBase });
    try {
      await expect(census.runCycle()).rejects.toThrow(/invalid_client/);
      expect(ehr.tokenRequests.map((r) => r.ok)).toEqual([false]);
      expect(ehr.fhirRequests).toEqual([]);
    } finally {
      await census.stop();
      await ehr.close();
    }
  }, 60_000);

  it('the token endpoint is reached only through the outbound guard (plain http off loopback is refused)', async () => {
    const auth = createBackendAuth({
      fhirServer: 'http://ehr.example.org/fhir',
      clientId: CLIENT_ID,
      privateKeyPem: fs.readFileSync((await keyFile('ES384')).file, 'utf8'),
      keyId: 'k',
      algorithm: 'ES384',
      scope: 'system/*.rs',
      fetchFor: (t) => guardedFetchFor(t, testConfig(), { resolver: async () => [{ address: '93.184.216.34', family: 4 }], fetcher: async () => { throw new Error('must not connect'); } }),
    });
    await expect(auth.accessToken()).rejects.toThrow(/resolves to a public address/);
  });
});
