/**
 * Several instances on one PostgreSQL (issue 14): a throwaway PostgreSQL, two service processes in
 * production mode with JWT verification on (an ES384 key made here, given to them as inline JWKS) and
 * a loopback round-robin proxy in front. Shows that
 *   - an override through instance A hides the card on instance B for the same tenant and user (who
 *     gets the override notice), not for another user, and not for another tenant;
 *   - a token used on A is refused on B, and still refused after both instances restart;
 *   - kill -9 of one instance during a bounded load loses no accepted feedback, and the survivor
 *     answers with no 5xx.
 * `npm run test:scale` runs this file alone and ends with `N passed, M failed`; `npm test` runs it too.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bundle, FhirResource } from 'fhir/r4';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import pg from 'pg';
import type { CdsCard } from '../../src/cards/cdsHooks.js';
import { projectRoot } from '../../src/hooks/index.js';
import { loadScenarios } from '../../src/fixtures/scenarios.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwawayPostgres.js';
import { freePort, startInstance, startProxy, stopInstance, type Instance, type Proxy } from './cluster.js';
import { transpileForNode } from './transpile.js';

const TEST_TIMEOUT_MS = 120_000;

const ROOT = projectRoot();
const ISS = 'https://ehr.scale.test';
const PUBLIC_BASE = 'https://cds.scale.test';
const SERVICE = 'iec-hs-surveillance';
const AUD = `${PUBLIC_BASE}/cds-services/${SERVICE}`;
const PATIENT = 'iechs-classic';
const KID = 'scale-test-key';

let postgres: ThrowawayPostgres;
let proxy: Proxy | undefined;
let entry: string;
let env: Record<string, string>;
let privateKey: CryptoKey;
let prefetch: Record<string, FhirResource>;
let workDir: string;
const a: Instance = { name: 'A', port: 0, output: [] };
const b: Instance = { name: 'B', port: 0, output: [] };

/** The hook's prefetch, answered from the scenario bundle the way an EHR would (searchsets per template). */
function prefetchFrom(bundle: Bundle): Record<string, FhirResource> {
  const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  const searchset = (items: FhirResource[]): Bundle => ({ resourceType: 'Bundle', type: 'searchset', total: items.length, entry: items.map((resource) => ({ resource })) });
  const category = (r: FhirResource): string[] => (r.resourceType === 'Observation' ? (r.category ?? []).flatMap((c) => (c.coding ?? []).map((x) => x.code ?? '')) : []);
  const of = (type: string) => resources.filter((r) => r.resourceType === type);
  const patient = resources.find((r) => r.resourceType === 'Patient');
  if (!patient) throw new Error('scenario without a Patient');
  return {
    patient,
    labs: searchset(of('Observation').filter((r) => category(r).includes('laboratory'))),
    temperature: searchset(of('Observation').filter((r) => category(r).includes('vital-signs'))),
    conditions: searchset(of('Condition')),
    procedures: searchset(of('Procedure')),
    medicationAdministrations: searchset(of('MedicationAdministration')),
    medicationRequests: searchset(of('MedicationRequest')),
    diagnosticReports: searchset(of('DiagnosticReport')),
  };
}

async function token(tenant: string, aud = AUD): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tenant })
    .setProtectedHeader({ alg: 'ES384', kid: KID, typ: 'JWT' })
    .setIssuer(ISS)
    .setAudience(aud)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .setJti(randomUUID())
    .sign(privateKey);
}

interface Answer {
  status: number;
  upstream: string;
  cards: CdsCard[];
}

async function callService(base: string, opts: { tenant: string; user: string; bearer?: string }): Promise<Answer> {
  const res = await fetch(`${base}/cds-services/${SERVICE}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.bearer ?? (await token(opts.tenant))}` },
    body: JSON.stringify({ hook: 'patient-view', hookInstance: randomUUID(), context: { userId: opts.user, patientId: PATIENT }, prefetch }),
  });
  const body = (await res.json().catch(() => ({}))) as { cards?: CdsCard[] };
  return { status: res.status, upstream: res.headers.get('x-upstream') ?? '', cards: body.cards ?? [] };
}

