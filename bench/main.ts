/**
 * `npm run bench`: the service against a bare express app that parses the same body and answers
 * `{"cards":[]}` (the parse-only baseline, the physical floor), measured in the same run, on loopback
 * only. Writes bench/results.json and prints a Markdown table: each figure, its target (issue 16), the
 * figure before this work and the one measured now.
 *
 *   baseline  express parses the body, answers {"cards":[]}; the echo (sends the body back) is extra info
 *   service   production composition (CDS routes, card memory, metrics; no embedded FHIR server), worker pool
 *   inline    the same with WORKER_THREADS=0 (every call on the event loop): what the pool gains
 *   (b/c)     patient-view with full prefetch: typical (300 Observations), heavy (5,000 Observations)
 *   (d)       patient-view with no prefetch: the demo process queries its own embedded FHIR server
 *   (e)       the engine alone (timeline + criteria + cards) on 1k / 5k / 20k Observations
 *   (f)       two trade-offs, for information: typical load split over two service processes (a
 *             second event loop), heavy load on a service with two worker threads (and its memory)
 *
 * One connection ("serial") gives latency, ten give throughput and the tail. /health is polled every
 * 20 ms while ten connections send heavy bodies. Absolute numbers on a shared 2-core machine are noise;
 * read the ratios, and rerun when other work was running.
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
import { patientDataFromBundle } from '../src/fhir/bundle.js';
import { evaluate } from '../src/criteria/index.js';
import { buildTimeline } from '../src/features/index.js';
import { censusBench, printCensusRow } from './census.js';
import type { EventLoopDelay } from './eventLoopDelay.js';
import { syntheticPatientBundle } from './syntheticPatient.js';

const HOST = '127.0.0.1';
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 6);
const NOW = new Date();
const HEALTH_POLL_MS = 20;

interface LoadResult {
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  /** CPU time the target process (all its threads) spent per answered request: robust to a busy machine. */
  cpuMsPerRequest: number;
  /** The part of it on the event loop's thread (the rest: worker threads, V8's GC and compiler threads). */
  eventLoopCpuMsPerRequest: number;
}

/** One body against one target, one connection and ten. */
interface Pair {
  serial: LoadResult;
  concurrent: LoadResult;
}

interface HealthUnderLoad {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  samples: number;
  /** The target's own event-loop delay over the same load (measured inside it). */
  eventLoop?: EventLoopDelay;
}

/** Starts the child's event-loop delay histogram, runs `work`, reads the histogram. */
async function eventLoopDuring<T>(child: ChildProcess, work: Promise<T>): Promise<{ result: T; eventLoop?: EventLoopDelay }> {
  child.send({ eventLoop: 'start' });
  const result = await work;
  const eventLoop = await new Promise<EventLoopDelay | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 5000);
    const onMessage = (m: { eventLoop?: EventLoopDelay }): void => {
      if (!m.eventLoop) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m.eventLoop);
    };
    child.on('message', onMessage);
    child.send({ eventLoop: 'read' });
  });
  return { result, ...(eventLoop ? { eventLoop } : {}) };
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

/** User + system CPU time of a process and all its threads, ms (from /proc); with `thread`, of that thread alone. */
function cpuMs(pid: number | undefined, thread?: number): number {
  const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 (utime, stime) in clock ticks of 10 ms; here counted from field 3 (state).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function load(url: string, body: string, connections: number, pid: number | undefined): Promise<LoadResult> {
  const cpuBefore = cpuMs(pid);
  // The event loop runs on the process's first thread, whose id is the process id.
  const loopBefore = cpuMs(pid, pid);
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
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuMsPerRequest: Number(((cpuMs(pid) - cpuBefore) / Math.max(1, result.requests.total)).toFixed(1)),
    eventLoopCpuMsPerRequest: Number(((cpuMs(pid, pid) - loopBefore) / Math.max(1, result.requests.total)).toFixed(1)),
  };
}

