/**
 * Demo mode over real HTTP: the census watches the embedded FHIR server loaded with every fixture.
 * It must list exactly the fixture patients inside the watch window after immune effector cell therapy
 * (not the one 150 days out, not the one never treated) and flag the IEC-HS fixtures at the tier their
 * card indicator has in fhir-fixtures/manifest.json.
 */
import { startDemo, type RunningDemo } from '../../src/cli/demoApp.js';
import { loadServerConfig } from '../../src/cli/runtime.js';
import type { Scenario } from '../../src/fixtures/manifest.js';
import { createLogger } from '../../src/server/logger.js';
import { settledCycle } from './helpers.js';

let demo: RunningDemo;

interface CensusJson {
  mode: string;
  access: string;
  lastCycle?: { evaluated: number; failed: number; incomplete: string[] };
  patients: { patientId: string; tier: string; iecHs: string; exposureClass?: string; day?: number; timelineUrl: string; keyValues: { analyte: string; direction: string }[] }[];
}

beforeAll(async () => {
  const config = loadServerConfig('demo', { PORT: '0', HOST: '127.0.0.1', FEEDBACK_DB: ':memory:', LOG_LEVEL: 'silent' });
  demo = await startDemo(config, { logger: createLogger({ level: 'silent' }) });
  if (!demo.census) throw new Error('census not enabled in demo mode');
  await settledCycle(demo.census);
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

async function census(): Promise<CensusJson> {
  const res = await fetch(`${demo.baseUrl.replace('localhost', '127.0.0.1')}/census.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as CensusJson;
}

function scenarios(): Scenario[] {
  if (!demo.manifest) throw new Error('fixtures not loaded');
  return demo.manifest.scenarios;
}

describe('census in demo mode', () => {
  it('is open and says so', async () => {
    const body = await census();
    expect(body.mode).toBe('demo');
    expect(body.access).toMatch(/DEMO MODE/);
    expect(body.lastCycle?.failed).toBe(0);
    expect(body.lastCycle?.incomplete).toEqual([]);
  });

  it('lists the fixture patients inside the watch window and no others', async () => {
    const listed = (await census()).patients.map((p) => p.patientId).sort();
    // Outside: no immune effector cell therapy at all, or the latest infusion 150 days ago.
    const outside = new Set(['iechs-non-cart', 'iechs-day150']);
    for (const id of outside) expect(scenarios().some((s) => s.patientId === id)).toBe(true);
    const expected = scenarios().map((s) => s.patientId).filter((id) => !outside.has(id)).sort();
    expect(listed).toEqual(expected);
  });

  it('flags every IEC-HS fixture at the tier of its card indicator', async () => {
    const byId = new Map((await census()).patients.map((p) => [p.patientId, p]));
    for (const s of scenarios()) {
      const expect15 = s.expect['iec-hs-surveillance'];
      const row = byId.get(s.patientId);
      if (!row) continue;
      const alert = expect15.indicators.find((i) => i === 'critical' || i === 'warning');
      // The census flags the HLH-like picture for both exposure classes; after a T-cell engager the card
      // does not call it IEC-HS (manifest iecHs false) but still alerts at its tier.
      if (alert) {
        expect({ id: s.patientId, tier: row.tier, picture: row.iecHs }).toEqual({ id: s.patientId, tier: alert, picture: 'met' });
        expect(row.exposureClass).toBe(s.patientId.startsWith('iechs-tce') ? 't-cell-engager' : 'cellular');
      } else {
        expect({ id: s.patientId, picture: row.iecHs }).not.toEqual({ id: s.patientId, picture: 'met' });
      }
    }
  });

  it('sorts by urgency (critical before warning before the rest) and links each patient to its timeline', async () => {
    const rows = (await census()).patients;
    const rank: Record<string, number> = { critical: 3, warning: 2, watch: 1, none: 0 };
    const ranks = rows.map((r) => rank[r.tier] ?? -1);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(rows[0]?.tier).toBe('critical');
    for (const r of rows) expect(r.timelineUrl).toMatch(new RegExp(`/timeline\\.html\\?patient=${r.patientId}$`));
    const classic = rows.find((r) => r.patientId === 'iechs-classic');
    expect(classic?.day).toBe(12);
    // The engine's ferritin course (rising) when it fills it, else the plain comparison (up).
    expect(['rising', 'up']).toContain(classic?.keyValues.find((k) => k.analyte === 'ferritin')?.direction);
  });

  it('serves the census page', async () => {
    const res = await fetch(`${demo.baseUrl.replace('localhost', '127.0.0.1')}/census`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('CAR-T census');
  });
});
