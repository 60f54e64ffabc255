/**
 * Issue 12 in the features layer: exposure classes and day 0 (administration evidence only, never CRS;
 * T-cell engagers as their own class, day 0 = first step-up dose), site-local day numbering in an IANA
 * zone, hemophagocytosis from report text and pathology Observations, unconvertible labs kept.
 */
import fc from 'fast-check';
import type { DiagnosticReport, Observation } from 'fhir/r4';
import { buildTimeline } from '../../src/features/index.js';
import type { PatientData } from '../../src/features/types.js';
import { isValidTimeZone, localDaysBetween, zoneFromOffset } from '../../src/features/time.js';
import { ICD10CM, LOINC, RXNORM, administration, carTProcedure, condition, emptyData, lab } from './builders.js';

const NOW = '2024-03-13T15:00:00Z';

describe('exposure classes and day 0', () => {
  test('a CRS diagnosis alone is never evidence of an infusion', () => {
    const tl = buildTimeline(emptyData({ conditions: [condition('crs', ICD10CM, 'D89.832', { onsetDateTime: '2024-03-02T10:00:00Z' })] }), { now: NOW });
    expect(tl.infusion).toBeUndefined();
    expect(tl.dayNow).toBeUndefined();
  });

  test('a T80.82 complication code is weak cellular evidence', () => {
    const tl = buildTimeline(emptyData({ conditions: [condition('t80', ICD10CM, 'T80.82XA', { onsetDateTime: '2024-03-02T10:00:00Z' })] }), { now: NOW });
    expect(tl.infusion).toMatchObject({ exposure: 'cellular', strength: 'weak', evidence: 'Condition' });
  });

  test('a CAR-T procedure is definite cellular evidence', () => {
    const tl = buildTimeline(emptyData({ procedures: [carTProcedure('p1', '2024-03-01T10:00:00Z')] }), { now: NOW });
    expect(tl.infusion).toMatchObject({ exposure: 'cellular', strength: 'definite' });
    expect(tl.dayNow).toBe(12);
  });

  const engagers: [string | undefined, string | undefined, string, string][] = [
    ['2619432', undefined, 'teclistamab', 'RxNorm clinical drug (openFDA)'],
    ['1597262', undefined, 'blinatumomab', 'RxNorm clinical drug (openFDA)'],
    [undefined, 'Elrexfio 76 mg/1.9 mL SC', 'elranatamab', 'brand name'],
    [undefined, 'talquetamab-tgvs injection', 'talquetamab', 'generic with FDA suffix'],
    [undefined, 'Epcoritamab step-up dose 1', 'epcoritamab', 'generic name'],
    [undefined, 'glofitamab', 'glofitamab', 'generic name'],
    [undefined, 'Lunsumio', 'mosunetuzumab', 'brand name'],
    [undefined, 'Imdelltra', 'tarlatamab', 'brand name'],
  ];
  test.each(engagers)('T-cell engager %s / %s -> %s (%s); day 0 = first (step-up) dose', (rxcui, text, product) => {
    const doses = ['2024-03-01T16:00:00Z', '2024-03-03T16:00:00Z', '2024-03-05T16:00:00Z', '2024-03-12T16:00:00Z'].map((t, i) =>
      administration(`tce-${i}`, rxcui, text, t),
    );
    const tl = buildTimeline(emptyData({ medicationAdministrations: doses }), { now: NOW });
    expect(tl.infusion).toMatchObject({ exposure: 't-cell-engager', product, strength: 'definite', time: '2024-03-01T16:00:00Z' });
    expect(tl.dayNow).toBe(12);
  });

  test('a CAR-T infusion after an engager course sets day 0 (most recent definite exposure)', () => {
    const tl = buildTimeline(
      emptyData({
        medicationAdministrations: [administration('tce-0', '2619432', undefined, '2024-01-10T16:00:00Z')],
        procedures: [carTProcedure('p1', '2024-03-01T10:00:00Z')],
      }),
      { now: NOW },
    );
    expect(tl.infusion?.exposure).toBe('cellular');
  });
});

describe('site-local day numbering (IANA zone)', () => {
  const infusion = carTProcedure('p1', '2024-03-01T10:00:00-05:00');

  test('default zone comes from the infusion record offset (UTC-5 -> Etc/GMT+5)', () => {
    const tl = buildTimeline(emptyData({ procedures: [infusion] }), { now: '2024-03-13T20:00:00-05:00' });
    expect(tl.timeZone).toBe('Etc/GMT+5');
    expect(tl.dayNow).toBe(12); // UTC counting would say 13 (01:00Z on the 14th)
  });

  test('a configured zone wins; an evening lab is on its local day', () => {
    const obs = lab('f1', '2276-4', 900, 'ng/mL', '2024-03-12T21:30:00-04:00');
    const tl = buildTimeline(emptyData({ procedures: [carTProcedure('p1', '2024-03-01T15:00:00Z')], observations: [obs] }), {
      now: '2024-03-13T01:00:00Z',
      timeZone: 'America/New_York',
    });
    expect(tl.timeZone).toBe('America/New_York');
    expect(tl.dayNow).toBe(11); // 21:00 EDT on the 12th
    expect(tl.labs.ferritin?.values[0]?.day).toBe(11);
  });

  test('an unknown zone is refused', () => {
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(() => buildTimeline(emptyData(), { now: NOW, timeZone: 'Mars/Olympus' })).toThrow(TypeError);
  });

  test.each([
    ['2024-03-01T10:00:00Z', 'UTC'],
    ['2024-03-01T10:00:00+00:00', 'UTC'],
    ['2024-03-01T10:00:00-05:00', 'Etc/GMT+5'],
    ['2024-03-01T10:00:00+09:00', 'Etc/GMT-9'],
    ['2024-03-01T10:00:00+05:30', undefined],
    ['2024-03-01', undefined],
  ])('zoneFromOffset(%s) = %s', (value, zone) => expect(zoneFromOffset(value)).toBe(zone));

  test('property: day N does not depend on the hour of the call within a local day', () => {
    const zones = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/Berlin', 'Asia/Tokyo', 'Australia/Sydney', 'Etc/GMT+5', 'UTC'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2026-12-01T00:00:00Z') }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 86_399_999 }),
        fc.integer({ min: 0, max: 86_399_999 }),
        (zone, infusionMs, days, a, b) => {
          const infusionIso = new Date(infusionMs).toISOString();
          // Two calls at different hours of the same local calendar day.
          const base = infusionMs + days * 86_400_000;
          const localMidnight = base - (((base + offsetOf(base, zone)) % 86_400_000) + 86_400_000) % 86_400_000;
          const calls = [localMidnight + Math.min(a, b), localMidnight + Math.max(a, b)].filter(
            (ms) => localDaysBetween(localMidnight, ms, zone) === 0, // skip DST-shortened days' tail
          );
          const data = emptyData({ procedures: [carTProcedure('p1', infusionIso)] });
          const dayNows = calls.map((ms) => buildTimeline(data, { now: new Date(ms).toISOString(), timeZone: zone }).dayNow);
          return new Set(dayNows).size <= 1;
        },
      ),
      { numRuns: 200 },
    );
  });
});

