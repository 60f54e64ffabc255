/**
 * The demo as `npm start` assembles it, in process on 127.0.0.1 with an ephemeral port: the CDS
 * service (createApp), the embedded FHIR server loaded with every fixture scenario, /metrics and the
 * demo page. Used by the browser tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { defaultConfig } from '../../src/config/defaults.js';
import { createDemoRouter } from '../../src/demo/index.js';
import { createEmbeddedFhir } from '../../src/embedded-fhir/index.js';
import { buildTimeline } from '../../src/features/index.js';
import { createSqliteCardMemory } from '../../src/feedback/index.js';
import { fetchPatientData } from '../../src/fhir/index.js';
import type { Manifest } from '../../src/fixtures/manifest.js';
import { loadScenarios } from '../../src/fixtures/scenarios.js';
import { metricsObserver, metricsRouter, registerServiceIds } from '../../src/observability/index.js';
import { createApp, createLogger } from '../../src/server/index.js';

export const FIXTURES_DIR = path.resolve('fhir-fixtures');

export interface DemoApp {
  baseUrl: string;
  manifest: Manifest;
  close(): Promise<void>;
}

export async function startDemoApp(): Promise<DemoApp> {
  const config = defaultConfig('test');
  const embedded = await createEmbeddedFhir();
  const { manifest, scenarios } = await loadScenarios(FIXTURES_DIR, new Date());
  for (const { bundle } of scenarios) await embedded.loadBundle(bundle);

  let fhirBase = '';
  const timelineFor = async (patientId: string) => {
    const { data } = await fetchPatientData({ fhirServer: fhirBase, patientId, limits: config.fhir, allowInsecureLoopback: true });
    return data.patient ? buildTimeline(data, { now: new Date().toISOString() }) : undefined;
  };

  const cardMemory = createSqliteCardMemory(':memory:', { suppressHours: config.feedback.suppressHours });
  const app = createApp({
    config,
    logger: createLogger({ level: 'silent' }),
    cardMemory,
    fetch: (url, init) => fetch(url, init),
    observer: metricsObserver(),
    routers: [
      { path: '/fhir', handler: embedded.router },
      { path: '/', handler: metricsRouter() },
      { path: '/', handler: createDemoRouter({ manifestPath: path.join(FIXTURES_DIR, 'manifest.json'), timelineFor }) },
    ],
  });
  registerServiceIds(app.cdsServices.map((s) => s.id));

  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fhirBase = `${baseUrl}/fhir`;
  // Cards link to the timeline page; the URL is known only once the port is.
  config.timelineBaseUrl = `${baseUrl}/timeline.html`;
  return {
    baseUrl,
    manifest,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
