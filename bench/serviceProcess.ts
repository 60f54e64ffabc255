/**
 * The service as production composes it (CDS routes, card memory, metrics, health, worker pool; no
 * embedded FHIR server, no demo page) for the full-prefetch benchmark rows. Configuration is loaded in
 * test mode so no JWT is needed, then marked production so the app is built exactly as `serve` builds
 * it (no response self-check); the bench bodies carry their whole prefetch, so no FHIR server is read.
 * WORKER_THREADS=0 gives the same service without the pool. Reports its port to the parent over IPC,
 * and its event-loop delay when asked (eventLoopDelay.ts).
 */
import { loadServerConfig, startService } from '../src/cli/runtime.js';
import { createLogger } from '../src/server/logger.js';
import { answerEventLoopDelay } from './eventLoopDelay.js';

const config = loadServerConfig('test', { ...process.env, PORT: '0' });
const running = await startService({ ...config, mode: 'production' }, { logger: createLogger({ level: 'warn' }) });
answerEventLoopDelay();
process.send?.({ port: running.config.port });
process.on('SIGTERM', () => void running.close().then(() => process.exit(0)));