function offsetOf(ms: number, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(ms))
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  return Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0) - Math.floor(ms / 1000) * 1000;
}

describe('hemophagocytosis from pathology text, both shapes', () => {
  const proc = carTProcedure('p1', '2024-03-01T10:00:00Z');
  const report = (over: Partial<DiagnosticReport>): DiagnosticReport => ({
    resourceType: 'DiagnosticReport',
    id: 'dr1',
    status: 'final',
    code: { coding: [{ system: LOINC, code: '48807-2' }] },
    effectiveDateTime: '2024-03-11T15:00:00Z',
    ...over,
  });
  const pathObs = (text: string): Observation => ({
    resourceType: 'Observation',
    id: 'po1',
    status: 'final',
    code: { coding: [{ system: LOINC, code: '48807-2' }] },
    effectiveDateTime: '2024-03-11T15:00:00Z',
    valueString: text,
  });
  const found = (over: Parameters<typeof emptyData>[0]) =>
    buildTimeline(emptyData({ procedures: [proc], ...over }), { now: NOW }).diagnoses.some((d) => d.kind === 'hemophagocytosis');

  const cases: [string, Partial<PatientData>, boolean][] = [
    ['conclusion, affirmed despite a later negation', { diagnosticReports: [report({ conclusion: 'Prominent hemophagocytosis, without evidence of residual myeloma.' })] }, true],
    ['conclusion, negated', { diagnosticReports: [report({ conclusion: 'No hemophagocytosis is seen.' })] }, false],
    ['presentedForm text/plain, affirmed', { diagnosticReports: [report({ presentedForm: [{ contentType: 'text/plain', data: Buffer.from('Marked hemophagocytosis.').toString('base64') }] })] }, true],
    ['presentedForm text/plain, negated', { diagnosticReports: [report({ presentedForm: [{ contentType: 'text/plain', data: Buffer.from('Negative for hemophagocytosis.').toString('base64') }] })] }, false],
    ['presentedForm PDF is not read', { diagnosticReports: [report({ presentedForm: [{ contentType: 'application/pdf', data: Buffer.from('hemophagocytosis').toString('base64') }] })] }, false],
    ['pathology Observation, affirmed', { observations: [pathObs('Scattered hemophagocytic histiocytes are identified.')] }, true],
    ['pathology Observation, negated', { observations: [pathObs('Hemophagocytosis is not identified.')] }, false],
  ];
  test.each(cases)('%s', (_name, over, expected) => {
    expect(found(over)).toBe(expected);
  });
});

describe('unconvertible lab units are kept, shown and never re-ordered', () => {
  test('fibrinogen in µmol/L (no molecular weight configured: not convertible to mg/dL) is listed as unconvertible', () => {
    const obs = lab('fib', '3255-7', 7.6, undefined, '2024-03-13T11:00:00Z', { valueQuantity: { value: 7.6, unit: 'µmol/L' } });
    const tl = buildTimeline(emptyData({ procedures: [carTProcedure('p1', '2024-03-01T10:00:00Z')], observations: [obs] }), { now: NOW });
    expect(tl.labs.fibrinogen).toBeUndefined();
    expect(tl.unconvertibleLabs?.fibrinogen?.[0]).toMatchObject({ original: { value: 7.6, unit: 'µmol/L' }, source: 'Observation/fib' });
    expect(tl.unconvertibleLabs?.fibrinogen?.[0]?.reason).toMatch(/not convertible/);
  });

  test('AST in µkat/L converts (x60)', () => {
    const obs = lab('ast', '1920-8', 4.2, undefined, '2024-03-13T11:00:00Z', { valueQuantity: { value: 4.2, unit: 'µkat/L' } });
    const tl = buildTimeline(emptyData({ procedures: [carTProcedure('p1', '2024-03-01T10:00:00Z')], observations: [obs] }), { now: NOW });
    expect(tl.labs.ast?.values[0]?.value).toBeCloseTo(252, 6);
  });
});

test('RXNORM constant is the RxNorm system (builders sanity)', () => expect(RXNORM).toMatch(/rxnorm/));
