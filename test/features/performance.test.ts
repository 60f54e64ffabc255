/**
 * buildTimeline on 20,000 Observations (brief: well under 200 ms for features + criteria). The bound
 * asserted here is loose (a guard against accidental O(n^2), not a benchmark); the measured time is
 * printed for the record.
 */
import type { Observation } from 'fhir/r4';
import { buildTimeline } from '../../src/features/index.js';
import { carTProcedure, emptyData, lab } from './builders.js';

const MIX: [code: string, unit: string, value: number, low: number, high: number][] = [
  ['2276-4', 'ng/mL', 2500, 20, 300],
  ['14723-1', 'pmol/L', 5000, 50, 670],
  ['3255-7', 'g/L', 1.4, 1.8, 4],
  ['777-3', 'K/uL', 60, 150, 400],
  ['6690-2', 'x10E3/uL', 3.1, 4, 11],
  ['770-8', '%', 55, 40, 75],
  ['1920-8', 'IU/L', 90, 10, 40],
  ['1742-6', 'U/L', 80, 7, 56],
  ['2160-0', 'umol/L', 120, 60, 110],
  ['718-7', 'g/L', 95, 120, 160],
  ['8310-5', '[degF]', 101.2, 97, 99.5],
  ['2571-8', 'mmol/L', 3.2, 0, 1.7],
  ['9999-9', 'mg/dL', 1, 0, 2],
];

function synthetic(n: number): Observation[] {
  const out: Observation[] = [];
  const start = Date.UTC(2024, 1, 1);
  for (let i = 0; i < n; i++) {
    const [code, unit, value, low, high] = MIX[i % MIX.length]!;
    const time = new Date(start + Math.floor(i / MIX.length) * 3_600_000).toISOString();
    out.push(
      lab(`o${i}`, code, value * (0.5 + (i % 17) / 10), unit, time, {
        referenceRange: [{ low: { value: low, unit }, high: { value: high, unit } }],
        identifier: [{ system: 'urn:acc', value: `acc-${Math.floor(i / MIX.length)}` }],
        ...(i % 50 === 0 ? { status: 'amended' as const, meta: { versionId: '2' } } : {}),
      }),
    );
  }
  return out;
}

test('20,000 Observations', () => {
  const data = emptyData({ procedures: [carTProcedure('car', '2024-02-20T10:00:00Z')], observations: synthetic(20_000) });
  buildTimeline(data, { now: '2024-04-01T00:00:00Z' }); // warm-up (module init, ucum first lookups)
  const runs: number[] = [];
  let values = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    const t = buildTimeline(data, { now: '2024-04-01T00:00:00Z' });
    runs.push(performance.now() - t0);
    values = Object.values(t.labs).reduce((sum, s) => sum + s.values.length, 0);
  }
  runs.sort((a, b) => a - b);
  console.log(`buildTimeline 20k Observations: median ${runs[2]!.toFixed(1)} ms, min ${runs[0]!.toFixed(1)} ms, ${values} lab values`);
  expect(values).toBeGreaterThan(18_000);
  expect(runs[2]).toBeLessThan(1000);
});
