/**
 * Census row of `npm run bench`: one census cycle over 1,000 synthetic watched patients held by the
 * embedded FHIR server running as the EHR, in its own process (bench/censusFhirProcess.ts), read by the
 * service (bench/censusProcess.ts: the demo composition plus the census), with the cycle's time and the
 * peak RSS of both processes. Hook calls (FHIR query path against the service's own embedded server,
 * 10 connections, the same row as before) are measured before and while the cycle runs, and the
 * throughput ratio reported (the bar: it must not fall by more than 20 %).
 *
 * Alone: `npm run build && node dist/bench/census.js` (BENCH_CENSUS_PATIENTS, BENCH_DURATION_S,
 * CENSUS_BENCH_CONCURRENCY).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { syntheticPatientBundle } from './syntheticPatient.js';

export interface CensusBenchResult {
  patients: number;
  observationsPerPatient: number;
  concurrency: number;
  /** The cycle while hook calls saturate the service (the census yields to them). */
  cycleMs: number;
  /** A second cycle with no hook load. */
  idleCycleMs: number;
  discovered: number;
  evaluated: number;
  failed: number;
  /** Discovery sources not read in full. */
  incomplete: string[];
  peakRssMb: number;
  /** Peak RSS of the EHR's FHIR server process. */
  fhirPeakRssMb: number;
  /** Resources the FHIR server examined during the cycle (its search cost). */
  fhirVisited: number;
  hookRpsBefore: number;
  hookRpsDuring: number;
  /** Hook throughput after the cycle; the ratio's reference is the mean of before and after. */
  hookRpsAfter: number;
  hookP99BeforeMs: number;
  hookP99DuringMs: number;
  ratio: number;
}

interface CycleMessage {
  report?: { ms: number; evaluated: number; failed: number; discovered: number; incomplete: string[] };
  maxRssMb?: number;
  error?: string;
}

async function hookLoad(url: string, body: string, durationS: number): Promise<{ rps: number; p99: number }> {
  const r = await autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 10, duration: durationS, timeout: 30 });
  return { rps: r.requests.average, p99: r.latency.p99 };
}

function childPort(child: ChildProcess, name: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`${name} exited (code ${code})`)));
  });
}

async function postBundle(url: string, body: string, what: string): Promise<void> {
  // A keep-alive socket the server just closed can reset one request: the PUT transaction is idempotent, so retry.
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body }).catch((e: unknown) => {
      if (attempt >= 3) throw e;
      return undefined;
    });
    if (!res) continue;
    if (!res.ok) throw new Error(`loading ${what} failed: ${res.status}`);
    await res.arrayBuffer();
    return;
  }
}