async function sendFeedback(base: string, tenant: string, item: Record<string, unknown>): Promise<{ status: number; upstream: string }> {
  const res = await fetch(`${base}/cds-services/${SERVICE}/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(tenant, `${AUD}/feedback`)}` },
    body: JSON.stringify({ feedback: [{ outcomeTimestamp: new Date().toISOString(), ...item }] }),
  });
  await res.arrayBuffer();
  return { status: res.status, upstream: res.headers.get('x-upstream') ?? '' };
}

const direct = (i: Instance): string => `http://127.0.0.1:${i.port}`;
const alert = (cards: CdsCard[]): CdsCard | undefined => cards.find((c) => c.indicator === 'warning' || c.indicator === 'critical');

beforeAll(async () => {
  const [pgServer, keys, loaded] = await Promise.all([
    startThrowawayPostgres(),
    generateKeyPair('ES384', { extractable: true }),
    loadScenarios(path.join(ROOT, 'fhir-fixtures'), new Date()),
  ]);
  postgres = pgServer;
  privateKey = keys.privateKey;
  const scenario = loaded.scenarios.find((s) => s.scenario.id === PATIENT);
  if (!scenario) throw new Error(`fixture ${PATIENT} missing`);
  prefetch = prefetchFrom(scenario.bundle);

  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iec-hs-scale-'));
  const configFile = path.join(workDir, 'config.json');
  const publicJwk = { ...(await exportJWK(keys.publicKey)), kid: KID, alg: 'ES384', use: 'sig' };
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      publicBaseUrl: PUBLIC_BASE,
      auth: { issuers: [{ iss: ISS, jwks: { keys: [publicJwk] }, tenants: ['tenant-1', 'tenant-2'], fhirServers: ['https://fhir.scale.test/r4'] }] },
    }),
  );
  env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    TZ: 'America/New_York',
    CONFIG_FILE: configFile,
    DATABASE_URL: postgres.url,
    DATABASE_POOL_SIZE: '4',
    FEEDBACK_HMAC_KEY: 'scale-test-hmac-key-0123456789abcdef0123456789',
    METRICS_TOKEN: 'scale-test-metrics-token-0123456789',
    TRUST_PROXY: 'loopback',
    LOG_LEVEL: 'warn',
  };
  const out = transpileForNode(ROOT, [path.join(ROOT, 'test', 'scale', 'instance.ts')]);
  entry = path.join(out, 'test', 'scale', 'instance.js');
  [a.port, b.port] = await Promise.all([freePort(), freePort()]);
  await Promise.all([startInstance(a, entry, env), startInstance(b, entry, env)]);
  proxy = await startProxy([a, b]);
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  await Promise.all([stopInstance(a, 'SIGKILL'), stopInstance(b, 'SIGKILL')]);
  postgres?.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

test('an override through instance A hides the card on instance B for the same tenant and user, not for another user or tenant', async () => {
  const first = await callService(direct(a), { tenant: 'tenant-1', user: 'Practitioner/u1' });
  expect(first.status).toBe(200);
  const card = alert(first.cards);
  expect(card?.uuid).toBeDefined();
  expect((await sendFeedback(direct(a), 'tenant-1', { card: card?.uuid, outcome: 'overridden' })).status).toBe(200);

  const sameUser = await callService(direct(b), { tenant: 'tenant-1', user: 'Practitioner/u1' });
  expect(sameUser.status).toBe(200);
  expect(alert(sameUser.cards)).toBeUndefined();
  // The one who overrode it is told so instead of silence.
  expect(sameUser.cards.map((c) => c.indicator)).toEqual(['info']);
  expect(sameUser.cards[0]?.summary).toMatch(/overrode/i);

  expect(alert((await callService(direct(b), { tenant: 'tenant-1', user: 'Practitioner/u2' })).cards)?.indicator).toBe(card?.indicator);
  expect(alert((await callService(direct(b), { tenant: 'tenant-2', user: 'Practitioner/u1' })).cards)?.indicator).toBe(card?.indicator);
  // Feedback from another tenant on tenant-1's card is an unknown card: it hides nothing.
  const other = alert((await callService(direct(a), { tenant: 'tenant-2', user: 'Practitioner/u3' })).cards);
  expect((await sendFeedback(direct(b), 'tenant-1', { card: other?.uuid, outcome: 'overridden' })).status).toBe(200);
  expect(alert((await callService(direct(a), { tenant: 'tenant-2', user: 'Practitioner/u3' })).cards)).toBeDefined();
}, TEST_TIMEOUT_MS);

