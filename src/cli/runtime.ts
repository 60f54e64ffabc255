/**
 * What `serve` and `demo` share, so both run the same composition: configuration as start-up loads it,
 * the card memory, the CDS app with metrics and health, and an HTTP server with its timeouts.
 */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { loadConfig } from '../config/load.js';
import type { AppConfig, Mode } from '../config/types.js';
import { createCensus } from '../census/index.js';
import { resolveThresholds } from '../criteria/thresholds.js';
import { openStore, type Store } from '../feedback/store.js';
import type { CardMemory } from '../feedback/types.js';
import { metricsAccess } from '../security/metricsAccess.js';
import type { ReplayStore } from '../security/replayStore.js';
import { metricsObserver, metricsRouter, registerServiceIds } from '../observability/index.js';
import type { Readiness } from '../server/health.js';
import { applyServerTimeouts } from '../security/hardening.js';
import { createApp, type CdsApp } from '../server/app.js';
import type { Logger } from '../server/logger.js';
import { createSmartAppRouter, DEFAULT_CLIENT_ID, DEFAULT_SCOPE } from '../smart/appRouter.js';
import { createRequestPool, requestPoolOptionsFromEnv, type RequestPool } from '../server/requestPool.js';
import { CARD_RULES } from '../cards/cardRules.js';
import { isLoopbackHost } from '../net/loopback.js';

/** Configuration for a server command; threshold overrides are checked against the threshold table, so a bad one stops start-up. */
export function loadServerConfig(mode: Mode, env: Record<string, string | undefined>): AppConfig {
  return loadConfig({ mode, env, resolveThresholds });
}

/**
 * The instance's shared state: PostgreSQL when feedback.databaseUrl (DATABASE_URL) is set, else the
 * SQLite file (created 0600); migrated before use. Holds the card memory and the JWT replay cache.
 */
export function openServiceStore(config: AppConfig, logger: Logger): Promise<Store> {
  return openStore(
    { dbPath: config.feedback.dbPath, ...(config.feedback.databaseUrl ? { databaseUrl: config.feedback.databaseUrl } : {}), poolSize: config.feedback.poolSize },
    {
      cards: CARD_RULES,
      suppressHours: config.feedback.suppressHours,
      suppressScope: config.feedback.suppressScope,
      ...(config.feedback.hmacKey ? { hmacKey: config.feedback.hmacKey } : {}),
      // Only the message: a driver error can quote the connection string's host, never the password.
      onError: (e) => logger.error({ err: e instanceof Error ? e.message : String(e) }, 'card memory or replay cache failed'),
    },
  );
}

/** `site.timeZone` when the configuration has it (typed loosely: the field arrives with the engine work). */
function siteTimeZone(config: AppConfig): string | undefined {
  const zone = (config as AppConfig & { site?: { timeZone?: unknown } }).site?.timeZone;
  return typeof zone === 'string' ? zone : undefined;
}

export interface ServiceAppOptions {
  logger: Logger;
  cardMemory: CardMemory;
  /** Seen-jti store shared with the card memory's database. */
  replayStore?: ReplayStore;
  /** Mounted before /metrics and /health (embedded FHIR, demo page). */
  routers?: { path: string; handler: RequestHandler }[];
  /** Extra readiness checks besides the card memory. */
  readiness?: Readiness;
  /** Worker pool for large service calls; default one sized to the cores (WORKER_THREADS=0: none). */
  requestPool?: RequestPool;
}

/** The CDS app (hardening and JWT auth from config) with Prometheus metrics, /health and /ready. */
export function createServiceApp(config: AppConfig, opts: ServiceAppOptions): CdsApp {
  const { cardMemory } = opts;
  const poolOptions = requestPoolOptionsFromEnv(process.env);
  const requestPool = opts.requestPool ?? (poolOptions ? createRequestPool(poolOptions) : undefined);
  const app = createApp({
    config,
    logger: opts.logger,
    cardMemory,
    ...(opts.replayStore ? { replayStore: opts.replayStore } : {}),
    routers: [
      // The SMART timeline app (static; patient data goes browser <-> EHR only), in every mode; before
      // the demo page, whose static files would otherwise answer /app/*.html with the service's CSP.
      {
        path: '/app',
        handler: createSmartAppRouter({
          launch: {
            clientId: config.smartApp?.clientId ?? DEFAULT_CLIENT_ID,
            scope: config.smartApp?.scope ?? DEFAULT_SCOPE,
            thresholds: config.thresholds,
            // The site time zone (configuration `site.timeZone`, added by the clinical engine work) so the
            // app counts days and prints times as the service does.
            ...(siteTimeZone(config) ? { timeZone: siteTimeZone(config) } : {}),
          },
        }),
      },
      ...(opts.routers ?? []),
      // With a metrics port, /metrics is served there only (see listenMetrics).
      ...(config.metrics.port === undefined
        ? [
            { path: '/metrics', handler: metricsAccess(config.metrics) },
            { path: '/', handler: metricsRouter() },
          ]
        : []),
    ],
    ...(opts.readiness ? { readiness: opts.readiness } : {}),
    observer: metricsObserver(),
    checkResponses: config.mode !== 'production',
    ...(requestPool ? { requestPool } : {}),
  });
  // Closed with the server (running().close, the CLI's shutdown).
  Object.defineProperty(app, 'requestPool', { value: requestPool, enumerable: false });
  registerServiceIds(app.cdsServices.map((s) => s.id));
  return app;
}

