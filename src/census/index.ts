/**
 * The census service: episode store, FHIR transport and auth, the scheduled cycle, notifications and
 * the /census routes, assembled from the configuration. `serve` runs it only when census.enabled;
 * demo runs it against the embedded /fhir without auth.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { RequestHandler } from 'express';
import type { AppConfig } from '../config/types.js';
import type { GuardedFetchDeps } from '../security/fhirServerGuard.js';
import type { Logger } from '../server/logger.js';
import { createBackendAuth } from './backendAuth.js';
import { createCycle, type CycleReport } from './cycle.js';
import { notificationFactory } from './notifier.js';
import { guardedFetchFor, guardedFhirTransport } from './outbound.js';
import { createCensusRouter } from './router.js';
import { createPostgresEpisodeStore, createSqliteEpisodeStore } from './sqlStore.js';
import type { EpisodeStore } from './types.js';
import { createUserAuth } from './userAuth.js';

export type { CensusEntry, EpisodeStore, NotificationRecord, EpisodeRow } from './types.js';
export { createSqliteEpisodeStore, createPostgresEpisodeStore } from './sqlStore.js';

export interface CensusOptions {
  config: AppConfig;
  logger: Logger;
  /** FHIR base to watch; default config.census.fhirServer (demo: the embedded /fhir). */
  fhirServer?: string;
  /** Guard internals for tests (resolver, fetcher); production uses the defaults. */
  guard?: GuardedFetchDeps;
  now?: () => Date;
  store?: EpisodeStore;
  /** Delay of the first scheduled cycle after start(), ms (default 5 s: start-up and the first chart views go first). */
  firstCycleDelayMs?: number;
}

export interface Census {
  router: RequestHandler;
  store: EpisodeStore;
  runCycle(): Promise<CycleReport>;
  lastCycle(): CycleReport | undefined;
  /** Starts the schedule: a first cycle after firstCycleDelayMs, then every intervalMinutes. */
  start(): void;
  /** Stops the schedule, waits for a running cycle, closes the store. */
  stop(): Promise<void>;
}

/** What keeps the census from running safely with this configuration. */
export function censusProblems(config: AppConfig, fhirServer: string | undefined): string[] {
  const problems: string[] = [];
  if (!fhirServer) problems.push('census.fhirServer (CENSUS_FHIR_SERVER): is required when the census is enabled');
  if (config.mode === 'production') {
    if (fhirServer && !fhirServer.startsWith('https://')) problems.push('census.fhirServer: must use https in production');
    if (!config.census.backendAuth) problems.push('census.backendAuth: SMART Backend Services registration is required in production');
    if (!config.census.userClientId) problems.push('census.userClientId (CENSUS_USER_CLIENT_ID): census sign-in needs a registered client id in production');
    if (!config.publicBaseUrl) problems.push('publicBaseUrl (PUBLIC_BASE_URL): census sign-in needs the public origin for its redirect URI');
  }
  if (config.census.webhook && config.mode === 'production' && !config.census.webhook.url.startsWith('https://')) problems.push('census.webhook.url: must use https in production');
  return problems;
}

export async function createCensus(opts: CensusOptions): Promise<Census> {
  const { config, logger } = opts;
  const fhirServer = opts.fhirServer ?? config.census.fhirServer;
  const problems = censusProblems(config, fhirServer);
  if (problems.length > 0 || !fhirServer) throw new Error(`census cannot start:\n  - ${problems.join('\n  - ')}`);
  const now = opts.now ?? (() => new Date());
  const fetchFor = (target: string) => guardedFetchFor(target, config, opts.guard);
  const fhirFetch = guardedFhirTransport(fhirServer, config, opts.guard);
  const store =
    opts.store ?? (config.census.databaseUrl ? await createPostgresEpisodeStore(config.census.databaseUrl, randomUUID) : await createSqliteEpisodeStore(config.census.dbPath, randomUUID));

  const ba = config.census.backendAuth;
  const backendAuth = ba
    ? createBackendAuth({
        fhirServer,
        clientId: ba.clientId,
        privateKeyPem: fs.readFileSync(ba.privateKeyFile, 'utf8'),
        keyId: ba.keyId,
        algorithm: ba.algorithm,
        scope: ba.scope,
        fetchFor,
      })
    : undefined;
  const base = config.publicBaseUrl?.replace(/\/+$/, '');
  const webhook = config.census.webhook;
  const communication = config.census.communication;
  const runCycleOnce = createCycle({
    config,
    fhirServer,
    store,
    fetch: fhirFetch,
    ...(backendAuth ? { accessToken: () => backendAuth.accessToken() } : {}),
    makeNotification: notificationFactory({
      include: webhook?.include ?? 'no-patient-id',
      ...(base ? { censusUrl: `${base}/census` } : {}),
      ...(communication ? { communication } : {}),
    }),
    ...(webhook ? { webhook: { options: webhook, fetch: fetchFor(webhook.url) } } : {}),
    ...(communication ? { communication: { options: communication, fetch: fetchFor(fhirServer) } } : {}),
    now,
    logger,
  });

  let last: CycleReport | undefined;
  let running: Promise<CycleReport> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let firstTimer: NodeJS.Timeout | undefined;
  const runCycle = (): Promise<CycleReport> => {
    running ??= runCycleOnce()
      .then((r) => {
        if (r.ran) last = r;
        return r;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const tick = (): void => {
    runCycle().catch((e: unknown) => logger.error({ err: e instanceof Error ? e.message : 'error' }, 'census cycle failed'));
  };

  const userAuth =
    config.mode === 'production' || config.census.userClientId
      ? createUserAuth({
          config,
          fhirServer,
          clientId: config.census.userClientId ?? '',
          publicBaseUrl: base ?? '',
          fetchFor,
          fhirFetch,
        })
      : undefined;

  const router = createCensusRouter({
    mode: config.mode,
    store,
    // The timeline page exists only in demo; elsewhere the SMART app (served at /app in every mode) is launched against the census's FHIR server.
    patientLink:
      config.mode === 'demo'
        ? { kind: 'timeline', baseUrl: config.timelineBaseUrl ?? '/timeline.html' }
        : { kind: 'smart-app', launchUrl: `${base ?? ''}/app/launch.html`, iss: fhirServer },
    lastCycle: () => last,
    intervalMinutes: config.census.intervalMinutes,
    ...(userAuth ? { userAuth } : {}),
  });

  return {
    router,
    store,
    runCycle,
    lastCycle: () => last,
    start() {
      if (timer) return;
      const first = setTimeout(tick, opts.firstCycleDelayMs ?? 5_000);
      first.unref();
      timer = setInterval(tick, config.census.intervalMinutes * 60_000);
      timer.unref();
      firstTimer = first;
    },
    async stop() {
      if (firstTimer) clearTimeout(firstTimer);
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
      await store.close();
    },
  };
}
