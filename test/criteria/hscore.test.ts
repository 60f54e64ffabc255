import { assessHscore, hscoreProbability, probabilityText } from '../../src/criteria/hscore.js';
import type { Analyte } from '../../src/features/types.js';
import { lab, timeline, type TimelineOptions } from './builders.js';
import { criterionOf, run } from './helpers.js';

const hscore = (opts: TimelineOptions) => run(assessHscore, timeline({ dayNow: 12, ...opts }));
const points = (analyte: Analyte, value: number, id: string) => criterionOf(hscore({ labs: [lab(analyte, value, 11)] }), id).points;

describe('HScore variable bands (docs/clinical-basis.md#hscore)', () => {
  test.each([
    ['temperature', 38.3, 'hscore-temperature', 0, 'docs/clinical-basis.md#hscore temperature < 38.4 -> 0'],
    ['temperature', 38.4, 'hscore-temperature', 33, 'docs/clinical-basis.md#hscore temperature 38.4-39.4 -> 33'],
    ['temperature', 39.4, 'hscore-temperature', 33, 'docs/clinical-basis.md#hscore temperature 38.4-39.4 -> 33'],
    ['temperature', 39.5, 'hscore-temperature', 49, 'docs/clinical-basis.md#hscore temperature > 39.4 -> 49'],
    ['ferritin', 1999, 'hscore-ferritin', 0, 'docs/clinical-basis.md#hscore ferritin < 2,000 -> 0'],
    ['ferritin', 2000, 'hscore-ferritin', 35, 'docs/clinical-basis.md#hscore ferritin 2,000-6,000 -> 35'],
    ['ferritin', 6000, 'hscore-ferritin', 35, 'docs/clinical-basis.md#hscore ferritin 2,000-6,000 -> 35'],
    ['ferritin', 6001, 'hscore-ferritin', 50, 'docs/clinical-basis.md#hscore ferritin > 6,000 -> 50'],
    ['triglycerides', 132.6, 'hscore-triglycerides', 0, 'docs/clinical-basis.md#hscore TG < 132.7 mg/dL -> 0'],
    ['triglycerides', 132.7, 'hscore-triglycerides', 44, 'docs/clinical-basis.md#hscore TG 132.7-354 -> 44'],
    ['triglycerides', 354.3, 'hscore-triglycerides', 44, 'Fardet 2014: TG 1.5-4.0 mmol/L (4.0 x 88.57 = 354.3 mg/dL) -> 44'],
    ['triglycerides', 354.4, 'hscore-triglycerides', 64, 'Fardet 2014: TG > 4.0 mmol/L = 354.3 mg/dL -> 64'],
    ['fibrinogen', 251, 'hscore-fibrinogen', 0, 'docs/clinical-basis.md#hscore fibrinogen > 2.5 g/L -> 0'],
    ['fibrinogen', 250, 'hscore-fibrinogen', 30, 'docs/clinical-basis.md#hscore fibrinogen <= 2.5 g/L -> 30'],
    ['ast', 29, 'hscore-ast', 0, 'docs/clinical-basis.md#hscore AST < 30 -> 0'],
    ['ast', 30, 'hscore-ast', 19, 'docs/clinical-basis.md#hscore AST >= 30 -> 19'],
  ] as const)('%s %p -> %s %p points (%s)', (analyte, value, id, expected, _ref) => {
    expect(points(analyte, value, id)).toBe(expected);
  });

  // Lineage cut-offs: Hb <= 9.2 g/dL, WBC <= 5.0 x10^9/L, platelets <= 110 x10^9/L (docs/clinical-basis.md#hscore)
  test.each([
    [9.3, 5.1, 111, 0, 'no cytopenic lineage'],
    [9.2, 5.1, 111, 0, 'docs/clinical-basis.md#hscore 1 lineage (Hb <= 9.2) -> 0'],
    [9.2, 5.0, 111, 24, 'docs/clinical-basis.md#hscore 2 lineages (Hb, WBC <= 5.0) -> 24'],
    [9.2, 5.0, 110, 34, 'docs/clinical-basis.md#hscore 3 lineages (platelets <= 110) -> 34'],
    [13, 5.0, 110, 24, 'docs/clinical-basis.md#hscore 2 lineages (WBC, platelets) -> 24'],
  ])('Hb %p, WBC %p, platelets %p -> %p points (%s)', (hb, wbc, plt, expected) => {
    const a = hscore({ labs: [lab('hemoglobin', hb, 11), lab('wbc', wbc, 11), lab('platelets', plt, 11)] });
    expect(criterionOf(a, 'hscore-cytopenias').points).toBe(expected);
  });

  test('a missing lineage keeps the cytopenia points open (1 known low + 2 unknown -> 0-34)', () => {
    const a = hscore({ labs: [lab('hemoglobin', 8, 11)] });
    expect(criterionOf(a, 'hscore-cytopenias').status).toBe('insufficient-data');
    expect(a.score?.possibleRange).toEqual({ min: 0, max: 18 + 49 + 38 + 34 + 50 + 64 + 30 + 19 + 35 });
  });
});

