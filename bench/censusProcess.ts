/**
 * The service for the census benchmark row: the demo composition (CDS service + its embedded FHIR server
 * for the hook calls), plus a census watching the EHR's FHIR server in another process
 * (CENSUS_FHIR_SERVER, bench/censusFhirProcess.ts), with CENSUS_BENCH_CONCURRENCY patients at a time and
 * CENSUS_BENCH_YIELD_ABOVE (default: the configuration's census.yieldAbove).
 * The census runs only when the parent asks (IPC `cycle`), so the synthetic patients are loaded first;
 * it answers with the cycle report and this process's peak RSS.
 */
import { createCensus } from '../src/census/index.js';
import { startDemo } from '../src/cli/demoApp.js';
import { loadServerConfig } from '../src/cli/runtime.js';
import { createLogger } from '../src/server/logger.js';

const ehr = process.env.CENSUS_FHIR_SERVER;
if (!ehr) throw new Error('CENSUS_FHIR_SERVER is required');
const logger = createLogger({ level: 'warn' });
const config = loadServerConfig('demo', { ...process.env, PORT: '0', CENSUS_ENABLED: 'false' });
const demo = await startDemo(config, { logger });
const concurrency = Number(process.env.CENSUS_BENCH_CONCURRENCY ?? demo.config.census.concurrency);
const yieldAbove = Number(process.env.CENSUS_BENCH_YIELD_ABOVE ?? demo.config.census.yieldAbove);
const census = await createCensus({
  config: { ...demo.config, census: { ...demo.config.census, enabled: true, intervalMinutes: 10_080, concurrency, yieldAbove } },
  logger,
  fhirServer: ehr,
});
process.send?.({ port: demo.config.port });
process.on('message', (m: { cmd?: string }) => {
  if (m.cmd !== 'cycle') return;
  census.runCycle().then(
    (report) => process.send?.({ report, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }),
    (e: unknown) => process.send?.({ error: e instanceof Error ? e.message : String(e) }),
  );
});
process.on('SIGTERM', () => void census.stop().then(() => demo.close()).then(() => process.exit(0)));