export async function censusBench(opts: { root: string; host: string; durationS: number; patients?: number; observations?: number; concurrency?: number; now: Date }): Promise<CensusBenchResult> {
  const patients = opts.patients ?? 1000;
  const observations = opts.observations ?? 10;
  const concurrency = opts.concurrency ?? 2;
  const fhirChild = fork(path.join(opts.root, 'dist/bench/censusFhirProcess.js'), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, HOST: opts.host } });
  let child: ChildProcess | undefined;
  try {
    const fhirPort = await childPort(fhirChild, 'census FHIR process');
    const ehr = `http://${opts.host}:${fhirPort}/fhir`;
    child = fork(path.join(opts.root, 'dist/bench/censusProcess.js'), {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: {
        ...process.env,
        HOST: opts.host,
        LOG_LEVEL: 'warn',
        FEEDBACK_DB: ':memory:',
        RATE_LIMIT_PER_CLIENT: '0',
        RATE_LIMIT_PER_ISSUER: '0',
        FHIR_BUDGET_MS: '20000',
        FHIR_TIMEOUT_MS: '15000',
        REQUEST_TIMEOUT_MS: '30000',
        CENSUS_FHIR_SERVER: ehr,
        CENSUS_BENCH_CONCURRENCY: String(concurrency),
      },
    });
    const service = child;
    const port = await childPort(service, 'census bench process');
    const base = `http://${opts.host}:${port}`;
    for (let i = 0; i < patients; i++) {
      await postBundle(ehr, JSON.stringify(syntheticPatientBundle({ id: `census-${i}`, observations, now: opts.now })), `census-${i}`);
    }
    // The hook rows read census-0 from the service's own embedded server, as the other query-path rows do.
    await postBundle(`${base}/fhir`, JSON.stringify(syntheticPatientBundle({ id: 'census-0', observations, now: opts.now })), 'census-0 (hook)');
    const hookUrl = `${base}/cds-services/iec-hs-surveillance`;
    const body = JSON.stringify({ hook: 'patient-view', hookInstance: randomUUID(), fhirServer: `${base}/fhir`, context: { userId: 'Practitioner/bench-user', patientId: 'census-0' } });
    const before = await hookLoad(hookUrl, body, opts.durationS);

    const cycle = new Promise<CycleMessage>((resolve) => service.once('message', (m: CycleMessage) => resolve(m)));
    service.send({ cmd: 'cycle' });
    let cycleDone = false;
    void cycle.then(() => {
      cycleDone = true;
    });
    // Hook load for as long as the cycle runs (at least one run of durationS).
    const during: { rps: number; p99: number }[] = [];
    do during.push(await hookLoad(hookUrl, body, opts.durationS));
    while (!cycleDone);
    const msg = await cycle;
    if (msg.error || !msg.report) throw new Error(`census cycle failed: ${msg.error ?? 'no report'}`);
    // Measured again after the cycle: the reference is the mean of before and after, so a change in the
    // machine's other load during the run moves both sides of the ratio alike.
    const after = await hookLoad(hookUrl, body, opts.durationS);
    // A second cycle with no hook load: what the cycle costs when the service is otherwise idle.
    const idle = new Promise<CycleMessage>((resolve) => service.once('message', (m: CycleMessage) => resolve(m)));
    service.send({ cmd: 'cycle' });
    const idleMsg = await idle;
    if (idleMsg.error || !idleMsg.report) throw new Error(`census idle cycle failed: ${idleMsg.error ?? 'no report'}`);
    const fhirStats = new Promise<{ maxRssMb: number; visited: number }>((resolve) => fhirChild.once('message', (m: { maxRssMb: number; visited: number }) => resolve(m)));
    fhirChild.send({ cmd: 'stats' });
    const stats = await fhirStats;
    const rpsDuring = during.reduce((s, d) => s + d.rps, 0) / during.length;
    return {
      patients,
      observationsPerPatient: observations,
      concurrency,
      cycleMs: msg.report.ms,
      idleCycleMs: idleMsg.report.ms,
      discovered: msg.report.discovered,
      evaluated: msg.report.evaluated,
      failed: msg.report.failed,
      incomplete: msg.report.incomplete,
      peakRssMb: msg.maxRssMb ?? NaN,
      fhirPeakRssMb: stats.maxRssMb,
      fhirVisited: stats.visited,
      hookRpsBefore: before.rps,
      hookRpsAfter: after.rps,
      hookRpsDuring: rpsDuring,
      hookP99BeforeMs: before.p99,
      hookP99DuringMs: Math.max(...during.map((d) => d.p99)),
      ratio: rpsDuring / ((before.rps + after.rps) / 2),
    };
  } finally {
    child?.kill('SIGTERM');
    fhirChild.kill('SIGTERM');
  }
}

export function printCensusRow(r: CensusBenchResult): void {
  console.log(
    `\ncensus: one cycle over ${r.patients} synthetic watched patients (${r.observationsPerPatient} obs each) on a separate FHIR process, concurrency ${r.concurrency}: ` +
      `${(r.cycleMs / 1000).toFixed(1)} s under hook load (${(r.idleCycleMs / 1000).toFixed(1)} s without), ${r.discovered} discovered, ${r.evaluated} evaluated, ${r.failed} failed, peak RSS service ${r.peakRssMb} MB / FHIR ${r.fhirPeakRssMb} MB, ` +
      `${r.fhirVisited} resources examined by the FHIR server` +
      (r.incomplete.length ? ` (discovery incomplete: ${r.incomplete.join('; ')})` : ''),
  );
  console.log(
    `  hook calls (query path, 10c) before / during / after the cycle: ${r.hookRpsBefore.toFixed(1)} / ${r.hookRpsDuring.toFixed(1)} / ${r.hookRpsAfter.toFixed(1)} rps ` +
      `(ratio during / mean(before, after) ${r.ratio.toFixed(2)}), p99 ${r.hookP99BeforeMs} / ${r.hookP99DuringMs} ms`,
  );
  if (r.ratio < 0.8) console.log('  WARNING: hook-call throughput fell by more than 20 % while the census cycle ran');
}

// Run alone: only the census row, without the rest of `npm run bench`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await censusBench({
    root: process.cwd(),
    host: '127.0.0.1',
    durationS: Number(process.env.BENCH_DURATION_S ?? 6),
    patients: Number(process.env.BENCH_CENSUS_PATIENTS ?? 1000),
    ...(process.env.CENSUS_BENCH_CONCURRENCY ? { concurrency: Number(process.env.CENSUS_BENCH_CONCURRENCY) } : {}),
    now: new Date(),
  });
  printCensusRow(result);
  console.log(JSON.stringify(result));
}