describe('HScore totals and probability (docs/clinical-basis.md#hscore-probability)', () => {
  test('worked example: full HLH picture, only immunosuppression and hepatomegaly unknown -> met, >99%', () => {
    const a = hscore({
      labs: [
        lab('temperature', 39.5, 11), lab('hemoglobin', 8, 11), lab('wbc', 1, 11), lab('platelets', 50, 11),
        lab('ferritin', 8000, 11), lab('triglycerides', 400, 11), lab('fibrinogen', 200, 11), lab('ast', 50, 11),
      ],
      diagnoses: [{ kind: 'splenomegaly', day: 9 }, { kind: 'hemophagocytosis', day: 10 }],
    });
    // 49 + 23 + 34 + 50 + 64 + 30 + 19 + 35 = 304; + 15 (both organs) + 18 (immunosuppression) = 337
    expect(a.score).toMatchObject({ value: 304, max: 337, possibleRange: { min: 304, max: 337 }, probability: 0.99 });
    expect(a.status).toBe('met');
    expect(a.summary).toBe('Met: HScore >= 304 (cut-off 169), probability >99%');
  });

  test('worked example: normal labs, unknown items cannot reach 169 -> not met', () => {
    const a = hscore({
      labs: [
        lab('temperature', 37, 11), lab('hemoglobin', 13, 11), lab('wbc', 6, 11), lab('platelets', 200, 11),
        lab('ferritin', 500, 11), lab('triglycerides', 100, 11), lab('fibrinogen', 300, 11), lab('ast', 20, 11),
      ],
    });
    // unknown: immunosuppression 18 + organomegaly 38 + hemophagocytosis 35 = 91
    expect(a.score?.possibleRange).toEqual({ min: 0, max: 91 });
    expect(a.status).toBe('not-met');
    expect(a.summary).toBe('Not met: HScore 0-91 (< 169), probability <= 1%');
  });

  test('no data at all -> insufficient data with the full 0-337 range', () => {
    const a = hscore({});
    expect(a.status).toBe('insufficient-data');
    expect(a.score?.possibleRange).toEqual({ min: 0, max: 337 });
    expect(a.missing).toContain('known immunosuppression (HIV or long-term immunosuppressive therapy): not in lab data');
  });

  test.each([
    [80, 0.01, '<1%'],
    [90, 0.01, '<1%'],
    [100, 0.01, '1%'],
    [150, 0.25, '25%'],
    [169, 0.526, '53%'],
    [170, 0.54, '54%'],
    [240, 0.99, '99%'],
    [250, 0.99, '>99%'],
    [337, 0.99, '>99%'],
  ])('score %p -> probability %p (%s), docs/clinical-basis.md#hscore-probability table, interpolated between rows', (score, p, text) => {
    expect(hscoreProbability(score)).toBeCloseTo(p, 3);
    expect(probabilityText(score)).toBe(text);
  });
});