/** The same body against several targets at once, `connections` each: their throughput summed. */
async function loadSplit(urls: string[], body: string, connections: number, pids: (number | undefined)[]): Promise<{ rps: number; connections: number; cpuMsPerRequest: number; nonOk: number }> {
  const cpuBefore = pids.map((pid) => cpuMs(pid));
  const results = await Promise.all(urls.map((url) => autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration: DURATION_S, timeout: 30 })));
  const requests = results.reduce((sum, r) => sum + r.requests.total, 0);
  const cpu = pids.reduce<number>((sum, pid, i) => sum + cpuMs(pid) - (cpuBefore[i] ?? 0), 0);
  const nonOk = results.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0);
  return { rps: results.reduce((sum, r) => sum + r.requests.average, 0), connections: connections * urls.length, cpuMsPerRequest: Number((cpu / Math.max(1, requests)).toFixed(1)), nonOk };
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
      if (!next) prefetch[key] = { ...merged, link: undefined, total: merged.entry?.length ?? 0 };
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

/** Polls /health every HEALTH_POLL_MS while `work` runs: the event loop must keep answering. */
async function healthDuring<T>(url: string, work: Promise<T>): Promise<{ result: T; health: HealthUnderLoad }> {
  const samples: number[] = [];
  let done = false;
  const poller = (async () => {
    while (!done) {
      const t = performance.now();
      await fetch(url).then((r) => r.arrayBuffer());
      samples.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, HEALTH_POLL_MS));
    }
  })();
  const result = await work;
  done = true;
  await poller;
  samples.sort((a, b) => a - b);
  const at = (q: number): number => Math.round(samples[Math.min(samples.length - 1, Math.floor(samples.length * q))] ?? NaN);
  return { result, health: { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: Math.round(samples.at(-1) ?? NaN), samples: samples.length } };
}

/**
 * The engine alone on each size, in the steady state a running service is in: per size one full GC,
 * untimed warm-up runs over at least WARMUP_OBSERVATIONS values (the JIT compiles the engine again
 * after the GC; five runs of the 1k patient were too few), then RUNS timed runs that
 * pay for their own garbage as it is collected (young-generation scavenges inside the run); the median
 * is reported. No full GC between timed runs: it frees the maps the optimized engine code holds weakly,
 * so V8 deoptimizes that code ("weak objects" in --trace-deopt) and every run after it measured
 * re-optimization instead of the engine (85-100 ms at 20k against 65-80 ms in the steady state, the
 * same build, one machine; docs/performance.md).
 */
function engineAlone(counts: number[]): { observations: number; medianMs: number; msPer1k: number; cpuMedianMs: number; runsMs: number[] }[] {
  const WARMUP_OBSERVATIONS = 100_000;
  const RUNS = 15;
  const gc = (globalThis as { gc?: () => void }).gc;
  // Through JSON text and back, as the service receives it: the generator's conditional spreads give
  // thousands of object shapes that parsed JSON never has, which would time V8's slow paths instead.
  const inputs = counts.map((observations) => ({ observations, data: patientDataFromBundle(JSON.parse(JSON.stringify(syntheticPatientBundle({ id: `engine-${observations}`, observations, now: NOW })))).data }));
  // Wall time, and the process's CPU time (user + system, ms) over the same run: CPU time does not count
  // the time the process waited for a core, so it stays readable when the machine is oversubscribed.
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let lastCpuMs = 0;
  const once = (data: (typeof inputs)[number]['data']): number => {
    const c = cpu();
    const t = performance.now();
    const timeline = buildTimeline(data, { now: NOW.toISOString() });
    const evaluation = evaluate(timeline);
    patientViewCards(evaluation, { serviceId: 'iec-hs-surveillance', patientId: 'p', now: NOW.toISOString() });
    const wall = performance.now() - t;
    lastCpuMs = cpu() - c;
    return wall;
  };
  return inputs.map(({ observations, data }) => {
    gc?.();
    for (let i = 0; i < Math.max(5, Math.ceil(WARMUP_OBSERVATIONS / observations)); i++) once(data);
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      times.push(once(data));
      cpuTimes.push(lastCpuMs);
    }
    const runsMs = times.map((t) => Number(t.toFixed(1)));
    const median = (xs: number[]): number => Number(([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN).toFixed(1));
    const medianMs = median(times);
    return { observations, medianMs, msPer1k: Number(((medianMs * 1000) / observations).toFixed(2)), cpuMedianMs: median(cpuTimes), runsMs };
  });
}

