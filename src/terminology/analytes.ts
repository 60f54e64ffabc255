/**
 * The analyte registry: every lab (and the temperature vital sign) the engine tracks, with the facts the
 * rest of the service reads about it. One row per analyte; nothing else in src/ lists analytes.
 *
 * The registry is spread over three data modules of this folder, joined by the `Analyte` id:
 * - this file: id, display name and label, the unit criteria thresholds are written in (with the
 *   spellings of that unit that need no conversion), and the display order;
 * - `loinc.ts`: the LOINC codes that map to each analyte (`LAB_CODES`, `loincCodesFor`);
 * - `analyteUnits.ts`: the canonical unit every value is converted to, molecular weights and the
 *   non-UCUM spellings EHRs send (docs/terminology.md#units).
 * They are separate because each is a long table, but they import only the types of this file.
 */

/** Every analyte id, in display order (key IEC-HS markers first); the `Analyte` union as a value. */
export const ANALYTES = [
  'ferritin', 'fibrinogen', 'triglycerides', 'ast', 'alt', 'bilirubinTotal', 'bilirubinDirect', 'ldh',
  'creatinine', 'platelets', 'anc', 'neutrophilPct', 'wbc', 'hemoglobin', 'crp', 'sil2r', 'il6', 'ddimer',
  'pt', 'inr', 'aptt', 'temperature',
] as const;

/** Lab analytes (and the temperature vital sign) the engine tracks. */
export type Analyte = (typeof ANALYTES)[number];

/** Administrative sex as the reference ranges distinguish it. */
export type Sex = 'male' | 'female' | 'other' | 'unknown';

export interface AnalyteInfo {
  id: Analyte;
  /** Short name in assessment prose: `ferritin`, `AST`. */
  name: string;
  /** Name in card tables and lists (may add a synonym: `sCD25 (sIL-2R)`). */
  label: string;
  /** UCUM unit criteria thresholds on this analyte are written in; absent when no threshold uses it. */
  thresholdUnit?: string;
  /** 0-based position in evidence tables. */
  order: number;
}

type Row = Omit<AnalyteInfo, 'id' | 'order' | 'label'> & { label?: string };

const ROWS: Readonly<Record<Analyte, Row>> = {
  ferritin: { name: 'ferritin', thresholdUnit: 'ng/mL' },
  fibrinogen: { name: 'fibrinogen', thresholdUnit: 'mg/dL' },
  triglycerides: { name: 'triglycerides', thresholdUnit: 'mg/dL' },
  ast: { name: 'AST', thresholdUnit: 'U/L' },
  alt: { name: 'ALT', thresholdUnit: 'U/L' },
  bilirubinTotal: { name: 'total bilirubin', thresholdUnit: 'mg/dL' },
  bilirubinDirect: { name: 'direct bilirubin', thresholdUnit: 'mg/dL' },
  ldh: { name: 'LDH', thresholdUnit: 'U/L' },
  creatinine: { name: 'creatinine', thresholdUnit: 'mg/dL' },
  platelets: { name: 'platelets', thresholdUnit: '10*3/uL' },
  anc: { name: 'ANC', thresholdUnit: '10*3/uL' },
  neutrophilPct: { name: 'neutrophils %' },
  wbc: { name: 'WBC', thresholdUnit: '10*3/uL' },
  hemoglobin: { name: 'hemoglobin', thresholdUnit: 'g/dL' },
  crp: { name: 'CRP' },
  sil2r: { name: 'sCD25', label: 'sCD25 (sIL-2R)', thresholdUnit: 'U/mL' },
  il6: { name: 'IL-6' },
  ddimer: { name: 'D-dimer' },
  pt: { name: 'PT', thresholdUnit: 's' },
  inr: { name: 'INR', thresholdUnit: '{INR}' },
  aptt: { name: 'aPTT', thresholdUnit: 's' },
  temperature: { name: 'temperature', thresholdUnit: 'Cel' },
};

export const ANALYTE_REGISTRY: Readonly<Record<Analyte, AnalyteInfo>> = Object.fromEntries(
  ANALYTES.map((id, order) => {
    const row = ROWS[id];
    return [id, { id, order, name: row.name, label: row.label ?? row.name, ...(row.thresholdUnit === undefined ? {} : { thresholdUnit: row.thresholdUnit }) }];
  }),
) as Record<Analyte, AnalyteInfo>;

/**
 * Spellings of a threshold unit that mean the same thing without conversion (converting is the
 * features layer's job). A value in an unlisted unit is not compared with a threshold.
 */
export const THRESHOLD_UNIT_SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  'ng/mL': ['ng/mL', 'ug/L'],
  'mg/dL': ['mg/dL'],
  'U/L': ['U/L', '[IU]/L'],
  '10*3/uL': ['10*3/uL', '10*9/L'],
  'g/dL': ['g/dL'],
  'U/mL': ['U/mL', '[U]/mL'],
  '{INR}': ['{INR}', '{ratio}', '1', ''],
  s: ['s'],
  Cel: ['Cel'],
};

export function isAnalyte(value: string): value is Analyte {
  return (ANALYTES as readonly string[]).includes(value);
}
