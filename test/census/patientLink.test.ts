/**
 * Where census rows link, in both compositions. The service as `serve` composes it (no demo, no
 * /timeline.html) links each row to the SMART app's launch URL with `iss` = the FHIR server the census
 * watches, and that page is served by the same process; the demo links to its timeline page (also
 * checked in demoCensus.test.ts and the browser test).
 */
import { createCensus } from '../../src/census/index.js';
import { loadServerConfig, startService, type RunningServer } from '../../src/cli/runtime.js';
import { createLogger } from '../../src/server/logger.js';
import { startFixtureFhir, type FixtureFhir } from './helpers.js';

let fhir: FixtureFhir;
let service: RunningServer | undefined;

beforeAll(async () => {
  fhir = await startFixtureFhir(['iechs-classic', 'iechs-severe']);
}, 60_000);

afterAll(async () => {
  await service?.close();
  await fhir?.close();
});

interface Rows {
  lastCycle?: unknown;
  patients: { patientId: string; timelineUrl: string }[];
}

async function rowsAfterFirstCycle(url: string, deadlineMs: number): Promise<Rows> {
  for (;;) {
    const body = (await (await fetch(url)).json()) as Rows;
    // lastCycle appears once the first cycle has finished (rows are stored patient by patient).
    if (body.lastCycle !== undefined || Date.now() > deadlineMs) return body;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('census patient links', () => {
  it('serve composition: rows launch the SMART app against the census FHIR server, and the launch page is served', async () => {
    const base = loadServerConfig('test', { LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' });
    const config = { ...base, fhir: { ...base.fhir, requestTimeoutMs: 10_000, budgetMs: 20_000 }, census: { ...base.census, enabled: true, fhirServer: fhir.base } };
    service = await startService(config, { logger: createLogger({ level: 'silent' }) });
    const origin = `http://127.0.0.1:${service.config.port}`;
    // The first scheduled cycle runs 5 s after start.
    const body = await rowsAfterFirstCycle(`${origin}/census.json`, Date.now() + 40_000);
    expect(body.patients.map((p) => p.patientId).sort()).toEqual(['iechs-classic', 'iechs-severe']);
    for (const row of body.patients) {
      expect(row.timelineUrl).toBe(`/app/launch.html?iss=${encodeURIComponent(fhir.base)}#patient=${row.patientId}`);
      expect(row.timelineUrl).not.toMatch(/timeline\.html/);
    }
    const launch = await fetch(new URL(body.patients[0]?.timelineUrl ?? '', origin));
    expect(launch.status).toBe(200);
    expect(await launch.text()).toMatch(/launch\.js/);
    // The demo's timeline page does not exist here.
    expect((await fetch(`${origin}/timeline.html`)).status).toBe(404);
  }, 60_000);

  it('with a public base URL the launch link is absolute; demo mode links to the timeline page', async () => {
    const config = loadServerConfig('test', { LOG_LEVEL: 'silent' });
    const logger = createLogger({ level: 'silent' });
    const withBase = await createCensus({ config: { ...config, publicBaseUrl: 'https://cds.example.org/', census: { ...config.census, enabled: true } }, logger, fhirServer: fhir.base });
    const demo = await createCensus({ config: { ...config, mode: 'demo', census: { ...config.census, enabled: true } }, logger, fhirServer: fhir.base });
    try {
      await Promise.all([withBase.runCycle(), demo.runCycle()]);
      const served = async (c: typeof demo): Promise<Rows> => {
        const express = (await import('express')).default;
        const app = express().use(c.router);
        const server = app.listen(0, '127.0.0.1');
        await new Promise((r) => server.once('listening', r));
        const { port } = server.address() as { port: number };
        try {
          return (await (await fetch(`http://127.0.0.1:${port}/census.json`)).json()) as Rows;
        } finally {
          server.close();
        }
      };
      const prod = await served(withBase);
      expect(prod.patients[0]?.timelineUrl).toBe(`https://cds.example.org/app/launch.html?iss=${encodeURIComponent(fhir.base)}#patient=${prod.patients[0]?.patientId ?? ''}`);
      const demoRows = await served(demo);
      expect(demoRows.patients.length).toBe(2);
      for (const row of demoRows.patients) expect(row.timelineUrl).toBe(`/timeline.html?patient=${row.patientId}`);
    } finally {
      await withBase.stop();
      await demo.stop();
    }
  });
});
