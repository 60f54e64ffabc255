/**
 * Runs every fixture scenario through the three ways the service reads patient data and compares the
 * outcome with the manifest:
 *  - HTTP, prefetch path: this script acts as the CDS client, runs the discovery templates against the
 *    embedded FHIR server and POSTs the results as prefetch;
 *  - HTTP, FHIR query path: no prefetch, `fhirServer` = the embedded server (the service queries it);
 *  - the CLI (`iec-hs evaluate --bundle --json`), whose engine tier is mapped like the cards map it.
 * The embedded FHIR server and the service run in-process on 127.0.0.1. Dates are not shifted and the
 * service clock is pinned to the manifest anchor (plus the scenario's nowOffsetHours), so a scenario
 * whose meaning depends on the hour of the call is evaluated at that hour.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { CdsResponse, Indicator } from '../src/cards/cdsHooks.js';
import { runEvaluateCli } from '../src/cli/evaluate.js';
import { defaultConfig } from '../src/config/defaults.js';
import type { Evaluation, Tier } from '../src/criteria/types.js';
import { createEmbeddedFhir } from '../src/embedded-fhir/index.js';
import { clientPrefetch } from '../src/fixtures/clientPrefetch.js';
import { compareWithExpectation } from '../src/fixtures/expectations.js';
import type { Scenario, ServiceExpectation } from '../src/fixtures/manifest.js';
import { loadScenarios } from '../src/fixtures/scenarios.js';
import { createApp } from '../src/server/app.js';
import { createLogger } from '../src/server/logger.js';

export type Outcome = 'critical' | 'warning' | 'info' | 'none';
export const OUTCOMES: readonly Outcome[] = ['critical', 'warning', 'info', 'none'];
export type PathName = 'prefetch' | 'fhir-query' | 'cli';
export const PATHS: readonly PathName[] = ['prefetch', 'fhir-query', 'cli'];

export interface PathResult {
  scenario: string;
  path: PathName;
  expected: Outcome;
  got: Outcome;
  /** Every way the answer misses the manifest ([] = right). */
  problems: string[];
}

const HOUR_MS = 3_600_000;
const USER = 'Practitioner/validate-clinical';
const RANK: Readonly<Record<Outcome, number>> = { critical: 3, warning: 2, info: 1, none: 0 };

/** The most severe indicator of a set of cards (`none` for no cards). */
export function outcomeOf(indicators: readonly Indicator[]): Outcome {
  let best: Outcome = 'none';
  for (const i of indicators) {
    const o: Outcome = i === 'critical' || i === 'warning' || i === 'info' ? i : 'none';
    if (RANK[o] > RANK[best]) best = o;
  }
  return best;
}

const TIER_OUTCOME: Readonly<Record<Tier, Outcome>> = { critical: 'critical', warning: 'warning', watch: 'info', none: 'none' };

interface Discovery {
  services: { id: string; hook: string; prefetch?: Record<string, string> }[];
}

function httpResult(scenario: Scenario, path: PathName, status: number, body: CdsResponse, expectation: ServiceExpectation): PathResult {
  const expected = outcomeOf(expectation.indicators);
  if (status !== 200) return { scenario: scenario.id, path, expected, got: 'none', problems: [`HTTP ${status}`] };
  const got = outcomeOf(body.cards.map((c) => c.indicator));
  return { scenario: scenario.id, path, expected, got, problems: compareWithExpectation(body, expectation) };
}

async function cliResult(scenario: Scenario, file: string, nowIso: string, expectation: ServiceExpectation): Promise<PathResult> {
  const expected = outcomeOf(expectation.indicators);
  let out = '';
  let err = '';
  const code = await runEvaluateCli(['--bundle', file, '--patient', scenario.patientId, '--now', nowIso, '--json'], {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    env: {},
  });
  if (code !== 0) return { scenario: scenario.id, path: 'cli', expected, got: 'none', problems: [`CLI exit ${code}: ${err.trim()}`] };
  const { evaluation } = JSON.parse(out) as { evaluation: Evaluation };
  const tier = evaluation.picture?.tier;
  if (!evaluation.watched) return { scenario: scenario.id, path: 'cli', expected, got: 'none', problems: expected === 'none' ? [] : [`expected ${expected}, not watched`] };
  const got = tier ? TIER_OUTCOME[tier] : 'none';
  return { scenario: scenario.id, path: 'cli', expected, got, problems: got === expected ? [] : [`tier: expected ${expected}, got ${got}`] };
}

export interface ValidationRun {
  results: PathResult[];
  scenarios: number;
}

