/** Unit conversion to canonical units (docs/terminology.md#units; docs/terminology.md#ucum gotchas). */
import { convertForAnalyte, convertTo, roundSignificant, ANALYTE_UNITS, CANONICAL_UNIT } from '../../src/terminology/index.js';
import type { Analyte } from '../../src/features/types.js';

type Row = [ref: string, analyte: Analyte, value: number, unit: string | undefined, expected: number];

const convertible: Row[] = [
  ['docs/terminology.md#units row ferritin ng/mL = ug/L', 'ferritin', 250, 'ug/L', 250],
  ['docs/terminology.md#units row ferritin mcg/L (Mayo spelling, §2 alias)', 'ferritin', 250, 'mcg/L', 250],
  ['docs/terminology.md#units row ferritin pmol/L /2.247', 'ferritin', 2247, 'pmol/L', 1000],
  ['docs/terminology.md#units row ferritin ug/dL x10', 'ferritin', 12, 'ug/dL', 120],
  ['docs/terminology.md#units row fibrinogen g/L x100', 'fibrinogen', 1.5, 'g/L', 150],
  ['docs/terminology.md#units row fibrinogen mg/dL identity', 'fibrinogen', 150, 'mg/dL', 150],
  ['docs/terminology.md#units row creatinine umol/L /88.4', 'creatinine', 88.4, 'umol/L', 1],
  ['docs/terminology.md#units row creatinine umol/L /88.4 (3x)', 'creatinine', 265.2, 'umol/L', 3],
  ['docs/terminology.md#units row triglycerides mmol/L x88.57', 'triglycerides', 1, 'mmol/L', 88.57],
  ['docs/terminology.md#units row triglycerides mmol/L x88.57 (500 mg/dL)', 'triglycerides', 500 / 88.57, 'mmol/L', 500],
  ['docs/terminology.md#units row bilirubin umol/L /17.1', 'bilirubinTotal', 17.1, 'umol/L', 1],
  ['docs/terminology.md#units row counts 10*3/uL = 10*9/L (float noise rounded)', 'platelets', 250, '10*3/uL', 250],
  ['docs/terminology.md#units row counts K/uL (§8 note 6)', 'platelets', 45, 'K/uL', 45],
  ['docs/terminology.md#units row counts x10E3/uL', 'wbc', 2.5, 'x10E3/uL', 2.5],
  ['docs/terminology.md#units row counts x10^3/uL', 'wbc', 2.5, 'x10^3/uL', 2.5],
  ['docs/terminology.md#units row counts 10^3/uL', 'anc', 0.4, '10^3/uL', 0.4],
  ['docs/terminology.md#units row counts /uL /1000', 'anc', 1500, '/uL', 1.5],
  ['docs/terminology.md#units row counts /mm3 /1000', 'anc', 500, '/mm3', 0.5],
  ['docs/terminology.md#units row counts cells/uL /1000', 'platelets', 50000, 'cells/uL', 50],
  ['docs/terminology.md#units row counts 10*9/L identity', 'platelets', 49, '10*9/L', 49],
  ['docs/terminology.md#units row hemoglobin g/L /10', 'hemoglobin', 80, 'g/L', 8],
  ['docs/terminology.md#units row hemoglobin mmol/L /0.6206', 'hemoglobin', 6.206, 'mmol/L', 10],
  ['docs/terminology.md#units row CRP mg/dL x10', 'crp', 15, 'mg/dL', 150],
  ['docs/terminology.md#units row IL-6 ng/L = pg/mL', 'il6', 40, 'ng/L', 40],
  ['docs/terminology.md#units row temperature [degF] -> Cel', 'temperature', 100.4, '[degF]', 38],
  ['docs/terminology.md#units row temperature [degF] -> Cel (freezing)', 'temperature', 32, '[degF]', 0],
  ['docs/terminology.md#units row temperature Cel identity', 'temperature', 38.5, 'Cel', 38.5],
  ['docs/terminology.md#units row temperature "°F" spelling', 'temperature', 98.6, '°F', 37],
  ['docs/terminology.md#units row D-dimer ug/mL{FEU} x1000', 'ddimer', 0.5, 'ug/mL{FEU}', 500],
  ['docs/terminology.md#units row D-dimer mg/L{FEU} x1000', 'ddimer', 0.5, 'mg/L{FEU}', 500],
  ['docs/terminology.md#units row INR {INR}', 'inr', 1.4, '{INR}', 1.4],
  ['docs/terminology.md#units row INR "1"', 'inr', 1.4, '1', 1.4],
  ['docs/terminology.md#units row INR blank unit', 'inr', 1.4, undefined, 1.4],
  ['docs/terminology.md#units row PT "sec" spelling', 'pt', 13.2, 'sec', 13.2],
  ['brief: enzymes IU/L = U/L', 'ast', 120, 'IU/L', 120],
  ['brief: enzymes U/L identity', 'ldh', 300, 'U/L', 300],
  ['docs/clinical-basis.md#reference-ranges row sCD25 U/mL (Immulite units/mL)', 'sil2r', 2400, 'units/mL', 2400],
];