/** Figures before: issue 16 (demo composition) and the previous README run (2026-12-07 18:55 UTC, another VM boot). */
const BEFORE = {
  typicalRpsRatio: '0.36x-0.42x; prev. run 0.52x',
  typicalP50: '6.7 vs 2.7 ms; prev. run 8 vs 4 ms',
  heavyRpsRatio: '0.56x-0.61x; prev. run 0.66x',
  heavyP50: '87 vs 33 ms; prev. run 90 vs 32 ms',
  heavyP99: 'up to 3.3 s vs 0.52 s; prev. run 0.83x',
  heavyMax: '6.7-8.0 s vs 0.56-0.62 s; prev. run 0.83x',
  health: 'blocked behind parsing; prev. run 22 ms',
  rss: '507 MB (demo); prev. run 277 MB (baseline 297 MB)',
  engine20k: '144 ms; prev. run 43.2 ms',
};

interface Check {
  figure: string;
  target: string;
  before: string;
  after: string;
  met: boolean;
}

function x(a: number, b: number): number {
  return Number((a / b).toFixed(2));
}

function startChild(root: string, name: string, env: Record<string, string>): { child: ChildProcess; port: Promise<number> } {
  const child = fork(path.join(root, 'dist/bench', name), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, ...env } });
  const port = new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`${name} exited during start-up (code ${code})`)));
  });
  return { child, port };
}

