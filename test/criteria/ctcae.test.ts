import { ctcaeGrade, type GradedAnalyte } from '../../src/criteria/ctcae.js';
import { resolveThresholds } from '../../src/criteria/thresholds.js';
import { lab } from './builders.js';

const t = resolveThresholds();

// [analyte, value, baseline value or undefined, expected grade, reference row]
type Row = [GradedAnalyte, number, number | undefined, number | undefined, string];

const rows: Row[] = [
  // AST/ALT, baseline normal; ULN 40 (docs/clinical-basis.md#ctcae "AST increased")
  ['ast', 40, undefined, 0, 'docs/clinical-basis.md#ctcae AST: = ULN -> grade 0'],
  ['ast', 41, undefined, 1, 'docs/clinical-basis.md#ctcae AST: > ULN -> grade 1'],
  ['ast', 120, undefined, 1, 'docs/clinical-basis.md#ctcae AST: 3.0 x ULN -> grade 1'],
  ['ast', 121, undefined, 2, 'docs/clinical-basis.md#ctcae AST: > 3.0 x ULN -> grade 2'],
  ['ast', 200, undefined, 2, 'docs/clinical-basis.md#ctcae AST: 5.0 x ULN -> grade 2'],
  ['ast', 201, undefined, 3, 'docs/clinical-basis.md#ctcae AST: > 5.0 x ULN -> grade 3'],
  ['ast', 800, undefined, 3, 'docs/clinical-basis.md#ctcae AST: 20.0 x ULN -> grade 3'],
  ['ast', 801, undefined, 4, 'docs/clinical-basis.md#ctcae AST: > 20.0 x ULN -> grade 4'],
  ['alt', 201, 30, 3, 'docs/clinical-basis.md#ctcae ALT: same as AST, normal baseline -> x ULN'],
  // AST abnormal baseline 100 (> ULN 40): x baseline bands
  ['ast', 149, 100, 0, 'docs/clinical-basis.md#ctcae AST abnormal baseline: < 1.5 x baseline -> grade 0'],
  ['ast', 150, 100, 1, 'docs/clinical-basis.md#ctcae AST abnormal baseline: 1.5 x baseline -> grade 1'],
  ['ast', 300, 100, 1, 'docs/clinical-basis.md#ctcae AST abnormal baseline: 3.0 x baseline -> grade 1'],
  ['ast', 301, 100, 2, 'docs/clinical-basis.md#ctcae AST abnormal baseline: > 3.0 x baseline -> grade 2'],
  ['ast', 500, 100, 2, 'docs/clinical-basis.md#ctcae AST abnormal baseline: 5.0 x baseline -> grade 2'],
  ['ast', 501, 100, 3, 'docs/clinical-basis.md#ctcae AST abnormal baseline: > 5.0 x baseline -> grade 3'],
  ['ast', 2001, 100, 4, 'docs/clinical-basis.md#ctcae AST abnormal baseline: > 20.0 x baseline -> grade 4'],
  // Bilirubin, ULN 1.2
  ['bilirubinTotal', 1.2, undefined, 0, 'docs/clinical-basis.md#ctcae bilirubin: = ULN -> 0'],
  ['bilirubinTotal', 1.8, undefined, 1, 'docs/clinical-basis.md#ctcae bilirubin: 1.5 x ULN -> 1'],
  ['bilirubinTotal', 1.81, undefined, 2, 'docs/clinical-basis.md#ctcae bilirubin: > 1.5 x ULN -> 2'],
  ['bilirubinTotal', 3.6, undefined, 2, 'docs/clinical-basis.md#ctcae bilirubin: 3.0 x ULN -> 2'],
  ['bilirubinTotal', 3.61, undefined, 3, 'docs/clinical-basis.md#ctcae bilirubin: > 3.0 x ULN -> 3'],
  ['bilirubinTotal', 12, undefined, 3, 'docs/clinical-basis.md#ctcae bilirubin: 10.0 x ULN -> 3'],
  ['bilirubinTotal', 12.1, undefined, 4, 'docs/clinical-basis.md#ctcae bilirubin: > 10.0 x ULN -> 4'],
  ['bilirubinTotal', 6, 2, 2, 'docs/clinical-basis.md#ctcae bilirubin abnormal baseline 2: 3.0 x baseline -> 2'],
  ['bilirubinTotal', 6.1, 2, 3, 'docs/clinical-basis.md#ctcae bilirubin abnormal baseline 2: > 3.0 x baseline -> 3'],
  ['bilirubinTotal', 2, 2, 0, 'docs/clinical-basis.md#ctcae bilirubin abnormal baseline: 1.0 x baseline -> 0'],
  // Creatinine, ULN 1.2; baseline bands apply alongside
  ['creatinine', 1.8, undefined, 1, 'docs/clinical-basis.md#ctcae creatinine: 1.5 x ULN -> 1'],
  ['creatinine', 1.81, undefined, 2, 'docs/clinical-basis.md#ctcae creatinine: > 1.5 x ULN -> 2'],
  ['creatinine', 3.6, undefined, 2, 'docs/clinical-basis.md#ctcae creatinine: 3.0 x ULN -> 2'],
  ['creatinine', 3.61, undefined, 3, 'docs/clinical-basis.md#ctcae creatinine: > 3.0 x ULN -> 3'],
  ['creatinine', 7.2, undefined, 3, 'docs/clinical-basis.md#ctcae creatinine: 6.0 x ULN -> 3'],
  ['creatinine', 7.21, undefined, 4, 'docs/clinical-basis.md#ctcae creatinine: > 6.0 x ULN -> 4'],
  ['creatinine', 1.0, 0.5, 2, 'docs/clinical-basis.md#ctcae creatinine: > 1.5 x baseline -> 2 (value within range)'],
  ['creatinine', 1.5, 0.5, 2, 'docs/clinical-basis.md#ctcae creatinine: 3.0 x baseline -> 2'],
  ['creatinine', 1.51, 0.5, 3, 'docs/clinical-basis.md#ctcae creatinine: > 3.0 x baseline -> 3'],
  // Platelets (10^9/L), LLN 150
  ['platelets', 150, undefined, 0, 'docs/clinical-basis.md#ctcae platelets: = LLN -> 0'],
  ['platelets', 149, undefined, 1, 'docs/clinical-basis.md#ctcae platelets: < LLN -> 1'],
  ['platelets', 75, undefined, 1, 'docs/clinical-basis.md#ctcae platelets: 75 -> 1'],
  ['platelets', 74, undefined, 2, 'docs/clinical-basis.md#ctcae platelets: < 75 -> 2'],
  ['platelets', 50, undefined, 2, 'docs/clinical-basis.md#ctcae platelets: 50 -> 2'],
  ['platelets', 49, undefined, 3, 'docs/clinical-basis.md#ctcae platelets: < 50 -> 3'],
  ['platelets', 25, undefined, 3, 'docs/clinical-basis.md#ctcae platelets: 25 -> 3'],
  ['platelets', 24, undefined, 4, 'docs/clinical-basis.md#ctcae platelets: < 25 -> 4'],
  // ANC, LLN 1.8
  ['anc', 1.5, undefined, 1, 'docs/clinical-basis.md#ctcae ANC: 1.5 -> 1'],
  ['anc', 1.49, undefined, 2, 'docs/clinical-basis.md#ctcae ANC: < 1.5 -> 2'],
  ['anc', 1.0, undefined, 2, 'docs/clinical-basis.md#ctcae ANC: 1.0 -> 2'],
  ['anc', 0.99, undefined, 3, 'docs/clinical-basis.md#ctcae ANC: < 1.0 -> 3'],
  ['anc', 0.5, undefined, 3, 'docs/clinical-basis.md#ctcae ANC: 0.5 -> 3'],
  ['anc', 0.49, undefined, 4, 'docs/clinical-basis.md#ctcae ANC: < 0.5 -> 4'],
  // Hemoglobin, LLN 12
  ['hemoglobin', 12, undefined, 0, 'docs/clinical-basis.md#ctcae anemia: = LLN -> 0'],
  ['hemoglobin', 10, undefined, 1, 'docs/clinical-basis.md#ctcae anemia: 10.0 -> 1'],
  ['hemoglobin', 9.9, undefined, 2, 'docs/clinical-basis.md#ctcae anemia: < 10.0 -> 2'],
  ['hemoglobin', 8, undefined, 2, 'docs/clinical-basis.md#ctcae anemia: 8.0 -> 2'],
  ['hemoglobin', 7.9, undefined, 3, 'docs/clinical-basis.md#ctcae anemia: < 8.0 -> 3'],
  // Fibrinogen, LLN 200
  ['fibrinogen', 200, undefined, 0, 'docs/clinical-basis.md#ctcae fibrinogen: = LLN -> 0'],
  ['fibrinogen', 150, undefined, 1, 'docs/clinical-basis.md#ctcae fibrinogen: 0.75 x LLN -> 1'],
  ['fibrinogen', 149, undefined, 2, 'docs/clinical-basis.md#ctcae fibrinogen: < 0.75 x LLN -> 2'],
  ['fibrinogen', 100, undefined, 2, 'docs/clinical-basis.md#ctcae fibrinogen: 0.5 x LLN -> 2'],
  ['fibrinogen', 99, undefined, 3, 'docs/clinical-basis.md#ctcae fibrinogen: < 0.5 x LLN -> 3'],
  ['fibrinogen', 50, undefined, 3, 'docs/clinical-basis.md#ctcae fibrinogen: 0.25 x LLN (= 50 mg/dL) -> 3'],
  ['fibrinogen', 49, undefined, 4, 'docs/clinical-basis.md#ctcae fibrinogen: < 50 mg/dL absolute -> 4'],
  ['fibrinogen', 140, 160, 1, 'docs/clinical-basis.md#ctcae fibrinogen abnormal baseline 160: < 25% fall -> 1'],
  ['fibrinogen', 120, 160, 2, 'docs/clinical-basis.md#ctcae fibrinogen abnormal baseline 160: 25% fall -> 2'],
  ['fibrinogen', 80, 160, 3, 'docs/clinical-basis.md#ctcae fibrinogen abnormal baseline 160: 50% fall -> 3'],
  ['fibrinogen', 60, 160, 3, 'docs/clinical-basis.md#ctcae fibrinogen abnormal baseline 160: 62.5% fall -> 3'],
  // INR (no anticoagulation)
  ['inr', 1.2, undefined, 0, 'docs/clinical-basis.md#ctcae INR: 1.2 -> 0'],
  ['inr', 1.21, undefined, 1, 'docs/clinical-basis.md#ctcae INR: > 1.2 -> 1'],
  ['inr', 1.5, undefined, 1, 'docs/clinical-basis.md#ctcae INR: 1.5 -> 1'],
  ['inr', 1.51, undefined, 2, 'docs/clinical-basis.md#ctcae INR: > 1.5 -> 2'],
  ['inr', 2.5, undefined, 2, 'docs/clinical-basis.md#ctcae INR: 2.5 -> 2'],
  ['inr', 2.51, undefined, 3, 'docs/clinical-basis.md#ctcae INR: > 2.5 -> 3'],
  // aPTT, ULN 35 s
  ['aptt', 35, undefined, 0, 'docs/clinical-basis.md#ctcae aPTT: = ULN -> 0'],
  ['aptt', 52.5, undefined, 1, 'docs/clinical-basis.md#ctcae aPTT: 1.5 x ULN -> 1'],
  ['aptt', 52.6, undefined, 2, 'docs/clinical-basis.md#ctcae aPTT: > 1.5 x ULN -> 2'],
  ['aptt', 87.5, undefined, 2, 'docs/clinical-basis.md#ctcae aPTT: 2.5 x ULN -> 2'],
  ['aptt', 87.6, undefined, 3, 'docs/clinical-basis.md#ctcae aPTT: > 2.5 x ULN -> 3'],
];

