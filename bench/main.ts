/**
 * `npm run bench`: the service against a bare express JSON echo of the same payload, measured in the
 * same run, on loopback only. Writes bench/results.json and prints a table of ratios.
 *
 *   (a) baseline: express parses the body and echoes it back (and a parse-only variant)
 *   (b) patient-view with full prefetch, typical patient (~300 Observations)
 *   (c) the same for a heavy patient (5,000 Observations, several MB of prefetch)
 *       (b and c run against the service as production composes it, without the embedded FHIR server)
 *   (d) patient-view with no prefetch: the demo process queries its own embedded FHIR server
 *   (e) the engine alone (timeline + criteria + cards) on 1k / 5k / 20k Observations
 *
 * Absolute numbers on a shared 2-core machine are noise; read the ratios.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { Bundle, FhirResource } from 'fhir/r4';
import { patientViewCards } from '../src/cards/index.js';
import { patientDataFromBundle } from '../src/cli/evaluate.js';
import { evaluate } from '../src/criteria/index.js';
import { buildTimeline } from '../src/features/index.js';
import { censusBench, printCensusRow } from './census.js';
import { syntheticPatientBundle } from './syntheticPatient.js';

const HOST = '127.0.0.1';
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 6);
const NOW = new Date();

interface LoadResult {
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

interface Row {
  name: string;
  bodyBytes: number;
  serial: LoadResult;
  concurrent: LoadResult;
  baseline?: { serial: LoadResult; concurrent: LoadResult };
}

interface HealthUnderLoad {
  healthMaxMs: number;
  healthP50Ms: number;
  samples: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, HOST, () => {
      const address = srv.address();
      srv.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up in ${timeoutMs} ms`);
}

async function load(url: string, body: string, connections: number): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: DURATION_S,
    timeout: 30,
  });
  return {
    connections,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Builds the prefetch exactly as a CDS client would: run each discovery template against the FHIR server. */
async function buildPrefetch(base: string, fhir: string, patientId: string): Promise<Record<string, FhirResource | null>> {
  const discovery = (await (await fetch(`${base}/cds-services`)).json()) as { services: { id: string; prefetch?: Record<string, string> }[] };
  const service = discovery.services.find((s) => s.id === 'iec-hs-surveillance');
  if (!service?.prefetch) throw new Error('iec-hs-surveillance has no prefetch templates');
  const prefetch: Record<string, FhirResource | null> = {};
  for (const [key, template] of Object.entries(service.prefetch)) {
    const query = template.replaceAll('{{context.patientId}}', patientId).replaceAll('{{userPractitionerId}}', 'bench-user');
    let next: string | undefined = `${fhir}/${query}`;
    let merged: Bundle | undefined;
    while (next) {
      const r = await fetch(next, { headers: { accept: 'application/fhir+json' } });
      if (r.status === 404) {
        prefetch[key] = null;
        break;
      }
      const resource = (await r.json()) as FhirResource;
      if (resource.resourceType !== 'Bundle') {
        prefetch[key] = resource;
        break;
      }
      merged = merged ? { ...merged, entry: [...(merged.entry ?? []), ...(resource.entry ?? [])] } : resource;
      next = resource.link?.find((l) => l.relation === 'next')?.url;
      if (!next) prefetch[key] = { ...merged, link: undefined, total: merged.entry?.length ?? 0 } as Bundle;
    }
  }
  return prefetch;
}

function hookRequest(patientId: string, fhirServer: string, prefetch?: Record<string, FhirResource | null>): string {
  return JSON.stringify({
    hook: 'patient-view',
    hookInstance: randomUUID(),
    fhirServer,
    context: { userId: 'Practitioner/bench-user', patientId },
    ...(prefetch ? { prefetch } : {}),
  });
}

function peakRssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** Polls /health while heavy requests run: the event loop must keep answering. */
async function healthDuring<T>(url: string, work: Promise<T>): Promise<{ result: T } & HealthUnderLoad> {
  const samples: number[] = [];
  let done = false;
  const poller = (async () => {
    while (!done) {
      const t = performance.now();
      await fetch(url).then((r) => r.arrayBuffer());
      samples.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const result = await work;
  done = true;
  await poller;
  samples.sort((a, b) => a - b);
  return { result, healthMaxMs: Math.round(samples.at(-1) ?? NaN), healthP50Ms: Math.round(samples[Math.floor(samples.length / 2)] ?? NaN), samples: samples.length };
}

function engineAlone(counts: number[]): { observations: number; medianMs: number; msPer1k: number }[] {
  return counts.map((observations) => {
    const { data } = patientDataFromBundle(syntheticPatientBundle({ id: `engine-${observations}`, observations, now: NOW }));
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      const timeline = buildTimeline(data, { now: NOW.toISOString() });
      const evaluation = evaluate(timeline);
      patientViewCards(evaluation, { serviceId: 'iec-hs-surveillance', patientId: 'p', now: NOW.toISOString() });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const medianMs = Number(times[3]!.toFixed(1));
    return { observations, medianMs, msPer1k: Number(((medianMs * 1000) / observations).toFixed(2)) };
  });
}

function ratio(a: number, b: number): string {
  return Number.isFinite(a / b) ? (a / b).toFixed(2) : 'n/a';
}

async function main(): Promise<void> {
  const root = process.cwd();
  const servicePort = await freePort();
  const base = `http://${HOST}:${servicePort}`;
  const fhir = `${base}/fhir`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'iec-hs-bench-'));

  const echo = fork(path.join(root, 'dist/bench/echoServer.js'), { stdio: 'ignore' });
  const echoPort = await new Promise<number>((resolve) => echo.once('message', (m: { port: number }) => resolve(m.port)));
  const echoBase = `http://${HOST}:${echoPort}`;
  const serviceOnly = fork(path.join(root, 'dist/bench/serviceProcess.js'), {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, HOST, LOG_LEVEL: 'warn', FEEDBACK_DB: path.join(tmp, 'feedback-service.sqlite'), RATE_LIMIT_PER_CLIENT: '0', RATE_LIMIT_PER_ISSUER: '0' },
  });
  const servicePortOnly = await new Promise<number>((resolve) => serviceOnly.once('message', (m: { port: number }) => resolve(m.port)));

  const service = spawn(process.execPath, [path.join(root, 'dist/src/cli/main.js'), 'demo'], {
    env: {
      ...process.env,
      PORT: String(servicePort),
      HOST,
      LOG_LEVEL: 'warn',
      FEEDBACK_DB: path.join(tmp, 'feedback.sqlite'),
      RATE_LIMIT_PER_CLIENT: '0',
      RATE_LIMIT_PER_ISSUER: '0',
      FHIR_BUDGET_MS: '20000',
      REQUEST_TIMEOUT_MS: '30000',
      FHIR_TIMEOUT_MS: '15000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<never>((_resolve, reject) =>
    service.once('exit', (code) => reject(new Error(`the service exited during the benchmark (code ${code})`))),
  );
  exited.catch(() => undefined);
  try {
    await Promise.race([waitFor(`${base}/health`), exited]);
    const rssIdleMb = peakRssMb(service);

    const patients = { typical: 300, heavy: 5000 } as const;
    const bodies: Record<string, string> = {};
    for (const [name, observations] of Object.entries(patients)) {
      const id = `bench-${name}`;
      const bundle = syntheticPatientBundle({ id, observations, now: NOW });
      const loaded = await fetch(fhir, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(bundle) });
      if (!loaded.ok) throw new Error(`loading ${id} into the embedded FHIR server failed: ${loaded.status}`);
      bodies[name] = hookRequest(id, fhir, await buildPrefetch(base, fhir, id));
    }
    const queryBody = hookRequest('bench-typical', fhir);

    // Sanity: each body gets an answer with cards before we measure anything.
    for (const [url, body] of [[`http://${HOST}:${servicePortOnly}`, bodies.typical!], [`http://${HOST}:${servicePortOnly}`, bodies.heavy!], [base, queryBody]] as const) {
      const r = await fetch(`${url}/cds-services/iec-hs-surveillance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const json = (await r.json()) as { cards?: unknown[] };
      if (r.status !== 200 || !Array.isArray(json.cards)) throw new Error(`service answered ${r.status} during warm-up`);
    }

    const rows: Row[] = [];
    const svc = `http://${HOST}:${servicePortOnly}/cds-services/iec-hs-surveillance`;
    const demoSvc = `${base}/cds-services/iec-hs-surveillance`;
    // /health is polled while 10 connections send heavy bodies, to the echo and to the service alike:
    // a single Node event loop queues it behind body parsing in both, so the echo's figure is the yardstick.
    const health: { service?: HealthUnderLoad; echo?: HealthUnderLoad } = {};
    for (const name of ['typical', 'heavy'] as const) {
      const body = bodies[name]!;
      const serialBaseline = await load(`${echoBase}/echo`, body, 1);
      let concurrentBaseline: LoadResult;
      const serial = await load(svc, body, 1);
      let concurrent: LoadResult;
      if (name === 'heavy') {
        const watchedEcho = await healthDuring(`${echoBase}/health`, load(`${echoBase}/echo`, body, 10));
        concurrentBaseline = watchedEcho.result;
        health.echo = { healthMaxMs: watchedEcho.healthMaxMs, healthP50Ms: watchedEcho.healthP50Ms, samples: watchedEcho.samples };
        const watched = await healthDuring(`http://${HOST}:${servicePortOnly}/health`, load(svc, body, 10));
        concurrent = watched.result;
        health.service = { healthMaxMs: watched.healthMaxMs, healthP50Ms: watched.healthP50Ms, samples: watched.samples };
      } else {
        concurrentBaseline = await load(`${echoBase}/echo`, body, 10);
        concurrent = await load(svc, body, 10);
      }
      const baseline = { serial: serialBaseline, concurrent: concurrentBaseline };
      rows.push({ name: `(b/c) patient-view, full prefetch, ${name} (${patients[name]} obs)`, bodyBytes: Buffer.byteLength(body), serial, concurrent, baseline });
    }
    const parseOnly = { serial: await load(`${echoBase}/parse`, bodies.typical!, 1), concurrent: await load(`${echoBase}/parse`, bodies.typical!, 10) };
    rows.push({
      name: '(d) patient-view, FHIR query path, typical',
      bodyBytes: Buffer.byteLength(queryBody),
      serial: await load(demoSvc, queryBody, 1),
      concurrent: await load(demoSvc, queryBody, 10),
    });
    const rssPeakMb = peakRssMb(serviceOnly);
    const demoRssPeakMb = peakRssMb(service);
    const echoRssPeakMb = peakRssMb(echo);
    const engine = engineAlone([1000, 5000, 20000]);

    // Census row (issue 15): its own child process, after the rows above so it does not disturb them.
    const census = process.env.BENCH_CENSUS === '0' ? undefined : await censusBench({ root, host: HOST, durationS: DURATION_S, now: NOW, patients: Number(process.env.BENCH_CENSUS_PATIENTS ?? 1000) });
    const results = { when: NOW.toISOString(), node: process.version, cpus: os.cpus().length, durationS: DURATION_S, rssIdleMb, rssPeakMb, demoRssPeakMb, echoRssPeakMb, health, parseOnlyTypical: parseOnly, rows, engine, census };
    writeFileSync(path.join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

    console.log(`\nIEC-HS CDS service benchmark (${os.cpus().length} cores, node ${process.version}, ${DURATION_S}s per run, loopback)\n`);
    console.log('scenario'.padEnd(52), 'body KB'.padStart(8), 'p50 1c'.padStart(8), 'p99 1c'.padStart(8), 'echo p50'.padStart(9), 'p50/echo'.padStart(9), 'rps 10c'.padStart(8), 'echo rps'.padStart(9), 'rps/echo'.padStart(9));
    for (const r of rows) {
      console.log(
        r.name.padEnd(52),
        String(Math.round(r.bodyBytes / 1024)).padStart(8),
        `${r.serial.p50}ms`.padStart(8),
        `${r.serial.p99}ms`.padStart(8),
        (r.baseline ? `${r.baseline.serial.p50}ms` : '-').padStart(9),
        (r.baseline ? ratio(r.serial.p50, r.baseline.serial.p50) : '-').padStart(9),
        r.concurrent.rps.toFixed(1).padStart(8),
        (r.baseline ? r.baseline.concurrent.rps.toFixed(1) : '-').padStart(9),
        (r.baseline ? ratio(r.concurrent.rps, r.baseline.concurrent.rps) : '-').padStart(9),
      );
    }
    console.log(`\nparse-only baseline (typical body): p50 ${parseOnly.serial.p50}ms, ${parseOnly.concurrent.rps.toFixed(1)} rps at 10 connections`);
    console.log(`peak RSS: service ${rssPeakMb} MB, echo ${echoRssPeakMb} MB (rows b/c, 10 connections); demo process with the embedded FHIR server ${demoRssPeakMb} MB (${rssIdleMb} MB after start)`);
    for (const [who, h] of Object.entries(health)) {
      if (h) console.log(`/health of the ${who} during heavy load (10 connections): p50 ${h.healthP50Ms} ms, max ${h.healthMaxMs} ms over ${h.samples} polls`);
    }
    console.log('\nengine alone (timeline + criteria + cards, median of 7):');
    for (const e of engine) console.log(`  ${String(e.observations).padStart(6)} observations: ${e.medianMs} ms (${e.msPer1k} ms per 1k)`);
    if (census) printCensusRow(census);
    const failures = rows.filter((r) => r.serial.non2xx + r.concurrent.non2xx + r.serial.errors + r.concurrent.errors > 0);
    for (const f of failures) console.log(`WARNING: ${f.name}: non-2xx or errors during the run`, f.serial, f.concurrent);
    console.log('\nwritten: bench/results.json');
  } finally {
    service.kill('SIGTERM');
    serviceOnly.kill('SIGTERM');
    echo.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
