/**
 * The demo exactly as `npm start` runs it (src/cli/demoApp.ts startDemo, configuration loaded the way
 * main.ts loads it), on an ephemeral loopback port with an in-memory card memory. Used by the browser tests.
 */
import type { Manifest } from '../../src/fixtures/manifest.js';
import { startDemo } from '../../src/cli/demoApp.js';
import { loadServerConfig } from '../../src/cli/runtime.js';
import { createLogger } from '../../src/server/logger.js';

export interface DemoApp {
  baseUrl: string;
  manifest: Manifest;
  close(): Promise<void>;
}

export async function startDemoApp(): Promise<DemoApp> {
  const config = loadServerConfig('demo', { PORT: '0', HOST: '127.0.0.1', FEEDBACK_DB: ':memory:', LOG_LEVEL: 'silent' });
  const demo = await startDemo(config, { logger: createLogger({ level: config.logLevel }) });
  if (!demo.manifest) {
    await demo.close();
    throw new Error('the demo started without fixtures (fhir-fixtures/manifest.json missing?)');
  }
  return { baseUrl: demo.baseUrl, manifest: demo.manifest, close: () => demo.close() };
}
