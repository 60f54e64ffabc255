/**
 * One census cycle: discover the watched population, evaluate each patient with the same engine and the
 * same bounded FHIR access as a hook call (the surveillance service's prefetch templates through
 * src/fhir gatherPatientData: per-request timeout, per-patient budget, byte and page caps), with at most
 * `concurrency` patients in flight; store each result and its episode transition; then post pending
 * notifications. Only one instance runs a cycle at a time (EpisodeStore.withCycleLock).
 */
import type { AppConfig } from '../config/types.js';
import { evaluate } from '../criteria/index.js';
import { buildTimeline } from '../features/index.js';
import { gatherPatientData } from '../fhir/gather.js';
import type { FetchFn } from '../fhir/http.js';
import { defaultUrlPolicy } from '../fhir/urlPolicy.js';
import { prefetchTemplatesOf } from '../hooks/index.js';
import { insecureLoopbackAllowed } from '../security/fhirServerGuard.js';
import type { Logger } from '../server/logger.js';
import { writePendingCommunications, type CommunicationOptions, type CommunicationReport } from './communication.js';
import { discoverPatients } from './discovery.js';
import { deliverPending, type DeliveryReport, type WebhookOptions } from './notifier.js';
import type { GuardedFetch } from './outbound.js';
import { censusEntry, treatmentTimes } from './summary.js';
import type { EpisodeStore, NotificationFactory } from './types.js';
import { createYield } from './yieldToService.js';

export interface CycleDeps {
  config: AppConfig;
  fhirServer: string;
  store: EpisodeStore;
  /** Transport for FHIR reads (the outbound guard bound to fhirServer). */
  fetch: FetchFn;
  /** Bearer token for the FHIR server (backend services); undefined = none (demo). */
  accessToken?: () => Promise<string | undefined>;
  makeNotification: NotificationFactory;
  webhook?: { options: WebhookOptions; fetch: GuardedFetch };
  /** FHIR Communication per notification, written with `fetch` bound to the FHIR server. */
  communication?: { options: CommunicationOptions; fetch: GuardedFetch };
  now?: () => Date;
  logger?: Logger;
  /** Service whose prefetch templates define what is read per patient. */
  serviceId?: string;
}

export interface CycleReport {
  ran: boolean;
  startedAt: string;
  ms: number;
  discovered: number;
  evaluated: number;
  watched: number;
  failed: number;
  notificationsCreated: number;
  delivery?: DeliveryReport;
  communications?: CommunicationReport;
  incomplete: string[];
}

/** Discovery gets this many per-patient budgets: a few paged searches, not one patient's reads. */
const DISCOVERY_BUDGET_FACTOR = 5;

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}

export function createCycle(deps: CycleDeps): () => Promise<CycleReport> {
  const templates = prefetchTemplatesOf(deps.serviceId);
  const now = deps.now ?? (() => new Date());
  const { config } = deps;
  const policy = defaultUrlPolicy({ allowInsecureLoopback: insecureLoopbackAllowed(config) });
  const yieldToService = createYield({ busyAbove: config.census.yieldAbove, maxWaitMs: config.census.maxYieldMs });

  async function cycle(): Promise<Omit<CycleReport, 'ran'>> {
    const started = now();
    const t0 = performance.now();
    // The token is asked for again per patient and per write phase: a cycle that yields to hook calls can
    // outlive one token (backend services tokens often last 5 minutes); backendAuth reuses it until renewal.
    const bearer = async (): Promise<{ accessToken?: string }> => {
      const token = await deps.accessToken?.();
      return token ? { accessToken: token } : {};
    };
    const auth = await bearer();
    const discovery = await discoverPatients({
      fhirServer: deps.fhirServer,
      ...(config.census.population ? { population: config.census.population } : {}),
      search: config.census.discoverySearch,
      lookbackDays: config.census.lookbackDays,
      now: started,
      fetch: deps.fetch,
      limits: config.fhir,
      policy,
      budgetMs: config.fhir.budgetMs * DISCOVERY_BUDGET_FACTOR,
      ...auth,
    });
    const report: Omit<CycleReport, 'ran'> = {
      startedAt: started.toISOString(),
      ms: 0,
      discovered: discovery.patientIds.length,
      evaluated: 0,
      watched: 0,
      failed: 0,
      notificationsCreated: 0,
      incomplete: discovery.incomplete,
    };
    await pool(discovery.patientIds, config.census.concurrency, async (patientId) => {
      await yieldToService();
      const at = now().toISOString();
      try {
        const gathered = await gatherPatientData(
          { templates, context: { patientId }, fhirServer: deps.fhirServer, ...(await bearer()) },
          { fetch: deps.fetch, limits: config.fhir, policy },
        );
        if (gathered.unavailableRequired.length > 0) throw new Error(`required data unavailable: ${gathered.unavailableRequired.join(', ')}`);
        const evaluation = evaluate(buildTimeline(gathered.data, { now: at }), { thresholds: config.thresholds });
        const entry = censusEntry(patientId, evaluation, { evaluatedAt: at, partialData: gathered.missing, ...(gathered.data.patient ? { patient: gathered.data.patient } : {}) });
        const created = await deps.store.applyEvaluation(entry, treatmentTimes(evaluation), deps.makeNotification);
        report.evaluated++;
        if (entry.watched) report.watched++;
        report.notificationsCreated += created.length;
      } catch (e) {
        report.failed++;
        // The message names the failing data item or FHIR error kind, never a URL, id or value.
        await deps.store.recordFailure(patientId, at, e instanceof Error ? e.message : 'evaluation failed').catch(() => undefined);
      }
    });
    if (deps.webhook) report.delivery = await deliverPending(deps.store, deps.webhook.options, { fetch: deps.webhook.fetch, now, ...(deps.logger ? { logger: deps.logger } : {}) });
    if (deps.communication) {
      // A failed write waits for the next cycle; it never fails this one (nor the webhook above).
      const { options, fetch } = deps.communication;
      report.communications = await bearer()
        .then((token) => writePendingCommunications(deps.store, options, { fhirServer: deps.fhirServer, fetch, ...token, now, ...(deps.logger ? { logger: deps.logger } : {}) }))
        .catch((e: unknown) => {
        deps.logger?.warn({ err: e instanceof Error ? e.name : 'error' }, 'census Communication writes skipped');
        return { written: 0, failed: 0 };
      });
    }
    report.ms = Math.round(performance.now() - t0);
    return report;
  }

  return async () => {
    const result = await deps.store.withCycleLock(cycle);
    if (!result.ran) return { ran: false, startedAt: now().toISOString(), ms: 0, discovered: 0, evaluated: 0, watched: 0, failed: 0, notificationsCreated: 0, incomplete: [] };
    deps.logger?.info({ census: { ...result.value, incomplete: result.value.incomplete.length } }, 'census cycle done');
    return { ran: true, ...result.value };
  };
}
