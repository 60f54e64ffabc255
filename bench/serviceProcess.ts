/**
 * The service as production composes it (CDS routes, card memory, metrics, health; no embedded FHIR
 * server, no demo page), in test mode so no JWT is needed, for the full-prefetch benchmark rows.
 * Reports its port to the parent over IPC.
 */
import { loadServerConfig, startService } from '../src/cli/runtime.js';
import { createLogger } from '../src/server/logger.js';

const config = loadServerConfig('test', { ...process.env, PORT: '0' });
const running = await startService(config, { logger: createLogger({ level: 'warn' }) });
process.send?.({ port: running.config.port });
process.on('SIGTERM', () => void running.close().then(() => process.exit(0)));