describe('convertForAnalyte: convertible unit pairs', () => {
  test.each(convertible)('%s', (_ref, analyte, value, unit, expected) => {
    const r = convertForAnalyte(analyte, value, unit);
    expect(r).toEqual({ ok: true, value: expected, unit: CANONICAL_UNIT[analyte] });
  });
});

const notConvertible: [ref: string, analyte: Analyte, unit: string | undefined][] = [
  ['docs/terminology.md#units row sIL-2R pg/mL vs U/mL: no fixed conversion', 'sil2r', 'pg/mL'],
  ['docs/terminology.md#units: CRP nmol/L needs a molecular weight we do not have', 'crp', 'nmol/L'],
  ['docs/terminology.md#ucum: mass with no unit is never assumed', 'ferritin', undefined],
  ['unknown spelling', 'ferritin', 'furlongs'],
  ['INR is dimensionless; % is not an INR', 'inr', '%'],
  ['neutrophil % is not a count', 'neutrophilPct', '10*9/L'],
  ['counts: g/L (grams) is not a count, G/L is not aliased', 'platelets', 'G/L'],
  ['enzyme units vs international units (IU/L only aliased for enzymes)', 'ferritin', 'IU/L'],
];

describe('convertForAnalyte: failures are results, never guesses', () => {
  test.each(notConvertible)('%s', (_ref, analyte, unit) => {
    const r = convertForAnalyte(analyte, 100, unit);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
  });
});

describe('ferritin in pmol/L around 2x ULN (docs/terminology.md#units row ferritin pmol/L; docs/clinical-basis.md#reference-ranges ferritin F ULN 307)', () => {
  // 2 x 307 ng/mL = 614 ng/mL = 1379.658 pmol/L.
  test.each([
    [1379, false],
    [1380, true],
  ])('%d pmol/L -> above 2x ULN: %s', (pmol, above) => {
    const r = convertForAnalyte('ferritin', pmol, 'pmol/L');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value > 2 * 307).toBe(above);
  });
});

describe('conversion cache', () => {
  test('repeated conversions give identical results and the affine [degF] conversion stays right', () => {
    const target = ANALYTE_UNITS.temperature.canonical;
    const first = convertTo(104, '[degF]', target);
    for (let i = 0; i < 1000; i++) convertTo(104, '[degF]', target);
    expect(convertTo(104, '[degF]', target)).toEqual(first);
    expect(first).toEqual({ ok: true, value: 40, unit: 'Cel' });
    expect(convertTo(212, '[degF]', target)).toEqual({ ok: true, value: 100, unit: 'Cel' });
  });

  test('NaN and Infinity are rejected', () => {
    expect(convertForAnalyte('ferritin', Number.NaN, 'ng/mL').ok).toBe(false);
    expect(convertForAnalyte('ferritin', Number.POSITIVE_INFINITY, 'ng/mL').ok).toBe(false);
  });
});

describe('roundSignificant (docs/terminology.md#ucum: "round the results")', () => {
  test.each([
    [249.99999999999997, 250],
    [38.00000000000006, 38],
    [0.30000000000000004, 0.3],
    [1.4999999999999998, 1.5],
    [123456.789, 123456.789],
    [0, 0],
    [-17.777777777777743, -17.7777777778],
  ])('%p -> %p', (x, expected) => expect(roundSignificant(x)).toBe(expected));
});
