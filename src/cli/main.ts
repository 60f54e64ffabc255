/**
 * Command line entry: `demo` (service + embedded FHIR server with every fixture + demo page, one
 * process), `serve` (production: JWT required, no embedded FHIR), `evaluate` and `report`.
 * Servers shut down gracefully on SIGTERM/SIGINT: stop accepting, finish in-flight calls, close the
 * card memory.
 */
import type { Server } from 'node:http';
import { ConfigError } from '../config/load.js';
import { describeRelaxations } from '../config/safety.js';
import type { AppConfig, Mode } from '../config/types.js';
import type { CardMemory } from '../feedback/types.js';
import { createLogger, type Logger } from '../server/logger.js';
import { runEvaluateCli } from './evaluate.js';
import { runMigrateCli } from './migrate.js';
import { runReportCli } from './report.js';
import { closeStores, loadServerConfig, startService } from './runtime.js';

const USAGE = `usage: iec-hs <command> [options]
  demo       service + embedded FHIR server (all fixtures) + demo page on http://localhost:PORT (default 3000)
  serve      production service (JWT required; configuration from CONFIG_FILE and environment)
  evaluate   evaluate one patient from a FHIR server or a Bundle file (see: evaluate --help)
  report     feedback report from the card memory database (see: report --help);
             report --episodes: census episodes as CSV (time to card, feedback, treatment)
  migrate    apply the card-memory migrations (PostgreSQL from DATABASE_URL, else FEEDBACK_DB) and exit
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
      return runEvaluateCli(rest);
    case 'report':
      return runReportCli(rest);
    case 'migrate':
      return runMigrateCli(process.env);
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

async function runServer(mode: Mode): Promise<number> {
  let config: AppConfig;
  try {
    config = loadServerConfig(mode, process.env);
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError ? e.message : String(e)}\n`);
    return 1;
  }
  const logger = createLogger({ level: config.logLevel });
  // The demo (embedded FHIR server, fixtures, demo page) is loaded only in demo mode: `serve` never loads demo code.
  const start = mode === 'demo' ? (await import('./demoApp.js')).startDemo : startService;
  const started = await start(config, { logger }).catch((e: unknown) => {
    process.stderr.write(`cannot start on ${config.host}:${config.port}: ${(e as Error).message}\n`);
    return undefined;
  });
  if (!started) return 1;
  printBanner(started.config, started.baseUrl);
  return waitForShutdown(started.server, started.cardMemory, logger, () => started.app.requestPool?.close());
}

function printBanner(config: AppConfig, base: string): void {
  const lines =
    config.mode === 'demo'
      ? [
          `IEC-HS CDS service (DEMO mode) on ${base}`,
          `  demo page        ${base}/`,
          `  CDS discovery    ${base}/cds-services`,
          `  embedded FHIR    ${base}/fhir  (synthetic fixtures only, in memory)`,
          ...(config.census.enabled ? [`  census           ${base}/census  (open: no sign-in in demo mode; cycle every ${config.census.intervalMinutes} min)`] : []),
          ...describeRelaxations(config).map((line) => `  DEMO MODE: ${line}`),
          '  Never use demo mode with real patient data.',
        ]
      : [`IEC-HS CDS service (${config.mode}) on ${base}/cds-services; JWT ${config.auth.required ? 'required' : 'NOT required'}`];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function waitForShutdown(server: Server, cardMemory: CardMemory, logger: Logger, closePool: () => Promise<void> | undefined = () => undefined): Promise<number> {
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
      // Keep-alive sockets that fall idle after their last response would otherwise hold close() open
      // until keepAliveTimeout; close them as soon as they go idle.
      const reapIdle = setInterval(() => server.closeIdleConnections(), 100);
      reapIdle.unref();
      server.close(() => {
        clearTimeout(force);
        clearInterval(reapIdle);
        void closeStores(cardMemory, closePool)
          .catch((error: unknown) => logger.error({ err: error instanceof Error ? error.message : String(error) }, 'closing the worker pool or the card memory failed'))
          .finally(() => {
            logger.info('stopped');
            resolve(0);
          });
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
