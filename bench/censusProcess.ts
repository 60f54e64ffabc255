/**
 * The demo composition (embedded FHIR + CDS service + census) for the census benchmark row. The census
 * runs only when the parent asks (IPC `cycle`), so the 1,000 synthetic patients are loaded first; it
 * answers with the cycle report and this process's peak RSS.
 */
import { startDemo } from '../src/cli/demoApp.js';
import { loadServerConfig } from '../src/cli/runtime.js';
import { createLogger } from '../src/server/logger.js';

const config = loadServerConfig('demo', { ...process.env, PORT: '0', CENSUS_ENABLED: 'false' });
const demo = await startDemo({ ...config, census: { ...config.census, enabled: true, intervalMinutes: 10_080 } }, { logger: createLogger({ level: 'warn' }) });
process.send?.({ port: demo.config.port });
process.on('message', (m: { cmd?: string }) => {
  if (m.cmd !== 'cycle' || !demo.census) return;
  demo.census.runCycle().then(
    (report) => process.send?.({ report, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }),
    (e: unknown) => process.send?.({ error: e instanceof Error ? e.message : String(e) }),
  );
});
process.on('SIGTERM', () => void demo.close().then(() => process.exit(0)));
