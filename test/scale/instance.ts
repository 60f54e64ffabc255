/**
 * One service process for the scale test: the production composition (`serve`: configuration from the
 * environment, production safety checks, card memory, JWT auth) without the CLI's demo imports, so it
 * starts quickly from the TypeScript sources. Prints `listening <port>` once it accepts requests.
 */
import { ConfigError } from '../../src/config/load.js';
import { loadServerConfig, startService } from '../../src/cli/runtime.js';
import { createLogger } from '../../src/server/logger.js';

try {
  const config = loadServerConfig('production', process.env);
  const started = await startService(config, { logger: createLogger({ level: config.logLevel }) });
  process.stdout.write(`listening ${started.config.port}\n`);
  process.once('SIGTERM', () => void started.close().then(() => process.exit(0)));
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
}
