/** Shared pieces of the census tests: the embedded FHIR server with chosen fixtures, a webhook receiver, a test configuration. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { RequestHandler } from 'express';
import type { Bundle, BundleEntry } from 'fhir/r4';
import { loadServerConfig } from '../../src/cli/runtime.js';
import type { AppConfig } from '../../src/config/types.js';
import { loadScenarios } from '../../src/fixtures/scenarios.js';
import { startEmbeddedFhir, type RunningFhir } from '../embedded-fhir/httpHarness.js';

export const FIXTURES_DIR = path.resolve('fhir-fixtures');

export function testConfig(census: Partial<AppConfig['census']> = {}): AppConfig {
  const base = loadServerConfig('test', { LOG_LEVEL: 'silent' });
  // Generous FHIR time limits: the machine running the tests is shared; the limits themselves are tested in test/robustness.
  return { ...base, fhir: { ...base.fhir, requestTimeoutMs: 10_000, budgetMs: 20_000 }, census: { ...base.census, enabled: true, ...census } };
}

function effectiveMs(e: BundleEntry): number | undefined {
  const r = e.resource;
  if (r?.resourceType !== 'Observation') return undefined;
  const t = (r).effectiveDateTime ?? (r).effectivePeriod?.start;
  return t ? Date.parse(t) : undefined;
}

export interface FixtureFhir extends RunningFhir {
  /** Loads the Observations held back at start (labs arriving between cycles). */
  releaseHeldBack(): Promise<void>;
}

/**
 * The embedded FHIR server on loopback with the given scenarios (date-shifted to now). Observations of
 * `holdBack.patientId` taken after `now - holdBack.lastHours` are kept back until releaseHeldBack().
 */
export async function startFixtureFhir(
  patientIds: string[],
  holdBack?: { patientId: string; lastHours: number },
  intercept?: RequestHandler,
): Promise<FixtureFhir> {
  const running = await startEmbeddedFhir(intercept ? { intercept } : {});
  const now = new Date();
  const loaded = await loadScenarios(FIXTURES_DIR, now);
  const held: BundleEntry[] = [];
  for (const { scenario, bundle } of loaded.scenarios) {
    if (!patientIds.includes(scenario.patientId)) continue;
    let entries = bundle.entry ?? [];
    if (holdBack?.patientId === scenario.patientId) {
      const cutoff = now.getTime() - holdBack.lastHours * 3_600_000;
      held.push(...entries.filter((e) => (effectiveMs(e) ?? 0) > cutoff));
      entries = entries.filter((e) => (effectiveMs(e) ?? 0) <= cutoff);
    }
    await running.fhir.loadBundle({ ...bundle, entry: entries });
  }
  return {
    ...running,
    async releaseHeldBack() {
      if (held.length === 0) throw new Error('nothing was held back');
      const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: held.splice(0) };
      await running.fhir.loadBundle(bundle);
    },
  };
}

export interface Receiver {
  url: string;
  /** Every POST received, in order. */
  requests: { idempotencyKey: string | undefined; body: Record<string, unknown>; answered: number }[];
  /** Answer the next n requests with 500. */
  failNext(n: number): void;
  /** Notification ids answered 2xx, with how many times each. */
  delivered(): Map<string, number>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  let failures = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = failures > 0 ? 500 : 202;
      if (failures > 0) failures--;
      const key = req.headers['idempotency-key'];
      requests.push({ idempotencyKey: typeof key === 'string' ? key : undefined, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>, answered: status });
      res.writeHead(status).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    failNext: (n) => {
      failures = n;
    },
    delivered: () => {
      const out = new Map<string, number>();
      for (const r of requests) if (r.answered < 300) out.set(String(r.body.id), (out.get(String(r.body.id)) ?? 0) + 1);
      return out;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Runs cycles until one evaluates every patient (at most `tries`): on this shared 2-core machine a
 * patient's FHIR budget can run out under load, and the census then simply retries on the next cycle.
 */
export async function settledCycle(census: { runCycle(): Promise<{ failed: number }> }, tries = 3): Promise<void> {
  for (let i = 0; i < tries; i++) if ((await census.runCycle()).failed === 0) return;
  throw new Error(`census cycles kept failing for some patients after ${tries} tries`);
}
