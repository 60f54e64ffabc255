/**
 * Census row of `npm run bench`: one census cycle over 1,000 synthetic watched patients on the embedded
 * FHIR server (the demo composition in a child process), with its time and the process's peak RSS;
 * hook calls (FHIR query path, 10 connections) are measured before and while the cycle runs, and the
 * throughput ratio reported (the bar: it must not fall by more than 20 %).
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import { syntheticPatientBundle } from './syntheticPatient.js';

export interface CensusBenchResult {
  patients: number;
  observationsPerPatient: number;
  concurrency: number;
  cycleMs: number;
  discovered: number;
  evaluated: number;
  failed: number;
  /** Discovery sources not read in full. */
  incomplete: string[];
  peakRssMb: number;
  hookRpsBefore: number;
  hookRpsDuring: number;
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

export async function censusBench(opts: { root: string; host: string; durationS: number; patients?: number; observations?: number; now: Date }): Promise<CensusBenchResult> {
  const patients = opts.patients ?? 1000;
  // Few labs per patient: the embedded server scans every Observation per search, so the total count,
  // not the per-patient count, sets the cost of each read (about 0.4 s per search at 10,000 Observations).
  const observations = opts.observations ?? 10;
  const child = fork(path.join(opts.root, 'dist/bench/censusProcess.js'), {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, HOST: opts.host, LOG_LEVEL: 'warn', FEEDBACK_DB: ':memory:', RATE_LIMIT_PER_CLIENT: '0', RATE_LIMIT_PER_ISSUER: '0', FHIR_BUDGET_MS: '20000', FHIR_TIMEOUT_MS: '15000', REQUEST_TIMEOUT_MS: '30000' },
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { port: number }) => resolve(m.port));
      child.once('exit', (code) => reject(new Error(`census bench process exited (code ${code})`)));
    });
    const base = `http://${opts.host}:${port}`;
    for (let i = 0; i < patients; i++) {
      const body = JSON.stringify(syntheticPatientBundle({ id: `census-${i}`, observations, now: opts.now }));
      // A keep-alive socket the server just closed can reset one request: the PUT transaction is idempotent, so retry.
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(`${base}/fhir`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body }).catch((e: unknown) => {
          if (attempt >= 3) throw e;
          return undefined;
        });
        if (!res) continue;
        if (!res.ok) throw new Error(`loading census-${i} failed: ${res.status}`);
        await res.arrayBuffer();
        break;
      }
    }
    const hookUrl = `${base}/cds-services/iec-hs-surveillance`;
    const body = JSON.stringify({ hook: 'patient-view', hookInstance: randomUUID(), fhirServer: `${base}/fhir`, context: { userId: 'Practitioner/bench-user', patientId: 'census-0' } });
    const before = await hookLoad(hookUrl, body, opts.durationS);

    const cycle = new Promise<CycleMessage>((resolve) => child.once('message', (m: CycleMessage) => resolve(m)));
    child.send({ cmd: 'cycle' });
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
    const rpsDuring = during.reduce((s, d) => s + d.rps, 0) / during.length;
    return {
      patients,
      observationsPerPatient: observations,
      concurrency: 4,
      cycleMs: msg.report.ms,
      discovered: msg.report.discovered,
      evaluated: msg.report.evaluated,
      failed: msg.report.failed,
      incomplete: msg.report.incomplete,
      peakRssMb: msg.maxRssMb ?? NaN,
      hookRpsBefore: before.rps,
      hookRpsDuring: rpsDuring,
      hookP99BeforeMs: before.p99,
      hookP99DuringMs: Math.max(...during.map((d) => d.p99)),
      ratio: rpsDuring / before.rps,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

export function printCensusRow(r: CensusBenchResult): void {
  console.log(
    `\ncensus: one cycle over ${r.patients} synthetic watched patients (${r.observationsPerPatient} obs each) + the fixtures, concurrency ${r.concurrency}: ` +
      `${(r.cycleMs / 1000).toFixed(1)} s, ${r.discovered} discovered, ${r.evaluated} evaluated, ${r.failed} failed, peak RSS ${r.peakRssMb} MB` +
      (r.incomplete.length ? ` (discovery incomplete: ${r.incomplete.join('; ')})` : ''),
  );
  console.log(
    `  hook calls (query path, 10c) before / during the cycle: ${r.hookRpsBefore.toFixed(1)} / ${r.hookRpsDuring.toFixed(1)} rps (ratio ${r.ratio.toFixed(2)}), p99 ${r.hookP99BeforeMs} / ${r.hookP99DuringMs} ms`,
  );
  if (r.ratio < 0.8) console.log('  WARNING: hook-call throughput fell by more than 20 % while the census cycle ran');
}