async function main(): Promise<void> {
  const root = process.cwd();
  const demoPort = await freePort();
  const demoBase = `http://${HOST}:${demoPort}`;
  const fhir = `${demoBase}/fhir`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'iec-hs-bench-'));
  const serviceEnv = (db: string, extra: Record<string, string> = {}): Record<string, string> => ({
    HOST,
    LOG_LEVEL: 'warn',
    FEEDBACK_DB: path.join(tmp, db),
    RATE_LIMIT_PER_CLIENT: '0',
    RATE_LIMIT_PER_ISSUER: '0',
    ...extra,
  });

  const baselineProc = startChild(root, 'echoServer.js', {});
  const serviceProc = startChild(root, 'serviceProcess.js', serviceEnv('service.sqlite'));
  const inlineProc = startChild(root, 'serviceProcess.js', serviceEnv('inline.sqlite', { WORKER_THREADS: '0' }));
  // (f): a second process beside `inline` (a second event loop), and a service with two workers.
  const secondInlineProc = startChild(root, 'serviceProcess.js', serviceEnv('inline2.sqlite', { WORKER_THREADS: '0' }));
  const twoWorkersProc = startChild(root, 'serviceProcess.js', serviceEnv('two-workers.sqlite', { WORKER_THREADS: '2' }));
  const demo = spawn(process.execPath, [path.join(root, 'dist/src/cli/main.js'), 'demo'], {
    env: { ...process.env, ...serviceEnv('demo.sqlite'), PORT: String(demoPort), FHIR_BUDGET_MS: '20000', REQUEST_TIMEOUT_MS: '30000', FHIR_TIMEOUT_MS: '15000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const children = [baselineProc.child, serviceProc.child, inlineProc.child, secondInlineProc.child, twoWorkersProc.child, demo];
  const exited = new Promise<never>((_resolve, reject) => demo.once('exit', (code) => reject(new Error(`the demo process exited during the benchmark (code ${code})`))));
  exited.catch(() => undefined);
  try {
    const [baselinePort, servicePort, inlinePort, secondInlinePort, twoWorkersPort] = await Promise.all([baselineProc.port, serviceProc.port, inlineProc.port, secondInlineProc.port, twoWorkersProc.port]);
    await Promise.race([waitFor(`${demoBase}/health`), exited]);
    const baseline = `http://${HOST}:${baselinePort}`;
    const service = `http://${HOST}:${servicePort}`;
    const inline = `http://${HOST}:${inlinePort}`;
    const secondInline = `http://${HOST}:${secondInlinePort}`;
    const twoWorkers = `http://${HOST}:${twoWorkersPort}`;
    const svcPath = '/cds-services/iec-hs-surveillance';

    const patients = { typical: 300, heavy: 5000 } as const;
    const bodies = { typical: '', heavy: '' };
    for (const name of ['typical', 'heavy'] as const) {
      const id = `bench-${name}`;
      const bundle = syntheticPatientBundle({ id, observations: patients[name], now: NOW });
      const loaded = await fetch(fhir, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(bundle) });
      if (!loaded.ok) throw new Error(`loading ${id} into the embedded FHIR server failed: ${loaded.status}`);
      bodies[name] = hookRequest(id, fhir, await buildPrefetch(demoBase, fhir, id));
    }
    const queryBody = hookRequest('bench-typical', fhir);

    // Sanity: each body gets an answer with cards before anything is measured (also warms the workers).
    for (const [base, body] of [[service, bodies.typical], [service, bodies.heavy], [inline, bodies.typical], [inline, bodies.heavy], [secondInline, bodies.typical], [twoWorkers, bodies.typical], [twoWorkers, bodies.heavy], [twoWorkers, bodies.heavy], [demoBase, queryBody]] as const) {
      const r = await fetch(`${base}${svcPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const json = (await r.json()) as { cards?: unknown[] };
      if (r.status !== 200 || !Array.isArray(json.cards) || json.cards.length === 0) throw new Error(`${base} answered ${r.status} during warm-up`);
    }

    const [pb, ps, pi] = [baselineProc.child.pid, serviceProc.child.pid, inlineProc.child.pid];
    const run = async (url: string, body: string, pid: number | undefined): Promise<Pair> => ({ serial: await load(url, body, 1, pid), concurrent: await load(url, body, 10, pid) });
    const typical = {
      baseline: await run(`${baseline}/parse`, bodies.typical, pb),
      service: await run(`${service}${svcPath}`, bodies.typical, ps),
      inline: await run(`${inline}${svcPath}`, bodies.typical, pi),
      echo: await run(`${baseline}/echo`, bodies.typical, pb),
    };
    // (f) Half the connections to each of two processes: what a second event loop would give.
    const typicalTwoProcesses = await loadSplit([`${inline}${svcPath}`, `${secondInline}${svcPath}`], bodies.typical, 5, [pi, secondInlineProc.child.pid]);
    const heavyUnderWatch = async (base: string, url: string, child: ChildProcess): Promise<Pair & { health: HealthUnderLoad }> => {
      const serial = await load(url, bodies.heavy, 1, child.pid);
      const measured = await eventLoopDuring(child, healthDuring(`${base}/health`, load(url, bodies.heavy, 10, child.pid)));
      const watched = measured.result;
      return { serial, concurrent: watched.result, health: { ...watched.health, ...(measured.eventLoop ? { eventLoop: measured.eventLoop } : {}) } };
    };
    const heavy = {
      baseline: await heavyUnderWatch(baseline, `${baseline}/parse`, baselineProc.child),
      service: await heavyUnderWatch(service, `${service}${svcPath}`, serviceProc.child),
      inline: await heavyUnderWatch(inline, `${inline}${svcPath}`, inlineProc.child),
      echo: await run(`${baseline}/echo`, bodies.heavy, pb),
    };
    const rss = { serviceMb: peakRssMb(serviceProc.child), inlineMb: peakRssMb(inlineProc.child), baselineMb: peakRssMb(baselineProc.child) };
    // (f) Two workers: two heavy evaluations at once, each with its own heap.
    const heavyTwoWorkers = { ...(await load(`${twoWorkers}${svcPath}`, bodies.heavy, 10, twoWorkersProc.child.pid)), peakRssMb: peakRssMb(twoWorkersProc.child) };
    const queryPath = await run(`${demoBase}${svcPath}`, queryBody, demo.pid);
    const engine = engineAlone([1000, 5000, 20000]);

    // Census row (issue 15): its own child process, after the rows above so it does not disturb them.
    const census = process.env.BENCH_CENSUS === '0' ? undefined : await censusBench({ root, host: HOST, durationS: DURATION_S, now: NOW, patients: Number(process.env.BENCH_CENSUS_PATIENTS ?? 1000) });
    const t = { base: typical.baseline, svc: typical.service };
    const h = { base: heavy.baseline, svc: heavy.service };
    const e20 = engine.find((e) => e.observations === 20000);
    // Linear: the cost per Observation at 20k within 1.5x of that at 5k (1k is dominated by the fixed cost).
    const e5 = engine.find((e) => e.observations === 5000);
    const checks: Check[] = [
      { figure: 'typical: throughput vs baseline (10 conn.)', target: '>= 0.8x', before: BEFORE.typicalRpsRatio, after: `${x(t.svc.concurrent.rps, t.base.concurrent.rps)}x (${t.svc.concurrent.rps.toFixed(0)} vs ${t.base.concurrent.rps.toFixed(0)} rps)`, met: x(t.svc.concurrent.rps, t.base.concurrent.rps) >= 0.8 },
      { figure: 'typical: one at a time, p50', target: '<= baseline + 3 ms', before: BEFORE.typicalP50, after: `${t.svc.serial.p50} ms vs ${t.base.serial.p50} ms`, met: t.svc.serial.p50 <= t.base.serial.p50 + 3 },
      { figure: 'heavy: throughput vs baseline (10 conn.)', target: '>= 0.8x', before: BEFORE.heavyRpsRatio, after: `${x(h.svc.concurrent.rps, h.base.concurrent.rps)}x (${h.svc.concurrent.rps.toFixed(1)} vs ${h.base.concurrent.rps.toFixed(1)} rps)`, met: x(h.svc.concurrent.rps, h.base.concurrent.rps) >= 0.8 },
      { figure: 'heavy: one at a time, p50', target: '(info)', before: BEFORE.heavyP50, after: `${h.svc.serial.p50} ms vs ${h.base.serial.p50} ms`, met: true },
      { figure: 'heavy: p99 (10 conn.)', target: '<= 1.5x baseline', before: BEFORE.heavyP99, after: `${h.svc.concurrent.p99} ms vs ${h.base.concurrent.p99} ms (${x(h.svc.concurrent.p99, h.base.concurrent.p99)}x)`, met: h.svc.concurrent.p99 <= 1.5 * h.base.concurrent.p99 },
      { figure: 'heavy: max (10 conn.)', target: '<= 2x baseline', before: BEFORE.heavyMax, after: `${h.svc.concurrent.max} ms vs ${h.base.concurrent.max} ms (${x(h.svc.concurrent.max, h.base.concurrent.max)}x)`, met: h.svc.concurrent.max <= 2 * h.base.concurrent.max },
      { figure: '/health p99 during heavy load', target: '< 50 ms', before: BEFORE.health, after: `${heavy.service.health.p99Ms} ms (baseline ${heavy.baseline.health.p99Ms} ms, ${heavy.service.health.samples} polls; service event-loop delay p99 ${heavy.service.health.eventLoop?.p99Ms ?? '?'} ms)`, met: heavy.service.health.p99Ms < 50 },
      { figure: 'peak RSS, production composition, heavy load', target: '<= 300 MB', before: BEFORE.rss, after: `${rss.serviceMb} MB (inline ${rss.inlineMb} MB, baseline ${rss.baselineMb} MB)`, met: rss.serviceMb <= 300 },
      { figure: '(f) typical: two service processes, 5 + 5 conn.', target: '(info)', before: 'not measured', after: `${x(typicalTwoProcesses.rps, t.base.concurrent.rps)}x (${typicalTwoProcesses.rps.toFixed(0)} rps; CPU ${typicalTwoProcesses.cpuMsPerRequest} ms per request)`, met: true },
      { figure: '(f) heavy: two worker threads (WORKER_THREADS=2)', target: '(info)', before: 'not measured', after: `${x(heavyTwoWorkers.rps, h.base.concurrent.rps)}x (${heavyTwoWorkers.rps.toFixed(1)} rps), peak RSS ${heavyTwoWorkers.peakRssMb} MB`, met: true },
      { figure: 'engine alone, 20,000 Observations', target: '< 60 ms, linear', before: BEFORE.engine20k, after: `${e20?.medianMs} ms (CPU ${e20?.cpuMedianMs} ms); ${engine.map((e) => `${e.msPer1k}`).join(' / ')} ms per 1k at ${engine.map((e) => `${e.observations / 1000}k`).join(' / ')}`, met: (e20?.medianMs ?? Infinity) < 60 && (e20?.msPer1k ?? Infinity) <= 1.5 * (e5?.msPer1k ?? 0) },
    ];

    const failures = [typical, heavy].flatMap((g) => Object.entries(g)).filter(([, p]) => p.serial.non2xx + p.concurrent.non2xx + p.serial.errors + p.concurrent.errors > 0);
    const results = {
      when: NOW.toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))),
      durationS: DURATION_S,
      bodyBytes: { typical: Buffer.byteLength(bodies.typical), heavy: Buffer.byteLength(bodies.heavy), query: Buffer.byteLength(queryBody) },
      checks,
      typical,
      heavy,
      rss,
      tradeOffs: { typicalTwoProcesses, heavyTwoWorkers },
      queryPath,
      engine,
      nonOk: [
        ...failures.map(([name]) => name),
        ...(typicalTwoProcesses.nonOk > 0 ? ['typicalTwoProcesses'] : []),
        ...(heavyTwoWorkers.non2xx + heavyTwoWorkers.errors > 0 ? ['heavyTwoWorkers'] : []),
      ],
      census,
    };
    writeFileSync(path.join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);

    const kb = (n: number): string => `${(n / 1048576).toFixed(2)} MiB`;
    console.log(`\nIEC-HS CDS service benchmark: ${os.cpus().length} cores, node ${process.version}, ${DURATION_S} s per load, loopback, load average ${results.loadAverage.join(' ')}`);
    console.log(`bodies: typical ${kb(results.bodyBytes.typical)}, heavy ${kb(results.bodyBytes.heavy)}; baseline = express parsing the same body, answering {"cards":[]}\n`);
    console.log('| figure | target | before (issue 16) | after (this run) | met |');
    console.log('|---|---|---|---|---|');
    for (const c of checks) console.log(`| ${c.figure} | ${c.target} | ${c.before} | ${c.after} | ${c.target === '(info)' ? '' : c.met ? 'yes' : 'NO'} |`);
    console.log('\n| load | target | 1 conn. p50 / p99 / max (ms) | 10 conn. rps | 10 conn. p50 / p99 / max (ms) | CPU ms per request (1 / 10 conn.) | of it on the event loop (10 conn.) |');
    console.log('|---|---|---|---|---|---|---|');
    for (const [name, group] of [['typical', typical], ['heavy', heavy]] as const) {
      for (const [who, p] of Object.entries(group)) {
        const label = who === 'inline' ? 'service, no pool' : who === 'echo' ? 'echo (extra info)' : who;
        console.log(`| ${name} | ${label} | ${p.serial.p50} / ${p.serial.p99} / ${p.serial.max} | ${p.concurrent.rps.toFixed(1)} | ${p.concurrent.p50} / ${p.concurrent.p99} / ${p.concurrent.max} | ${p.serial.cpuMsPerRequest} / ${p.concurrent.cpuMsPerRequest} | ${p.concurrent.eventLoopCpuMsPerRequest} |`);
      }
    }
    console.log(`| (d) FHIR query path | demo, typical | ${queryPath.serial.p50} / ${queryPath.serial.p99} / ${queryPath.serial.max} | ${queryPath.concurrent.rps.toFixed(1)} | ${queryPath.concurrent.p50} / ${queryPath.concurrent.p99} / ${queryPath.concurrent.max} | ${queryPath.serial.cpuMsPerRequest} / ${queryPath.concurrent.cpuMsPerRequest} | ${queryPath.concurrent.eventLoopCpuMsPerRequest} |`);
    console.log(`\n/health during heavy load (p50 / p99 / max ms): service ${heavy.service.health.p50Ms} / ${heavy.service.health.p99Ms} / ${heavy.service.health.maxMs}; no pool ${heavy.inline.health.p50Ms} / ${heavy.inline.health.p99Ms} / ${heavy.inline.health.maxMs}; baseline ${heavy.baseline.health.p50Ms} / ${heavy.baseline.health.p99Ms} / ${heavy.baseline.health.maxMs}`);
    const eld = (h: HealthUnderLoad): string => (h.eventLoop ? `${h.eventLoop.p50Ms} / ${h.eventLoop.p99Ms} / ${h.eventLoop.maxMs}` : 'n/a');
    console.log(`event-loop delay inside the process during heavy load (p50 / p99 / max ms): service ${eld(heavy.service.health)}; no pool ${eld(heavy.inline.health)}; baseline ${eld(heavy.baseline.health)}`);
    console.log('engine alone (timeline + criteria + cards; steady state: warmed up, median of 15, GC as it happens):', engine.map((e) => `${e.observations} obs ${e.medianMs} ms (${e.msPer1k} ms/1k; CPU ${e.cpuMedianMs} ms)`).join('; '));
    if (census) printCensusRow(census);
    for (const name of results.nonOk) console.log(`WARNING: ${name}: non-2xx answers or errors during the run (see bench/results.json)`);
    console.log('\nwritten: bench/results.json');
  } finally {
    for (const c of children) c.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