/** Every scenario of `fixturesDir` on every path (patient-view, the surveillance service). */
export async function validateClinical(fixturesDir: string): Promise<ValidationRun> {
  const embedded = await createEmbeddedFhir();
  const probe = await loadScenarios(fixturesDir, new Date(0));
  const anchor = new Date(probe.manifest.anchor);
  const loaded = await loadScenarios(fixturesDir, anchor);
  for (const { bundle } of loaded.scenarios) await embedded.loadBundle(bundle);

  let nowMs = anchor.getTime();
  const config = defaultConfig('test');
  const app = createApp({
    config,
    logger: createLogger({ level: 'silent' }),
    now: () => new Date(nowMs),
    routers: [{ path: '/fhir', handler: embedded.router }],
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fhirBase = `${base}/fhir`;
  config.fhir.openServers = [fhirBase];
  const results: PathResult[] = [];
  try {
    const discovery = (await (await fetch(`${base}/cds-services`)).json()) as Discovery;
    const service = discovery.services.find((s) => s.id === 'iec-hs-surveillance');
    if (!service) throw new Error('iec-hs-surveillance is not in discovery');
    for (const { scenario } of loaded.scenarios) {
      nowMs = anchor.getTime() + (scenario.nowOffsetHours ?? 0) * HOUR_MS;
      const expectation = scenario.expect['iec-hs-surveillance'];
      const context = { patientId: scenario.patientId, userId: USER };
      const call = async (prefetch?: Record<string, unknown>): Promise<{ status: number; body: CdsResponse }> => {
        const res = await fetch(`${base}/cds-services/${service.id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ hook: service.hook, hookInstance: randomUUID(), fhirServer: fhirBase, context, ...(prefetch ? { prefetch } : {}) }),
        });
        return { status: res.status, body: (await res.json()) as CdsResponse };
      };
      const viaPrefetch = await call(await clientPrefetch(fhirBase, service.prefetch ?? {}, context));
      results.push(httpResult(scenario, 'prefetch', viaPrefetch.status, viaPrefetch.body, expectation));
      const viaQuery = await call();
      results.push(httpResult(scenario, 'fhir-query', viaQuery.status, viaQuery.body, expectation));
      results.push(await cliResult(scenario, path.join(fixturesDir, scenario.file), new Date(nowMs).toISOString(), expectation));
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return { results, scenarios: loaded.scenarios.length };
}

const pct = (n: number, d: number): string => (d === 0 ? '   n/a' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

/** Confusion matrix (expected rows x got columns), per-tier sensitivity / specificity / PPV, disagreements. */
export function report(run: ValidationRun): string {
  const lines: string[] = [];
  const { results } = run;
  lines.push(`validate:clinical: ${run.scenarios} scenarios x ${PATHS.length} paths (${PATHS.join(', ')}) = ${results.length} answers`);
  for (const p of [...PATHS, 'all'] as const) {
    const rows = p === 'all' ? results : results.filter((r) => r.path === p);
    lines.push('', `Confusion matrix, ${p === 'all' ? 'all paths' : `path ${p}`} (rows: expected, columns: got)`);
    lines.push(`${'expected \\ got'.padEnd(16)}${OUTCOMES.map((o) => o.padStart(10)).join('')}`);
    for (const e of OUTCOMES) {
      lines.push(`${e.padEnd(16)}${OUTCOMES.map((g) => String(rows.filter((r) => r.expected === e && r.got === g).length).padStart(10)).join('')}`);
    }
    lines.push(`${'tier'.padEnd(16)}${'sens'.padStart(10)}${'spec'.padStart(10)}${'PPV'.padStart(10)}`);
    for (const o of OUTCOMES) {
      const tp = rows.filter((r) => r.expected === o && r.got === o).length;
      const fn = rows.filter((r) => r.expected === o && r.got !== o).length;
      const fp = rows.filter((r) => r.expected !== o && r.got === o).length;
      const tn = rows.filter((r) => r.expected !== o && r.got !== o).length;
      lines.push(`${o.padEnd(16)}${pct(tp, tp + fn).padStart(10)}${pct(tn, tn + fp).padStart(10)}${pct(tp, tp + fp).padStart(10)}`);
    }
  }
  const wrong = results.filter((r) => r.problems.length > 0);
  lines.push('', `Disagreements: ${wrong.length}`);
  for (const r of wrong) lines.push(`  ${r.scenario} [${r.path}]: expected ${r.expected}, got ${r.got}: ${r.problems.join('; ')}`);
  const right = results.length - wrong.length;
  lines.push('', `${right}/${results.length} answers right (${run.scenarios - new Set(wrong.map((r) => r.scenario)).size}/${run.scenarios} scenarios right on every path)`);
  return `${lines.join('\n')}\n`;
}
