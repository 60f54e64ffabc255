/**
 * Documented fallback reference ranges, used only when a result carries no usable referenceRange of
 * its own (docs/clinical-basis.md#reference-ranges: ULN/LLN = the result's own range first). Values are the first-listed typical
 * adult range in docs/clinical-basis.md#reference-ranges; labs differ, which is why each default names its source and the
 * timeline marks values judged against it (`rangeSource: 'default'`). Analytes docs/clinical-basis.md#reference-ranges does
 * not list (WBC, direct bilirubin, CRP, IL-6, D-dimer, PT, INR, aPTT, temperature, neutrophil %) have
 * no default: criteria needing their limits must report them missing rather than invent one.
 */
import type { Analyte, Sex } from './analytes.js';

export interface DefaultRange {
  low?: number;
  high?: number;
  /** Unit of low/high (the analyte's canonical unit, or its alternate unit family). */
  unit: string;
  source: string;
}

interface RangeRow extends DefaultRange {
  analyte: Analyte;
  /** Absent = any sex. */
  sex?: 'male' | 'female';
}

const S7 = 'docs/clinical-basis.md#reference-ranges typical adult range (documented fallback)';

const ROWS: readonly RangeRow[] = [
  { analyte: 'ferritin', sex: 'male', low: 24, high: 336, unit: 'ng/mL', source: `${S7}: ferritin M 24-336 ng/mL` },
  { analyte: 'ferritin', sex: 'female', low: 11, high: 307, unit: 'ng/mL', source: `${S7}: ferritin F 11-307 ng/mL` },
  // Sex unknown: the lower ULN of the two, so "x ULN" rules err towards flagging.
  { analyte: 'ferritin', low: 11, high: 307, unit: 'ng/mL', source: `${S7}: ferritin, sex unknown -> female range (lower ULN)` },
  { analyte: 'fibrinogen', low: 200, high: 400, unit: 'mg/dL', source: `${S7}: fibrinogen 200-400 mg/dL` },
  { analyte: 'triglycerides', high: 150, unit: 'mg/dL', source: `${S7}: triglycerides < 150 mg/dL` },
  { analyte: 'ast', low: 10, high: 34, unit: 'U/L', source: `${S7}: AST 10-34 U/L` },
  { analyte: 'alt', low: 5, high: 35, unit: 'U/L', source: `${S7}: ALT 5-35 U/L` },
  { analyte: 'bilirubinTotal', high: 1.0, unit: 'mg/dL', source: `${S7}: total bilirubin up to 1.0 mg/dL` },
  { analyte: 'ldh', low: 120, high: 246, unit: 'U/L', source: `${S7}: LDH 120-246 U/L (method-dependent)` },
  { analyte: 'creatinine', low: 0.6, high: 1.2, unit: 'mg/dL', source: `${S7}: creatinine 0.6-1.2 mg/dL` },
  { analyte: 'platelets', low: 150, high: 450, unit: '10*9/L', source: `${S7}: platelets 150-450 x10^9/L` },
  { analyte: 'anc', low: 1.8, high: 7.7, unit: '10*9/L', source: `${S7}: ANC 1.8-7.7 x10^9/L` },
  { analyte: 'hemoglobin', sex: 'male', low: 13.5, high: 17.5, unit: 'g/dL', source: `${S7}: hemoglobin M 13.5-17.5 g/dL` },
  { analyte: 'hemoglobin', sex: 'female', low: 12.0, high: 15.5, unit: 'g/dL', source: `${S7}: hemoglobin F 12.0-15.5 g/dL` },
  { analyte: 'hemoglobin', low: 12.0, high: 17.5, unit: 'g/dL', source: `${S7}: hemoglobin, sex unknown -> F LLN 12.0, M ULN 17.5` },
  // sCD25: per assay family; the U/mL row is Seattle Children's Immulite, age >= 8 y.
  { analyte: 'sil2r', low: 137, high: 838, unit: 'U/mL', source: `${S7}: sIL-2R 137-838 U/mL (Siemens Immulite, age >= 8 y)` },
  { analyte: 'sil2r', low: 175.3, high: 858.2, unit: 'pg/mL', source: `${S7}: sIL-2R 175.3-858.2 pg/mL (ARUP)` },
];

const index = new Map<string, DefaultRange>();
for (const row of ROWS) {
  const { analyte, sex, ...range } = row;
  index.set(`${analyte}|${range.unit}|${sex ?? 'any'}`, Object.freeze(range));
}

/** The documented default for an analyte in a unit (canonical or alternate), by sex where it matters. */
export function defaultRange(analyte: Analyte, unit: string, sex: Sex): DefaultRange | undefined {
  if (sex === 'male' || sex === 'female') {
    const specific = index.get(`${analyte}|${unit}|${sex}`);
    if (specific) return specific;
  }
  return index.get(`${analyte}|${unit}|any`);
}
