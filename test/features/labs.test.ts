/** Lab series: statuses, versions, values, units, ranges, days, baseline (docs/architecture.md#layers (features)). */
import type { Observation } from 'fhir/r4';
import { buildTimeline } from '../../src/features/index.js';
import type { PatientData } from '../../src/features/types.js';
import { carTProcedure, emptyData, lab, LOINC } from './builders.js';

const NOW = { now: '2024-03-20T12:00:00Z' };
const INFUSION = carTProcedure('car', '2024-03-01T15:00:00Z');

function timeline(observations: Observation[], over: Partial<PatientData> = {}) {
  return buildTimeline(emptyData({ procedures: [INFUSION], observations, ...over }), NOW);
}

describe('status and versions', () => {
  test('entered-in-error and cancelled results are ignored; preliminary is used and flagged', () => {
    const t = timeline([
      lab('a', '2276-4', 900, 'ng/mL', '2024-03-05T08:00:00Z', { status: 'entered-in-error' }),
      lab('b', '2276-4', 800, 'ng/mL', '2024-03-06T08:00:00Z', { status: 'cancelled' }),
      lab('c', '2276-4', 700, 'ng/mL', '2024-03-07T08:00:00Z', { status: 'preliminary' }),
      lab('d', '2276-4', 600, 'ng/mL', '2024-03-08T08:00:00Z', { status: 'registered' }),
    ]);
    expect(t.labs.ferritin?.values.map((v) => [v.source, v.preliminary])).toEqual([['Observation/c', true]]);
  });

  test('an amended version (same id, higher versionId) replaces the final one, in any order', () => {
    const v1 = lab('x', '2276-4', 500, 'ng/mL', '2024-03-05T08:00:00Z', { meta: { versionId: '1' } });
    const v2 = lab('x', '2276-4', 5000, 'ng/mL', '2024-03-05T08:00:00Z', { status: 'amended', meta: { versionId: '2' } });
    for (const order of [[v1, v2], [v2, v1]]) {
      expect(timeline(order).labs.ferritin?.values.map((v) => v.value)).toEqual([5000]);
    }
  });

  test('a final result replaces its preliminary version (later lastUpdated wins)', () => {
    const pre = lab('z', '76039-7', 1000, 'U/mL', '2024-03-05T08:00:00Z', { status: 'preliminary', meta: { lastUpdated: '2024-03-06T08:00:00Z' } });
    const fin = lab('z', '76039-7', 4200, 'U/mL', '2024-03-05T08:00:00Z', { meta: { lastUpdated: '2024-03-08T08:00:00Z' } });
    expect(timeline([fin, pre]).labs.sil2r?.values.map((v) => [v.value, v.preliminary])).toEqual([[4200, undefined]]);
  });

  test('a corrected result under a new id but the same identifier replaces the earlier one (later issued wins)', () => {
    const identifier = [{ system: 'urn:lab:accession', value: 'A1' }];
    const first = lab('f1', '3255-7', 90, 'mg/dL', '2024-03-05T08:00:00Z', { identifier, issued: '2024-03-05T09:00:00Z' });
    const fixed = lab('f2', '3255-7', 190, 'mg/dL', '2024-03-05T08:00:00Z', { identifier, issued: '2024-03-05T11:00:00Z', status: 'corrected' });
    expect(timeline([fixed, first]).labs.fibrinogen?.values.map((v) => [v.source, v.value])).toEqual([['Observation/f2', 190]]);
  });

  test('a shared accession number on different analytes does not merge them', () => {
    const identifier = [{ system: 'urn:lab:accession', value: 'PANEL-9' }];
    const t = timeline([
      lab('p1', '2276-4', 1000, 'ng/mL', '2024-03-05T08:00:00Z', { identifier }),
      lab('p2', '3255-7', 150, 'mg/dL', '2024-03-05T08:00:00Z', { identifier }),
    ]);
    expect(t.labs.ferritin?.values).toHaveLength(1);
    expect(t.labs.fibrinogen?.values).toHaveLength(1);
  });

  test('a later entered-in-error version retracts the result entirely', () => {
    const v1 = lab('y', '2276-4', 500, 'ng/mL', '2024-03-05T08:00:00Z', { meta: { versionId: '1' } });
    const v2 = lab('y', '2276-4', 500, 'ng/mL', '2024-03-05T08:00:00Z', { status: 'entered-in-error', meta: { versionId: '2' } });
    expect(timeline([v1, v2]).labs.ferritin).toBeUndefined();
  });
});