describe('CTCAE v5 grade bands', () => {
  test.each(rows)('%s %p (baseline %p) -> grade %p: %s', (analyte, value, baselineValue, expected) => {
    const baseline = baselineValue === undefined ? undefined : lab(analyte, baselineValue, 0);
    expect(ctcaeGrade(analyte, lab(analyte, value, 5), baseline, t)?.grade).toBe(expected);
  });

  test('AST without a reference range cannot be graded (ULN comes from the result)', () => {
    expect(ctcaeGrade('ast', lab('ast', 500, 5, { high: null }), undefined, t)).toBeUndefined();
  });

  test('the rule names the term, grade and measure', () => {
    expect(ctcaeGrade('ast', lab('ast', 248, 5), undefined, t)?.rule).toBe('CTCAE v5 AST increased grade 3 (6.2 x ULN)');
  });

  test('threshold overrides move the bands (docs/clinical-basis.md#ctcae platelets grade 3 < 50)', () => {
    const moved = resolveThresholds({ 'ctcae.platelets.g3': 60 });
    expect(ctcaeGrade('platelets', lab('platelets', 55, 5), undefined, t)?.grade).toBe(2);
    expect(ctcaeGrade('platelets', lab('platelets', 55, 5), undefined, moved)?.grade).toBe(3);
  });
});
