/**
 * Census sign-in outside demo mode: SMART standalone launch (authorization code + PKCE S256) against a
 * local authorization server, session cookie, and a census filtered with the user's own token (only
 * patients whose Patient read succeeds for that user are listed).
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createCensus, type Census } from '../../src/census/index.js';
import { createEmbeddedFhir } from '../../src/embedded-fhir/index.js';
import { loadScenarios } from '../../src/fixtures/scenarios.js';
import { createLogger } from '../../src/server/logger.js';
import { FIXTURES_DIR, settledCycle, testConfig } from './helpers.js';

const CLIENT_ID = 'census-web';
const USER_PATIENTS = new Set(['iechs-classic']);
const PATIENTS = ['iechs-classic', 'iechs-severe'];

let ehrOrigin: string;
let appOrigin: string;
let census: Census;
const servers: http.Server[] = [];
const authorizeParams: URLSearchParams[] = [];
const userReads: { id: string; status: number }[] = [];

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const codes = new Map<string, string>(); // code -> code_challenge
  const userTokens = new Set<string>();
  const fhir = await createEmbeddedFhir();
  const loaded = await loadScenarios(FIXTURES_DIR, new Date());
  for (const { scenario, bundle } of loaded.scenarios) if (PATIENTS.includes(scenario.patientId)) await fhir.loadBundle(bundle);

  const ehr = express();
  ehr.use(express.urlencoded({ extended: false }));
  ehr.get('/fhir/.well-known/smart-configuration', (_req, res) => {
    res.json({ authorization_endpoint: `${ehrOrigin}/authorize`, token_endpoint: `${ehrOrigin}/token`, code_challenge_methods_supported: ['S256'], grant_types_supported: ['authorization_code'], capabilities: ['launch-standalone'] });
  });
  ehr.get('/authorize', (req, res) => {
    const q = new URLSearchParams(req.query as Record<string, string>);
    authorizeParams.push(q);
    const code = randomUUID();
    codes.set(code, q.get('code_challenge') ?? '');
    res.redirect(302, `${q.get('redirect_uri') ?? ''}?code=${code}&state=${encodeURIComponent(q.get('state') ?? '')}`);
  });
  ehr.post('/token', (req, res) => {
    const form = req.body as Record<string, string>;
    const challenge = codes.get(form.code ?? '');
    codes.delete(form.code ?? '');
    const verified = challenge !== undefined && createHash('sha256').update(form.code_verifier ?? '').digest('base64url') === challenge;
    if (!verified || form.grant_type !== 'authorization_code' || form.client_id !== CLIENT_ID) {
      res.status(400).json({ error: 'invalid_grant' });
      return;
    }
    const token = randomUUID();
    userTokens.add(token);
    res.json({ access_token: token, token_type: 'Bearer', expires_in: 3600, scope: form.scope ?? '' });
  });
  // The user's token may read only their patients; the census (no token here, as in demo) reads everything.
  ehr.get('/fhir/Patient/:id', (req, res, next) => {
    const auth = req.headers.authorization;
    if (!auth) return next();
    const ok = auth.startsWith('Bearer ') && userTokens.has(auth.slice(7)) && USER_PATIENTS.has(req.params.id);
    userReads.push({ id: req.params.id, status: ok ? 200 : 403 });
    if (!ok) {
      res.status(403).json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] });
      return;
    }
    next();
  });
  ehr.use('/fhir', fhir.router);
  ehrOrigin = await listen(ehr);

  // Assigned once the census exists; the listener that reads it is created first.
  // eslint-disable-next-line prefer-const
  let handler: express.Express | undefined;
  appOrigin = await listen((req, res) => handler?.(req, res));
  const config = { ...testConfig({ userClientId: CLIENT_ID }), publicBaseUrl: appOrigin };
  census = await createCensus({ config, logger: createLogger({ level: 'silent' }), fhirServer: `${ehrOrigin}/fhir` });
  await settledCycle(census);
  const app = express();
  app.use(census.router);
  handler = app;
}, 60_000);

afterAll(async () => {
  await census?.stop();
  for (const s of servers) s.close();
});

const get = (url: string, cookie?: string): Promise<Response> => fetch(url, { redirect: 'manual', ...(cookie ? { headers: { cookie } } : {}) });

describe('census sign-in (SMART standalone launch)', () => {
  it('without a session: 401 with where to sign in, no patient data', async () => {
    const res = await get(`${appOrigin}/census.json`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ resourceType: 'OperationOutcome', login: '/census/login' });
    expect(JSON.stringify(body)).not.toMatch(/iechs-/);
  });

  it('signs in with PKCE and lists only the patients the user may read', async () => {
    const login = await get(`${appOrigin}/census/login`);
    expect(login.status).toBe(302);
    const authorize = new URL(login.headers.get('location') ?? '');
    expect(authorize.origin + authorize.pathname).toBe(`${ehrOrigin}/authorize`);
    const q = authorize.searchParams;
    expect(Object.fromEntries(['response_type', 'client_id', 'redirect_uri', 'aud', 'code_challenge_method'].map((k) => [k, q.get(k)]))).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${appOrigin}/census/callback`,
      aud: `${ehrOrigin}/fhir`,
      code_challenge_method: 'S256',
    });
    expect((q.get('state') ?? '').length).toBeGreaterThanOrEqual(40); // 256 random bits, base64url
    expect(q.get('scope')).toContain('user/Patient.rs');

    const back = await get(authorize.href);
    expect(back.status).toBe(302);
    const callback = await get(back.headers.get('location') ?? '');
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/census');
    const setCookie = callback.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const cookie = setCookie.split(';')[0] ?? '';

    const res = await get(`${appOrigin}/census.json`, cookie);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access: string; patients: { patientId: string }[] };
    expect(body.access).toMatch(/signed in/);
    expect(body.patients.map((p) => p.patientId)).toEqual(['iechs-classic']);
    // Both were checked with the user's token; the other one was refused by the EHR.
    expect(userReads.map((r) => `${r.id}:${r.status}`).sort()).toEqual(['iechs-classic:200', 'iechs-severe:403']);
  });

  it('a callback with an unknown state is refused', async () => {
    const res = await get(`${appOrigin}/census/callback?code=x&state=not-issued`);
    expect(res.status).toBe(400);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});