describe('values', () => {
  test.each([
    ['valueString "<5" -> comparator <', { valueString: '<5' }, 5, '<'],
    ['valueString ">100000" -> comparator >', { valueString: '>100000' }, 100000, '>'],
    ['valueString ">= 100,000 ng/mL" with its own unit', { valueString: '>= 100,000 ng/mL' }, 100000, '>='],
    ['valueQuantity comparator honoured', { valueQuantity: { value: 40000, comparator: '>' as const, unit: 'ng/mL', system: 'http://unitsofmeasure.org', code: 'ng/mL' } }, 40000, '>'],
  ])('%s', (_label, value, expected, comparator) => {
    const o = lab('s', '2276-4', 0, 'ng/mL', '2024-03-05T08:00:00Z', {
      valueQuantity: undefined,
      referenceRange: [{ low: { value: 20, unit: 'ng/mL' }, high: { value: 300, unit: 'ng/mL' } }],
      ...value,
    });
    const v = timeline([o]).labs.ferritin?.values[0];
    expect(v?.value).toBe(expected);
    expect(v?.comparator).toBe(comparator);
  });

  test('non-numeric valueString and non-convertible unit are left out and reported', () => {
    const t = timeline([
      lab('n1', '2276-4', 0, 'ng/mL', '2024-03-05T08:00:00Z', { valueQuantity: undefined, valueString: 'see comment' }),
      lab('n2', '2276-4', 300, 'furlongs', '2024-03-06T08:00:00Z'),
      lab('n3', '2276-4', 300, undefined, '2024-03-07T08:00:00Z'),
    ]);
    expect(t.labs.ferritin).toBeUndefined();
    expect(t.issues.map((i) => i.source)).toEqual(['Observation/n1', 'Observation/n2', 'Observation/n3']);
    expect(t.issues.every((i) => i.analyte === 'ferritin')).toBe(true);
  });

  test('a value without unit takes the unit its referenceRange states', () => {
    const o = lab('r', '3255-7', 0, undefined, '2024-03-05T08:00:00Z', {
      valueQuantity: undefined,
      valueString: '<50',
      referenceRange: [{ low: { value: 2, unit: 'g/L' }, high: { value: 4, unit: 'g/L' } }],
    });
    const v = timeline([o]).labs.fibrinogen?.values[0];
    expect(v).toMatchObject({ value: 5000, comparator: '<', low: 200, high: 400, rangeSource: 'result' });
  });

  test('Epic style: local code next to LOINC matches the LOINC; local-only does not', () => {
    const both = lab('e1', '2276-4', 700, 'ng/mL', '2024-03-05T08:00:00Z', {
      code: { coding: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.999', code: '1234' }, { system: LOINC, code: '20567-4' }] },
    });
    const local = lab('e2', '2276-4', 700, 'ng/mL', '2024-03-06T08:00:00Z', {
      code: { coding: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.999', code: '1234' }], text: 'Ferritin' },
    });
    expect(timeline([both, local]).labs.ferritin?.values.map((v) => v.source)).toEqual(['Observation/e1']);
  });

  test('components of a panel are read (CBC sent as one Observation)', () => {
    const panel: Observation = {
      resourceType: 'Observation',
      id: 'cbc',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '58410-2' }] },
      effectiveDateTime: '2024-03-05T08:00:00Z',
      component: [
        { code: { coding: [{ system: LOINC, code: '777-3' }] }, valueQuantity: { value: 40, unit: 'K/uL' } },
        { code: { coding: [{ system: LOINC, code: '718-7' }] }, valueQuantity: { value: 85, code: 'g/L', system: 'http://unitsofmeasure.org' } },
        { code: { coding: [{ system: 'urn:local', code: 'X' }] }, valueQuantity: { value: 1 } },
      ],
    };
    const t = timeline([panel]);
    expect(t.labs.platelets?.values[0]).toMatchObject({ value: 40, source: 'Observation/cbc#component[0]' });
    expect(t.labs.hemoglobin?.values[0]).toMatchObject({ value: 8.5, source: 'Observation/cbc#component[1]' });
  });

  test('sIL-2R in pg/mL goes to altUnitLabs, U/mL to labs (docs/terminology.md#sil2r-units)', () => {
    const t = timeline([
      lab('s1', '76039-7', 2000, 'pg/mL', '2024-03-05T08:00:00Z'),
      lab('s2', '76039-7', 3000, 'U/mL', '2024-03-06T08:00:00Z'),
    ]);
    expect(t.labs.sil2r?.values.map((v) => [v.value, v.unit])).toEqual([[3000, 'U/mL']]);
    expect(t.altUnitLabs?.sil2r?.values.map((v) => [v.value, v.unit, v.high])).toEqual([[2000, 'pg/mL', 858.2]]);
  });

  test('D-dimer DDU code goes to altUnitLabs, FEU to labs (docs/terminology.md#d-dimer)', () => {
    const t = timeline([
      lab('d1', '48066-5', 300, 'ng/mL', '2024-03-05T08:00:00Z'),
      lab('d2', '48065-7', 0.9, 'ug/mL', '2024-03-05T08:00:00Z'),
    ]);
    expect(t.labs.ddimer?.values.map((v) => [v.value, v.unit])).toEqual([[900, 'ng/mL{FEU}']]);
    expect(t.altUnitLabs?.ddimer?.values.map((v) => [v.value, v.unit])).toEqual([[300, 'ng/mL{DDU}']]);
  });
});

