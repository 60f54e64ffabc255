/**
 * What `serve` and `demo` share, so both run the same composition: configuration as start-up loads it,
 * the card memory, the CDS app with metrics and health, and an HTTP server with its timeouts.
 */
import fs from 'node:fs';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { loadConfig } from '../config/load.js';
import type { AppConfig, Mode } from '../config/types.js';
import { createCensus } from '../census/index.js';
import { resolveThresholds } from '../criteria/thresholds.js';
import { createSqliteCardMemory } from '../feedback/index.js';
import type { CardMemory } from '../feedback/types.js';
import { healthRouter, metricsObserver, metricsRouter, registerServiceIds, type Readiness } from '../observability/index.js';
import { applyServerTimeouts } from '../security/hardening.js';
import { createApp, type CdsApp } from '../server/app.js';
import type { Logger } from '../server/logger.js';

/** Configuration for a server command; threshold overrides are checked against the threshold table, so a bad one stops start-up. */
export function loadServerConfig(mode: Mode, env: Record<string, string | undefined>): AppConfig {
  return loadConfig({ mode, env, resolveThresholds });
}

export function openCardMemory(config: AppConfig, logger: Logger): CardMemory {
  if (config.feedback.dbPath !== ':memory:') fs.mkdirSync(path.dirname(config.feedback.dbPath), { recursive: true });
  return createSqliteCardMemory(config.feedback.dbPath, {
    suppressHours: config.feedback.suppressHours,
    ...(config.feedback.hmacKey ? { hmacKey: config.feedback.hmacKey } : {}),
    onError: (e) => logger.error({ err: e instanceof Error ? e.message : String(e) }, 'card memory failed; cards sent unfiltered'),
  });
}

export interface ServiceAppOptions {
  logger: Logger;
  cardMemory: CardMemory;
  /** Mounted before /metrics and /health (embedded FHIR, demo page). */
  routers?: { path: string; handler: RequestHandler }[];
  /** Extra readiness checks besides the card memory. */
  readiness?: Readiness;
}

/** The CDS app (hardening and JWT auth from config) with Prometheus metrics, /health and /ready. */
export function createServiceApp(config: AppConfig, opts: ServiceAppOptions): CdsApp {
  const { cardMemory } = opts;
  const app = createApp({
    config,
    logger: opts.logger,
    cardMemory,
    routers: [
      ...(opts.routers ?? []),
      { path: '/', handler: metricsRouter() },
      { path: '/', handler: healthRouter(() => ({ cardMemory: cardMemory.isReady(), ...opts.readiness?.() })) },
    ],
    observer: metricsObserver(),
    healthRoute: false,
    checkResponses: config.mode !== 'production',
  });
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
  const local = ['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'].includes(host);
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
  /** Stops accepting, ends open connections, closes the card memory (tests; the CLI shuts down gracefully). */
  close(): Promise<void>;
}

export function running(listening: Listening, app: CdsApp, config: AppConfig, cardMemory: CardMemory): RunningServer {
  listening.attach(app);
  const { server } = listening;
  return {
    server,
    app,
    baseUrl: browserOrigin(config.host, listening.port),
    config,
    cardMemory,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          cardMemory.close();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** The production service: CDS routes, /metrics, /health, /ready; no embedded FHIR server, no demo page. */
export async function startService(baseConfig: AppConfig, { logger }: { logger: Logger }): Promise<RunningServer> {
  const listening = await listen(baseConfig);
  const config = { ...baseConfig, port: listening.port };
  const cardMemory = openCardMemory(config, logger);
  // Census (issue 15): off unless census.enabled; then scheduled against census.fhirServer with backend services auth.
  const census = config.census.enabled ? await createCensus({ config, logger }).catch((e: unknown) => {
    listening.server.close();
    cardMemory.close();
    throw e;
  }) : undefined;
  const server = running(listening, createServiceApp(config, { logger, cardMemory, ...(census ? { routers: [{ path: '/', handler: census.router }] } : {}) }), config, cardMemory);
  census?.start();
  return census ? { ...server, close: () => census.stop().then(() => server.close()) } : server;
}
