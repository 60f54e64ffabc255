/** Property tests (fast-check): order independence, unrelated data, retracted results. */
import fc from 'fast-check';
import type { Observation } from 'fhir/r4';
import { buildTimeline } from '../../src/features/index.js';
import { carTProcedure, condition, emptyData, ICD10CM, lab } from './builders.js';

const NOW = { now: '2024-04-01T00:00:00Z' };
const CODES = ['2276-4', '14723-1', '3255-7', '777-3', '6690-2', '770-8', '751-8', '8310-5', '76039-7', '9999-9'];
const UNITS = ['ng/mL', 'pmol/L', 'mg/dL', 'g/L', 'K/uL', '%', '/uL', '[degF]', 'Cel', 'pg/mL', 'U/mL', 'furlongs', undefined];
const STATUSES = ['final', 'amended', 'corrected', 'preliminary', 'entered-in-error', 'cancelled', 'registered', 'unknown'] as const;

const observationArb = fc
  .record({
    id: fc.integer({ min: 0, max: 40 }).map((n) => `o${n}`),
    code: fc.constantFrom(...CODES),
    value: fc.double({ min: 0, max: 100000, noNaN: true }),
    unit: fc.constantFrom(...UNITS),
    day: fc.integer({ min: -10, max: 30 }),
    hour: fc.integer({ min: 0, max: 23 }),
    status: fc.constantFrom(...STATUSES),
    version: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    accession: fc.option(fc.constantFrom('A', 'B', 'C'), { nil: undefined }),
    asString: fc.boolean(),
  })
  .map((r): Observation => {
    const time = new Date(Date.UTC(2024, 2, 1 + r.day, r.hour)).toISOString();
    const base = lab(r.id, r.code, r.value, r.unit, time, { status: r.status });
    if (r.version !== undefined) base.meta = { versionId: String(r.version) };
    if (r.accession !== undefined) base.identifier = [{ system: 'urn:acc', value: r.accession }];
    if (r.asString) {
      delete base.valueQuantity;
      base.valueString = `<${Math.round(r.value)}`;
    }
    return base;
  });

function timelineOf(observations: Observation[]) {
  return buildTimeline(
    emptyData({
      procedures: [carTProcedure('car', '2024-03-01T10:00:00Z')],
      conditions: [condition('crs', ICD10CM, 'D89.832', { onsetDateTime: '2024-03-03' })],
      observations,
    }),
    NOW,
  );
}

describe('properties', () => {
  test('resource order never changes the timeline', () => {
    fc.assert(
      fc.property(fc.array(observationArb, { maxLength: 40 }), fc.nat(), (observations, seed) => {
        const shuffled = [...observations];
        // Deterministic Fisher-Yates from the seed, so a failure reproduces.
        let s = seed;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) % 2147483648;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        expect(JSON.stringify(timelineOf(shuffled))).toBe(JSON.stringify(timelineOf(observations)));
      }),
      { numRuns: 200 },
    );
  });

  test('adding an Observation with an unknown code never changes the labs', () => {
    fc.assert(
      fc.property(fc.array(observationArb, { maxLength: 30 }), fc.double({ noNaN: true }), fc.string(), (observations, value, code) => {
        const unrelated: Observation = {
          resourceType: 'Observation',
          id: 'unrelated',
          status: 'final',
          code: { coding: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.1', code }], text: 'Ferritin' },
          effectiveDateTime: '2024-03-05T00:00:00Z',
          valueQuantity: { value, unit: 'ng/mL' },
        };
        const before = timelineOf(observations);
        const after = timelineOf([...observations, unrelated]);
        expect(after.labs).toEqual(before.labs);
        expect(after.altUnitLabs).toEqual(before.altUnitLabs);
      }),
      { numRuns: 200 },
    );
  });

  test('entered-in-error results never appear', () => {
    fc.assert(
      fc.property(fc.array(observationArb, { maxLength: 40 }), (generated) => {
        // Unique ids and no shared identifiers: each Observation is its own result.
        const observations = generated.map((o, i) => ({ ...o, id: `u${i}`, identifier: undefined }));
        const retracted = new Set(observations.filter((o) => o.status === 'entered-in-error').map((o) => `Observation/${o.id}`));
        const t = timelineOf(observations);
        for (const series of [...Object.values(t.labs), ...Object.values(t.altUnitLabs ?? {})]) {
          for (const v of series.values) {
            for (const part of v.source.replace(/^derived:ANC=/, '').split('*')) expect(retracted.has(part)).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