describe('reference ranges', () => {
  test('own range is converted with the value; a range without high keeps only low', () => {
    const t = timeline([
      lab('g', '3255-7', 1.2, 'g/L', '2024-03-05T08:00:00Z', { referenceRange: [{ low: { value: 1.8, unit: 'g/L' }, high: { value: 4, unit: 'g/L' } }] }),
      lab('h', '3255-7', 1.1, 'g/L', '2024-03-06T08:00:00Z', { referenceRange: [{ low: { value: 1.8, unit: 'g/L' } }] }),
    ]);
    expect(t.labs.fibrinogen?.values.map((v) => [v.value, v.low, v.high, v.rangeSource])).toEqual([
      [120, 180, 400, 'result'],
      [110, 180, undefined, 'result'],
    ]);
  });

  test('range given as text ("<150 mg/dL") is read', () => {
    const t = timeline([lab('tg', '2571-8', 400, 'mg/dL', '2024-03-05T08:00:00Z', { referenceRange: [{ text: '<150 mg/dL' }] })]);
    expect(t.labs.triglycerides?.values[0]).toMatchObject({ high: 150, rangeSource: 'result' });
  });

  test.each([
    ['docs/clinical-basis.md#reference-ranges ferritin M 24-336', 'male', 336],
    ['docs/clinical-basis.md#reference-ranges ferritin F 11-307', 'female', 307],
    ['docs/clinical-basis.md#reference-ranges ferritin, unknown sex -> lower ULN', undefined, 307],
  ] as const)('default range by sex: %s', (_ref, gender, high) => {
    const t = timeline([lab('f', '2276-4', 700, 'ng/mL', '2024-03-05T08:00:00Z')], {
      patient: { resourceType: 'Patient', id: 'p1', ...(gender ? { gender } : {}) },
    });
    expect(t.labs.ferritin?.values[0]).toMatchObject({ high, rangeSource: 'default', rangeNote: expect.stringMatching(/docs\/clinical-basis\.md#reference-ranges/) });
  });

  test('ferritin in pmol/L with its own pmol/L range: 2x ULN crossed after conversion (docs/terminology.md#units row ferritin pmol/L)', () => {
    const range = [{ low: { value: 49.4, unit: 'pmol/L' }, high: { value: 674.1, unit: 'pmol/L' } }];
    const t = timeline([
      lab('m1', '14723-1', 1348, 'pmol/L', '2024-03-05T08:00:00Z', { referenceRange: range }),
      lab('m2', '14723-1', 1349, 'pmol/L', '2024-03-06T08:00:00Z', { referenceRange: range }),
    ]);
    const [below, above] = t.labs.ferritin!.values;
    expect(below!.high).toBeCloseTo(300, 6);
    expect(below!.value > 2 * below!.high!).toBe(false);
    expect(above!.value > 2 * above!.high!).toBe(true);
  });
});

describe('days and baseline (docs/clinical-basis.md#baseline: baseline = last value before or on the infusion day)', () => {
  test.each([
    ['day before infusion', '2024-02-29T23:59:59Z', -1],
    ['infusion day, before infusion time', '2024-03-01T00:00:00Z', 0],
    ['infusion day, after infusion time', '2024-03-01T23:59:59Z', 0],
    ['next UTC day', '2024-03-02T00:00:00Z', 1],
    ['offset time that is already the next UTC day', '2024-03-01T20:00:00-05:00', 1],
    ['date-only value', '2024-03-09', 8],
  ])('%s -> day %d', (_label, time, day) => {
    expect(timeline([lab('t', '2276-4', 500, 'ng/mL', time)]).labs.ferritin?.values[0]?.day).toBe(day);
  });

  test('baseline is the last value on or before day 0, later values do not count', () => {
    const t = timeline([
      lab('b1', '2276-4', 300, 'ng/mL', '2024-02-25T08:00:00Z'),
      lab('b2', '2276-4', 400, 'ng/mL', '2024-03-01T20:00:00Z'),
      lab('b3', '2276-4', 900, 'ng/mL', '2024-03-02T01:00:00Z'),
    ]);
    expect(t.labs.ferritin?.baseline?.source).toBe('Observation/b2');
  });

  test('no infusion -> no day numbers and no baseline', () => {
    const t = buildTimeline(emptyData({ observations: [lab('x', '2276-4', 1, 'ng/mL', '2024-03-05T08:00:00Z')] }), NOW);
    expect(t.labs.ferritin?.values[0]?.day).toBeUndefined();
    expect(t.labs.ferritin?.baseline).toBeUndefined();
  });

  test('year-only and year-month dates are skipped with an issue; issued is the fallback time', () => {
    const t = timeline([
      lab('y1', '2276-4', 500, 'ng/mL', '2024'),
      lab('y2', '2276-4', 500, 'ng/mL', '2024-03'),
      lab('y3', '2276-4', 500, 'ng/mL', '2024-03-05T08:00:00Z', { effectiveDateTime: undefined, issued: '2024-03-06T09:00:00Z' }),
    ]);
    expect(t.labs.ferritin?.values.map((v) => [v.source, v.day])).toEqual([['Observation/y3', 5]]);
    expect(t.issues.filter((i) => /not precise to the day/.test(i.reason)).map((i) => i.source)).toEqual(['Observation/y1', 'Observation/y2']);
  });
});

describe('ANC derived from WBC x neutrophil % (docs/terminology.md#units row ANC from differential)', () => {
  const T1 = '2024-03-05T08:00:00Z';
  const T2 = '2024-03-06T08:00:00Z';
  test('derived only where no direct ANC exists at that time', () => {
    const t = timeline([
      lab('w1', '6690-2', 2.0, '10*3/uL', T1),
      lab('n1', '770-8', 40, '%', T1),
      lab('w2', '6690-2', 3.0, '10*3/uL', T2),
      lab('n2', '770-8', 50, '%', T2),
      lab('a2', '751-8', 1.4, '10*3/uL', T2),
    ]);
    expect(t.labs.anc?.values.map((v) => [v.time, v.value, v.derived ?? false])).toEqual([
      [T1, 0.8, true],
      [T2, 1.4, false],
    ]);
    expect(t.labs.anc?.values[0]).toMatchObject({ low: 1.8, rangeSource: 'default' });
  });

  test('no derivation from a censored count or across different times', () => {
    const t = timeline([
      lab('w1', '6690-2', 0, '10*3/uL', T1, { valueQuantity: undefined, valueString: '<0.1 10*3/uL' }),
      lab('n1', '770-8', 40, '%', T1),
      lab('n2', '770-8', 40, '%', T2),
    ]);
    expect(t.labs.anc).toBeUndefined();
  });
});