test('a token used on A is refused on B, and still refused after both instances restart', async () => {
  const used = await token('tenant-1');
  expect((await callService(direct(a), { tenant: 'tenant-1', user: 'Practitioner/u4', bearer: used })).status).toBe(200);
  expect((await callService(direct(b), { tenant: 'tenant-1', user: 'Practitioner/u4', bearer: used })).status).toBe(401);

  await Promise.all([stopInstance(a, 'SIGTERM'), stopInstance(b, 'SIGTERM')]);
  await Promise.all([startInstance(a, entry, env), startInstance(b, entry, env)]);

  expect((await callService(direct(a), { tenant: 'tenant-1', user: 'Practitioner/u4', bearer: used })).status).toBe(401);
  expect((await callService(direct(b), { tenant: 'tenant-1', user: 'Practitioner/u4', bearer: used })).status).toBe(401);
  // Fresh tokens work, and the override from before the restart still holds on both.
  for (const instance of [a, b]) {
    const answer = await callService(direct(instance), { tenant: 'tenant-1', user: 'Practitioner/u1' });
    expect([answer.status, answer.cards.map((c) => c.indicator)]).toEqual([200, ['info']]);
  }
}, TEST_TIMEOUT_MS);

test('kill -9 of one instance during a bounded load loses no accepted feedback; the survivor answers with no 5xx', async () => {
  const base = proxy?.url ?? '';
  const ITERATIONS = 120; // two requests each: at most 240 requests
  const CONCURRENCY = 6;
  const statuses: { status: number; upstream: string; afterKill: boolean }[] = [];
  /** Cards whose feedback was answered 200: each must be stored. */
  const acceptedCards: string[] = [];
  let started = 0;
  let killed = false;
  const worker = async (): Promise<void> => {
    while (started < ITERATIONS) {
      const i = started++;
      if (i === 40 && !killed) {
        killed = true;
        await stopInstance(b, 'SIGKILL');
      }
      const call = await callService(base, { tenant: i % 2 ? 'tenant-1' : 'tenant-2', user: `Practitioner/load-${i}` });
      statuses.push({ status: call.status, upstream: call.upstream, afterKill: killed });
      // Each iteration is another user, so its override hides nothing from the next ones.
      const card = alert(call.cards);
      if (!card?.uuid) continue;
      const fb = await sendFeedback(base, i % 2 ? 'tenant-1' : 'tenant-2', { card: card.uuid, outcome: 'overridden' });
      statuses.push({ ...fb, afterKill: killed });
      if (fb.status === 200) acceptedCards.push(card.uuid);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  expect(killed).toBe(true);
  const histogram: Record<string, number> = {};
  for (const st of statuses) histogram[`${st.upstream}:${st.status}`] = (histogram[`${st.upstream}:${st.status}`] ?? 0) + 1;
  // Every instance answer is a 200; the only other answers are the proxy's 502 for requests that were
  // inside B when it was killed (at most one per concurrent client).
  expect(Object.keys(histogram).filter((k) => !k.endsWith(':200') && k !== 'proxy:B-lost:502')).toEqual([]);
  expect(histogram['proxy:B-lost:502'] ?? 0).toBeLessThanOrEqual(CONCURRENCY);
  expect(statuses.length).toBeLessThanOrEqual(500);
  expect(statuses.filter((s) => s.upstream === 'A' && s.status >= 500)).toEqual([]);
  expect(statuses.filter((s) => s.afterKill && s.upstream === 'A').length).toBeGreaterThan(100);
  expect(statuses.filter((s) => !s.afterKill && s.upstream === 'B').length).toBeGreaterThan(10);
  expect(acceptedCards.length).toBeGreaterThan(80);

  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ card_uuid: string }>("SELECT card_uuid FROM feedback WHERE outcome = 'overridden' AND card_uuid = ANY($1)", [acceptedCards]);
    expect(new Set(rows.map((r) => r.card_uuid))).toEqual(new Set(acceptedCards));
  } finally {
    await client.end();
  }
}, TEST_TIMEOUT_MS);
