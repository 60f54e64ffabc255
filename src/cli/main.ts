/**
 * Command line entry: `demo` (service + embedded FHIR server with every fixture + demo page, one
 * process), `serve` (production: JWT required, no embedded FHIR), `evaluate` and `report`.
 * Servers shut down gracefully on SIGTERM/SIGINT: stop accepting, finish in-flight calls, close the
 * card memory.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config/load.js';
import type { AppConfig, Mode } from '../config/types.js';
import { resolveThresholds } from '../criteria/thresholds.js';
import { createDemoRouter } from '../demo/index.js';
import { createEmbeddedFhir, type EmbeddedFhir } from '../embedded-fhir/index.js';
import { buildTimeline } from '../features/index.js';
import { createSqliteCardMemory } from '../feedback/index.js';
import type { CardMemory } from '../feedback/types.js';
import { fetchPatientData } from '../fhir/index.js';
import { loadScenarios } from '../fixtures/scenarios.js';
import { healthRouter, metricsRouter, registerServiceIds } from '../observability/index.js';
import { createJwtAuth } from '../security/jwt.js';
import { createApp } from '../server/app.js';
import { createLogger, type Logger } from '../server/logger.js';
import { metricsObserver } from '../server/metricsObserver.js';

const USAGE = `usage: iec-hs <command> [options]
  demo       service + embedded FHIR server (all fixtures) + demo page on http://localhost:PORT (default 3000)
  serve      production service (JWT required; configuration from CONFIG_FILE and environment)
  evaluate   evaluate one patient from a FHIR server or a Bundle file (see: evaluate --help)
  report     feedback report from the card memory database (see: report --help)
`;

/** Grace period for in-flight requests at shutdown. */
const SHUTDOWN_GRACE_MS = 10_000;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'demo':
      return runServer('demo');
    case 'serve':
      return runServer('production');
    case 'evaluate':
      return (await loadEvaluateCli())(rest);
    case 'report':
      return (await import('./report.js')).runReportCli(rest);
    case undefined:
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command ? 0 : 2;
    default:
      process.stderr.write(`unknown command: ${command}\n${USAGE}`);
      return 2;
  }
}

/**
 * src/cli/evaluate.ts belongs to the criteria work and may not exist yet; a computed specifier keeps the
 * build green until it does. Replace with `(await import('./evaluate.js')).runEvaluateCli` once it lands.
 */
async function loadEvaluateCli(): Promise<(argv: string[]) => Promise<number>> {
  const specifier = './evaluate.js';
  const mod = (await import(specifier)) as { runEvaluateCli?: (argv: string[]) => Promise<number> };
  if (typeof mod.runEvaluateCli !== 'function') throw new Error('evaluate command not available in this build');
  return mod.runEvaluateCli;
}

async function runServer(mode: Mode): Promise<number> {
  let config: AppConfig;
  try {
    config = loadConfig({ mode, env: process.env, resolveThresholds });
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError ? e.message : String(e)}\n`);
    return 1;
  }
  const logger = createLogger({ level: config.logLevel });
  const cardMemory = openCardMemory(config, logger);
  const routers: { path: string; handler: import('express').RequestHandler }[] = [];
  let embedded: EmbeddedFhir | undefined;

  if (mode === 'demo') {
    // The demo page sends fhirServer = <its own origin>/fhir; that server is open only in demo mode.
    const port = config.port;
    config.fhir.openServers = [...config.fhir.openServers, `http://localhost:${port}/fhir`, `http://127.0.0.1:${port}/fhir`, `http://[::1]:${port}/fhir`];
    embedded = await createEmbeddedFhir();
    await loadFixtures(embedded, config.embeddedFhir.fixturesDir, logger);
    routers.push({ path: '/fhir', handler: embedded.router });
  }
  routers.push({ path: '/', handler: metricsRouter() });
  routers.push({
    path: '/',
    handler: healthRouter(() => ({ cardMemory: cardMemory.isReady(), ...(embedded ? { embeddedFhir: embedded.ready } : {}) })),
  });
  if (mode === 'demo') {
    const fhirBase = `http://127.0.0.1:${config.port}/fhir`;
    routers.push({
      path: '/',
      handler: createDemoRouter({
        manifestPath: path.join(config.embeddedFhir.fixturesDir, 'manifest.json'),
        timelineFor: async (patientId) => {
          const { data } = await fetchPatientData({ fhirServer: fhirBase, patientId, limits: config.fhir, allowInsecureLoopback: true });
          return data.patient ? buildTimeline(data, { now: new Date().toISOString() }) : undefined;
        },
      }),
    });
  }

  const app = createApp({
    config,
    logger,
    cardMemory,
    auth: createJwtAuth(config.auth, { logger, ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}) }),
    routers,
    observer: metricsObserver(),
    healthRoute: false,
    checkResponses: mode !== 'production',
  });
  registerServiceIds(app.cdsServices.map((s) => s.id));

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  }).catch((e: unknown) => {
    process.stderr.write(`cannot listen on ${config.host}:${config.port}: ${(e as Error).message}\n`);
    cardMemory.close();
    return undefined;
  });
  if (!server) return 1;
  server.requestTimeout = config.requestTimeoutMs + 5_000;
  server.headersTimeout = 15_000;
  printBanner(config, mode);
  return waitForShutdown(server, cardMemory, logger);
}

function openCardMemory(config: AppConfig, logger: Logger): CardMemory {
  if (config.feedback.dbPath !== ':memory:') fs.mkdirSync(path.dirname(config.feedback.dbPath), { recursive: true });
  return createSqliteCardMemory(config.feedback.dbPath, {
    suppressHours: config.feedback.suppressHours,
    onError: (e) => logger.error({ err: e instanceof Error ? e.message : String(e) }, 'card memory failed; cards sent unfiltered'),
  });
}

async function loadFixtures(embedded: EmbeddedFhir, dir: string, logger: Logger): Promise<void> {
  try {
    const loaded = await loadScenarios(dir, new Date());
    for (const { bundle } of loaded.scenarios) await embedded.loadBundle(bundle);
    logger.info({ scenarios: loaded.scenarios.length }, 'fixtures loaded into the embedded FHIR server');
  } catch (e) {
    logger.warn({ err: (e as Error).message }, 'fixtures not loaded; the embedded FHIR server starts empty');
  }
}

function printBanner(config: AppConfig, mode: Mode): void {
  const base = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}`;
  const lines =
    mode === 'demo'
      ? [
          `IEC-HS CDS service (DEMO mode) on ${base}`,
          `  demo page        ${base}/`,
          `  CDS discovery    ${base}/cds-services`,
          `  embedded FHIR    ${base}/fhir  (synthetic fixtures only, in memory)`,
          '  DEMO MODE: JWT checks are OFF and plain-http FHIR servers on loopback are allowed. Never use with real patient data.',
        ]
      : [`IEC-HS CDS service (${mode}) on ${base}/cds-services; JWT ${config.auth.required ? 'required' : 'NOT required'}`];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function waitForShutdown(server: Server, cardMemory: CardMemory, logger: Logger): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
      const force = setTimeout(() => {
        logger.warn('grace period over; closing remaining connections');
        server.closeAllConnections();
      }, SHUTDOWN_GRACE_MS);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        cardMemory.close();
        logger.info('stopped');
        resolve(0);
      });
      server.closeIdleConnections();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

// Run when executed directly (node dist/src/cli/main.js or bin/iec-hs.js), not when imported by tests.
const invokedDirectly = process.argv[1] !== undefined && /(^|[/\\])(main\.js|iec-hs(\.js)?)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`fatal: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
