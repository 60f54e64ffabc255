/**
 * The worker pool for real (issue 16). A worker thread cannot load TypeScript under node 20, so src/ is
 * compiled with esbuild into a private folder (test-artifacts/pool/; the shared dist/ is not touched) and the real
 * CLI `demo` runs as a child process on an ephemeral loopback port with one worker and a queue of two.
 * (Every other server test runs the same callCore.ts inline: without a compiled worker next to it,
 * createRequestPool returns nothing and the route runs the call on the main thread.)
 * Shown here: large bodies are answered by the worker with the cards the inline path gives; /health
 * answers while they are processed; a full queue answers 503 + Retry-After with an OperationOutcome;
 * a large body that needs the FHIR server is handed back and read on the main thread; a 6 MB body of
 * bad items is refused without blocking /health; SIGTERM lets the in-flight call finish, then exits 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bundle, FhirResource } from 'fhir/r4';
import request from 'supertest';
import { syntheticPatientBundle } from '../../bench/syntheticPatient.js';
import { projectRoot } from '../../src/hooks/definitions.js';
import { ERROR_CODE_SYSTEM } from '../../src/http/outcomes.js';
import { realEngine } from '../../src/server/engine.js';
import { withinJsonDepth } from '../../src/security/hardening.js';
import { buildSources } from '../support/buildSources.js';
import { startCliDemo, type CliDemo } from '../support/cliDemo.js';
import { buildApp } from './helpers/testApp.js';

const ROOT = projectRoot();
const BUILD_DIR = path.join(ROOT, 'test-artifacts', 'pool');
const MAIN_JS = path.join(BUILD_DIR, 'src', 'cli', 'main.js');
const WORKER_JS = path.join(BUILD_DIR, 'src', 'server', 'requestWorker.js');
const SERVICE = '/cds-services/iec-hs-surveillance';
const NOW = new Date();

let tmp: string;
let demo: CliDemo;
const heavyId = 'pool-heavy';

beforeAll(async () => {
  await buildSources(ROOT, BUILD_DIR);
  if (!fs.existsSync(MAIN_JS) || !fs.existsSync(WORKER_JS)) throw new Error('build failed: no entry point');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iec-hs-pool-'));
  demo = await startDemo();
  // The heavy patient is also in the embedded FHIR server, for the hand-back case.
  const loaded = await fetch(`${demo.base}/fhir`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(heavyBundle()) });
  if (!loaded.ok) throw new Error(`loading the heavy patient failed: ${loaded.status}`);
}, 240_000);

afterAll(async () => {
  if (demo && demo.child.exitCode === null) {
    demo.child.kill('SIGKILL');
    await demo.exited;
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function startDemo(): Promise<CliDemo> {
  return startCliDemo(
    MAIN_JS,
    ROOT,
    {
      FEEDBACK_DB: path.join(tmp, 'feedback.sqlite'),
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_CLIENT: '0',
      RATE_LIMIT_PER_ISSUER: '0',
      REQUEST_TIMEOUT_MS: '60000',
      FHIR_BUDGET_MS: '30000',
      FHIR_TIMEOUT_MS: '20000',
      WORKER_THREADS: '1',
      WORKER_QUEUE: '2',
      // Below the default, so the hand-back case below (a ~0.2 MiB body) goes through the worker too.
      WORKER_INLINE_BELOW: String(64 * 1024),
    },
    90_000,
  );
}

function heavyBundle(): Bundle {
  return syntheticPatientBundle({ id: heavyId, observations: 5000, now: NOW });
}

/** Full prefetch from the synthetic patient, as a CDS client would send it (searchset Bundles per template). */
function heavyPrefetch(): Record<string, FhirResource | null> {
  const resources = (heavyBundle().entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  const searchset = (keep: (r: FhirResource) => boolean): Bundle => {
    const found = resources.filter(keep);
    return { resourceType: 'Bundle', type: 'searchset', total: found.length, entry: found.map((resource) => ({ resource, search: { mode: 'match' } })) };
  };
  const category = (code: string) => (r: FhirResource) => r.resourceType === 'Observation' && (r).category?.[0]?.coding?.[0]?.code === code;
  return {
    patient: resources.find((r) => r.resourceType === 'Patient') ?? null,
    labs: searchset(category('laboratory')),
    temperature: searchset(category('vital-signs')),
    conditions: searchset((r) => r.resourceType === 'Condition'),
    procedures: searchset((r) => r.resourceType === 'Procedure'),
    medicationAdministrations: searchset(() => false),
    medicationRequests: searchset(() => false),
    diagnosticReports: searchset(() => false),
  };
}

function heavyRequest(patch: Record<string, unknown> = {}): string {
  return JSON.stringify({ hook: 'patient-view', hookInstance: `pool-${Math.random()}`, context: { userId: 'Practitioner/pool', patientId: heavyId }, prefetch: heavyPrefetch(), ...patch });
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { cards?: { summary: string; indicator: string }[]; resourceType?: string; issue?: { details?: { coding?: { system: string; code: string }[] } }[] };
  ms: number;
}

async function post(body: string): Promise<Answer> {
  const started = performance.now();
  const r = await fetch(`${demo.base}${SERVICE}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: r.status, retryAfter: r.headers.get('retry-after'), body: (await r.json()) as Answer['body'], ms: performance.now() - started };
}

const code = (b: Answer['body']) => b.issue?.[0]?.details?.coding?.find((c) => c.system === ERROR_CODE_SYSTEM)?.code;

/** Polls /health until `work` settles; returns the latencies. */
async function healthDuring<T>(work: Promise<T>): Promise<{ result: T; healthMs: number[] }> {
  const healthMs: number[] = [];
  let done = false;
  const poller = (async () => {
    while (!done) {
      const t = performance.now();
      await fetch(`${demo.base}/health`).then((r) => r.arrayBuffer());
      healthMs.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const result = await work;
  done = true;
  await poller;
  return { result, healthMs };
}

test('a heavy body is answered by the worker with the cards the inline path gives', async () => {
  const body = heavyRequest();
  const pooled = await post(body);
  expect(pooled.status).toBe(200);
  const inline = await request(buildApp({ engine: realEngine, now: () => new Date() })).post(SERVICE).set('Content-Type', 'application/json').send(body);
  expect(inline.status).toBe(200);
  const view = (cards: { summary: string; indicator: string }[] = []) => cards.map((c) => `${c.indicator} ${c.summary}`);
  expect(view(pooled.body.cards).length).toBeGreaterThan(0);
  expect(view(pooled.body.cards)).toEqual(view(inline.body.cards));
}, 120_000);

test('/health answers while heavy bodies are processed; a full queue answers 503 with Retry-After', async () => {
  const body = heavyRequest();
  // One worker, a queue of two: of six at once, at most three are taken, the rest are refused at once.
  const { result: answers, healthMs } = await healthDuring(Promise.all(Array.from({ length: 6 }, () => post(body))));
  const statuses = answers.map((a) => a.status).sort();
  expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
  const refused = answers.filter((a) => a.status === 503);
  expect(refused.length).toBeGreaterThanOrEqual(1);
  for (const r of refused) {
    expect(r.retryAfter).toBe('1');
    expect(r.body.resourceType).toBe('OperationOutcome');
    expect(code(r.body)).toBe('overloaded');
  }
  // The event loop stayed free: /health kept answering, each poll far faster than one heavy call.
  const slowestCall = Math.max(...answers.filter((a) => a.status === 200).map((a) => a.ms));
  healthMs.sort((a, b) => a - b);
  expect(healthMs.length).toBeGreaterThanOrEqual(3);
  expect(healthMs[Math.floor(healthMs.length / 2)]).toBeLessThan(slowestCall / 4);
}, 120_000);

test('a large body that needs the FHIR server is handed back and read on the main thread', async () => {
  const prefetch = heavyPrefetch();
  delete prefetch.labs;
  const hookInstance = `hand-back-${Date.now()}`;
  const body = heavyRequest({ hookInstance, prefetch, fhirServer: `${demo.base}/fhir` });
  expect(body.length).toBeGreaterThan(64 * 1024);
  const answer = await post(body);
  expect(answer.status).toBe(200);
  expect(answer.body.cards?.length).toBeGreaterThan(0);
  // The request's log line says the labs came from the FHIR server.
  const line = async (): Promise<string | undefined> => {
    for (let i = 0; i < 50; i++) {
      const found = demo.output().split('\n').find((l) => l.includes(hookInstance));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    return undefined;
  };
  expect(await line()).toMatch(/"labs":"fhir"/);
}, 120_000);

test('a 6 MB body of bad items is refused by the worker while /health answers', async () => {
  const body = JSON.stringify({ hook: 'patient-view', hookInstance: 'bad', context: { patientId: heavyId }, prefetch: { labs: '@' } }).replace('"@"', `[${'1,'.repeat(3_000_000 - 1)}1]`);
  const { result: answer, healthMs } = await healthDuring(post(body));
  expect(answer.status).toBe(400);
  expect(code(answer.body)).toBe('invalid-request');
  expect(healthMs.length).toBeGreaterThanOrEqual(1);
}, 120_000);

test('the nesting depth of a large body is checked before the hand-off: brackets in strings do not count, one level too deep is refused', async () => {
  // maxJsonDepth is 64 in the demo. Arrays nested in an Observation field the engine does not read.
  const nested = (levels: number, text = ''): string => {
    const prefetch = heavyPrefetch();
    const first = (prefetch.labs as Bundle).entry?.[0]?.resource as FhirResource & Record<string, unknown>;
    first.note = [{ text }];
    first._nested = '@';
    return heavyRequest({ prefetch }).replace('"@"', `${'['.repeat(levels)}${']'.repeat(levels)}`);
  };
  // The resource sits at depth 6 (request, prefetch, Bundle, entry array, entry, resource).
  const atLimit = nested(58, `${'[{'.repeat(200)}\\"[[`);
  const oneOver = nested(59);
  expect(atLimit.length).toBeGreaterThan(64 * 1024);
  expect(withinJsonDepth(JSON.parse(atLimit), 64)).toBe(true);
  expect(withinJsonDepth(JSON.parse(oneOver), 64)).toBe(false);
  expect((await post(atLimit)).status).toBe(200);
  const refused = await post(oneOver);
  expect(refused.status).toBe(400);
  expect(code(refused.body)).toBe('json-too-deep');
}, 120_000);

test('SIGTERM: the in-flight heavy call finishes, the pool closes, exit 0', async () => {
  const inFlight = post(heavyRequest());
  // Signal once the call is inside the service (its body is being read or processed).
  await new Promise((r) => setTimeout(r, 300));
  demo.child.kill('SIGTERM');
  const answer = await inFlight;
  expect(answer.status).toBe(200);
  const exit = await Promise.race([demo.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
  expect(exit).toEqual({ code: 0, signal: null });
  expect(demo.output()).toMatch(/stopped/);
}, 120_000);