export interface Listening {
  server: Server;
  port: number;
  /** Attaches the app; until then every request gets 503 (start-up still loading). */
  attach(app: http.RequestListener): void;
}

/** Listens on `config.host:config.port` (0 = ephemeral) with the slow-client limits of src/security. */
export async function listen(config: AppConfig): Promise<Listening> {
  let handler: http.RequestListener = (_req, res) => {
    res.writeHead(503, { 'Retry-After': '1', 'Content-Type': 'text/plain' }).end('starting\n');
  };
  const server = http.createServer((req, res) => handler(req, res));
  applyServerTimeouts(server, config);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    attach: (app) => {
      handler = app;
    },
  };
}

/** Origin a person on this machine types for a server bound to `host` (wildcard and loopback -> localhost). */
export function browserOrigin(host: string, port: number): string {
  const local = host === '0.0.0.0' || host === '::' || isLoopbackHost(host);
  const name = local ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/** Origin this process uses to reach itself (the demo's own FHIR reads). */
export function selfOrigin(host: string, port: number): string {
  if (host === '0.0.0.0' || host === 'localhost') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

export interface RunningServer {
  server: Server;
  app: CdsApp;
  /** Origin to open in a browser, e.g. http://localhost:3000. */
  baseUrl: string;
  /** The configuration the app runs with. */
  config: AppConfig;
  cardMemory: CardMemory;
  /** The loopback metrics server, when metrics.port is set. */
  metricsServer?: Server;
  /** Stops accepting, ends open connections, closes the card memory (tests; the CLI shuts down gracefully). */
  close(): Promise<void>;
}

export function running(listening: Listening, app: CdsApp, config: AppConfig, cardMemory: CardMemory, metricsServer?: Server): RunningServer {
  listening.attach(app);
  const { server } = listening;
  return {
    server,
    app,
    baseUrl: browserOrigin(config.host, listening.port),
    config,
    cardMemory,
    ...(metricsServer ? { metricsServer } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        metricsServer?.close();
        metricsServer?.closeAllConnections();
        server.close(() => {
          void closeStores(cardMemory, () => app.requestPool?.close())
            .catch(() => undefined)
            .finally(() => resolve());
        });
        server.closeAllConnections();
      }),
  };
}

/**
 * Closes the worker pool, then the card memory. The pool waits for the calls it is running, and a call
 * whose client has gone (or whose connection was closed at shutdown) still records its cards when it
 * comes back from the worker; with both closed at once it met a closed database and logged a failure.
 */
export async function closeStores(cardMemory: CardMemory, closePool: () => Promise<void> | undefined): Promise<void> {
  try {
    await closePool();
  } finally {
    await cardMemory.close();
  }
}

/**
 * The separate metrics port (config.metrics.port), bound to loopback (checked at start-up), token
 * still required when one is set. Unref'd: it never keeps a stopping process alive.
 */
export async function listenMetrics(config: AppConfig): Promise<Server | undefined> {
  if (config.metrics.port === undefined) return undefined;
  const app = express();
  app.disable('x-powered-by');
  app.use('/metrics', metricsAccess(config.metrics));
  app.use(metricsRouter());
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.metrics.port, config.metrics.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  return server;
}

/** The production service: CDS routes, /metrics, /health, /ready; no embedded FHIR server, no demo page. */
export async function startService(baseConfig: AppConfig, { logger }: { logger: Logger }): Promise<RunningServer> {
  const listening = await listen(baseConfig);
  const config = { ...baseConfig, port: listening.port };
  let store: Store | undefined;
  let census: Awaited<ReturnType<typeof createCensus>> | undefined;
  try {
    store = await openServiceStore(config, logger);
    const metricsServer = await listenMetrics(config);
    // Census (issue 15): off unless census.enabled; then scheduled against census.fhirServer with backend services auth.
    census = config.census.enabled ? await createCensus({ config, logger }) : undefined;
    const app = createServiceApp(config, {
      logger,
      cardMemory: store.cardMemory,
      replayStore: store.replayStore,
      ...(census ? { routers: [{ path: '/', handler: census.router }] } : {}),
    });
    const server = running(listening, app, config, store.cardMemory, metricsServer);
    if (!census) return server;
    const started = census;
    started.start();
    return { ...server, close: () => started.stop().then(() => server.close()) };
  } catch (e) {
    await census?.stop().catch(() => undefined);
    listening.server.close();
    await store?.close();
    throw e;
  }
}
