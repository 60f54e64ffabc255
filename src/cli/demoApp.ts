/**
 * The demo as `npm start` runs it, in one process: the CDS service (JWT off, as demo mode says at
 * start), the embedded FHIR server loaded with every fixture scenario at /fhir, the demo EHR page at /,
 * /metrics and /health. The browser tests start exactly this (with PORT=0 and an in-memory card memory).
 */
import path from 'node:path';
import type { AppConfig } from '../config/types.js';
import { createCensus, type Census } from '../census/index.js';
import { createDemoRouter } from '../demo/index.js';
import { createEmbeddedFhir, type EmbeddedFhir } from '../embedded-fhir/index.js';
import { buildTimeline } from '../features/index.js';
import { fetchPatientData } from '../fhir/index.js';
import { prefetchTemplatesOf } from '../hooks/index.js';
import type { Manifest } from '../fixtures/manifest.js';
import { loadScenarios } from '../fixtures/scenarios.js';
import type { Logger } from '../server/logger.js';
import { createDemoAuthServer } from '../smart/demoAuthServer.js';
import { browserOrigin, createServiceApp, listen, listenMetrics, openServiceStore, running, selfOrigin, type RunningServer } from './runtime.js';

export interface RunningDemo extends RunningServer {
  /** The fixture manifest, when the fixtures loaded (the FHIR server starts empty otherwise). */
  manifest: Manifest | undefined;
  /** The census over the embedded FHIR server (when census.enabled). */
  census?: Census;
}

/**
 * The demo's own URLs, known once the port is: the embedded FHIR server is open to callers under every
 * loopback spelling (the page sends `fhirServer` = its own origin + /fhir), and cards link to the
 * timeline page unless TIMELINE_BASE_URL (or PUBLIC_BASE_URL) says where it is.
 */
export function demoConfig(config: AppConfig, port: number): AppConfig {
  const origin = config.publicBaseUrl ?? browserOrigin(config.host, port);
  const loopbackFhir = [`http://localhost:${port}/fhir`, `http://127.0.0.1:${port}/fhir`, `http://[::1]:${port}/fhir`];
  return {
    ...config,
    port,
    timelineBaseUrl: config.timelineBaseUrl ?? `${origin.replace(/\/+$/, '')}/timeline.html`,
    fhir: { ...config.fhir, openServers: [...new Set([...config.fhir.openServers, ...loopbackFhir])] },
  };
}

async function loadFixtures(embedded: EmbeddedFhir, dir: string, logger: Logger): Promise<Manifest | undefined> {
  try {
    const loaded = await loadScenarios(dir, new Date());
    for (const { bundle } of loaded.scenarios) await embedded.loadBundle(bundle);
    logger.info({ scenarios: loaded.scenarios.length }, 'fixtures loaded into the embedded FHIR server');
    return loaded.manifest;
  } catch (e) {
    logger.warn({ err: (e as Error).message }, 'fixtures not loaded; the embedded FHIR server starts empty');
    return undefined;
  }
}

/** Listens on config.host:config.port (0 = ephemeral), loads the fixtures and serves the demo. */
export async function startDemo(baseConfig: AppConfig, { logger }: { logger: Logger }): Promise<RunningDemo> {
  const listening = await listen(baseConfig);
  const config = demoConfig(baseConfig, listening.port);
  const store = await openServiceStore(config, logger);
  const { cardMemory } = store;
  let census: Census | undefined;
  try {
    const embedded = await createEmbeddedFhir();
    const manifest = await loadFixtures(embedded, config.embeddedFhir.fixturesDir, logger);
    // The chart data is read the way the service reads it: over HTTP from the embedded server, same templates.
    const fhirBase = `${selfOrigin(config.host, listening.port)}/fhir`;
    const templates = prefetchTemplatesOf();
    const demoRouter = createDemoRouter({
      manifestPath: path.join(config.embeddedFhir.fixturesDir, 'manifest.json'),
      timelineFor: async (patientId) => {
        const { data } = await fetchPatientData({ fhirServer: fhirBase, patientId, templates, limits: config.fhir, allowInsecureLoopback: true });
        return data.patient ? buildTimeline(data, { now: new Date().toISOString() }) : undefined;
      },
    });
    // Census (issue 15): watches the embedded FHIR server without auth, as demo mode says at start.
    census = config.census.enabled ? await createCensus({ config, logger, fhirServer: fhirBase }) : undefined;
    const app = createServiceApp(config, {
      logger,
      cardMemory,
      replayStore: store.replayStore,
      routers: [
        // DEMO ONLY: SMART discovery, launch, authorize and token for the embedded FHIR server (before /fhir).
        { path: '/', handler: createDemoAuthServer({ defaultPatient: async () => manifest?.scenarios[0]?.patientId }) },
        { path: '/fhir', handler: embedded.router },
        ...(census ? [{ path: '/', handler: census.router }] : []),
        { path: '/', handler: demoRouter },
      ],
      readiness: () => ({ embeddedFhir: embedded.ready }),
    });
    const server = running(listening, app, config, cardMemory, await listenMetrics(config));
    census?.start();
    const stopCensus = census ? () => census?.stop() ?? Promise.resolve() : () => Promise.resolve();
    return { ...server, manifest, ...(census ? { census } : {}), close: () => stopCensus().then(() => server.close()) };
  } catch (e) {
    await census?.stop().catch(() => undefined);
    listening.server.close();
    await cardMemory.close();
    throw e;
  }
}
