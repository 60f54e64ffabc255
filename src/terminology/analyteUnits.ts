/**
 * One canonical unit per analyte (what every LabValue carries), the molecular weights that make
 * mass <-> molar conversion possible, and the non-UCUM spellings EHRs send (docs/terminology.md#units).
 * Data only; the conversion itself is in units.ts.
 */
import type { Analyte } from './analytes.js';

export interface UnitTarget {
  /** UCUM code every value is converted to. */
  unit: string;
  /** g/mol, for mass <-> molar conversion. */
  molecularWeight?: number;
  /** Source/derivation of the molecular weight. */
  molecularWeightSource?: string;
  /** Analyte-specific spellings (lower-case key) -> UCUM, applied before the shared aliases. */
  aliases?: Readonly<Record<string, string>>;
  /**
   * Dimensionless targets: UCUM happily converts any dimensionless unit into any other (50 % -> 0.5
   * {INR}), so only the listed spellings (after aliasing) are accepted, at factor 1.
   */
  onlyUnits?: readonly string[];
  /** True when a missing unit means the canonical one (INR has no unit). */
  unitOptional?: boolean;
}

export interface AnalyteUnits {
  canonical: UnitTarget;
  /**
   * A second, incommensurable unit family kept in its own series rather than dropped or guessed:
   * sIL-2R pg/mL vs U/mL (no fixed factor, §2 and §8 note 3), D-dimer DDU vs FEU (approximate, §2).
   */
  alternate?: UnitTarget & { selectedBy: 'unit' | 'ddu-code'; why: string };
}

const ENZYME_ALIASES = { 'iu/l': 'U/L', '[iu]/l': 'U/L', 'units/l': 'U/L', 'unit/l': 'U/L', 'u/l': 'U/L' } as const;
const COUNT: UnitTarget = { unit: '10*9/L' };

/**
 * Molecular weights (g/mol), derived from the conversion factors of docs/terminology.md#units so that UCUM
 * reproduces those factors exactly: mg/dL -> umol/L is x(10,000 / MW), ng/mL -> pmol/L is x(10^6 / MW).
 */
const MW = {
  /** ng/mL x 2.247 = pmol/L [S37] -> ~445 kDa (docs/terminology.md#ucum uses 445,000). */
  ferritin: 1e6 / 2.247,
  /** mg/dL / 88.57 = mmol/L -> 885.7 g/mol (triolein-equivalent). */
  triglycerides: 885.7,
  /** mg/dL x 17.1 = umol/L -> ~584.8 g/mol (bilirubin 584.66). */
  bilirubin: 1e4 / 17.1,
  /** mg/dL x 88.4 = umol/L -> ~113.12 g/mol (creatinine). */
  creatinine: 1e4 / 88.4,
  /** g/dL x 0.6206 = mmol/L, counted per Hb subunit (PMC3934467) -> ~16,113 g/mol. */
  hemoglobin: 1e4 / 0.6206,
} as const;

export const ANALYTE_UNITS: Readonly<Record<Analyte, AnalyteUnits>> = {
  ferritin: { canonical: { unit: 'ng/mL', molecularWeight: MW.ferritin, molecularWeightSource: 'docs/terminology.md#units ferritin x2.247' } },
  fibrinogen: { canonical: { unit: 'mg/dL' } },
  triglycerides: { canonical: { unit: 'mg/dL', molecularWeight: MW.triglycerides, molecularWeightSource: 'docs/terminology.md#units TG /88.57' } },
  ast: { canonical: { unit: 'U/L', aliases: ENZYME_ALIASES } },
  alt: { canonical: { unit: 'U/L', aliases: ENZYME_ALIASES } },
  ldh: { canonical: { unit: 'U/L', aliases: ENZYME_ALIASES } },
  bilirubinTotal: { canonical: { unit: 'mg/dL', molecularWeight: MW.bilirubin, molecularWeightSource: 'docs/terminology.md#units bilirubin x17.1' } },
  bilirubinDirect: { canonical: { unit: 'mg/dL', molecularWeight: MW.bilirubin, molecularWeightSource: 'docs/terminology.md#units bilirubin x17.1' } },
  creatinine: { canonical: { unit: 'mg/dL', molecularWeight: MW.creatinine, molecularWeightSource: 'docs/terminology.md#units creatinine x88.4' } },
  platelets: { canonical: COUNT },
  anc: { canonical: COUNT },
  wbc: { canonical: COUNT },
  neutrophilPct: { canonical: { unit: '%', aliases: { percent: '%' }, onlyUnits: ['%'] } },
  hemoglobin: { canonical: { unit: 'g/dL', molecularWeight: MW.hemoglobin, molecularWeightSource: 'docs/terminology.md#units Hb x0.6206 (monomer)' } },
  crp: { canonical: { unit: 'mg/L' } },
  il6: { canonical: { unit: 'pg/mL' } },
  sil2r: {
    // HLH-2004 (>= 2,400) and OHI (> 3,900) cut-offs are in U/mL (docs/clinical-basis.md#reference-ranges).
    canonical: {
      unit: 'U/mL',
      // kU/L is numerically U/mL; sIL-2R kits label their arbitrary units U/mL or IU/mL interchangeably.
      aliases: { 'units/ml': 'U/mL', 'unit/ml': 'U/mL', '[u]/ml': 'U/mL', 'u/ml': 'U/mL', 'iu/ml': 'U/mL', '[iu]/ml': 'U/mL', 'ku/l': 'U/mL', 'kiu/l': 'U/mL' },
      onlyUnits: ['U/mL'],
    },
    alternate: { unit: 'pg/mL', selectedBy: 'unit', why: 'sIL-2R pg/mL and U/mL assays have no fixed conversion (docs/terminology.md#units, docs/terminology.md#sil2r-units)' },
  },
  ddimer: {
    canonical: { unit: 'ng/mL{FEU}' },
    alternate: { unit: 'ng/mL{DDU}', selectedBy: 'ddu-code', why: 'D-dimer DDU -> FEU is only approximate (docs/terminology.md#units)' },
  },
  pt: { canonical: { unit: 's' } },
  inr: {
    canonical: {
      unit: '{INR}',
      aliases: { inr: '{INR}', '{inr}': '{INR}', '1': '{INR}', '{ratio}': '{INR}', ratio: '{INR}' },
      onlyUnits: ['{INR}'],
      unitOptional: true,
    },
  },
  aptt: { canonical: { unit: 's' } },
  temperature: { canonical: { unit: 'Cel' } },
};

/**
 * Non-UCUM spellings seen in EHR feeds (docs/terminology.md#units, docs/terminology.md#unit-spellings), keyed lower-case. Only
 * unambiguous ones: e.g. `G/L` is left out because it folds onto `g/L` (grams per litre).
 */
export const SHARED_UNIT_ALIASES: Readonly<Record<string, string>> = {
  // Text spellings (keys are lower case, micro sign already folded to "u" by toUcumSpelling).
  'ukat/l': 'ukat/L',
  'mckat/l': 'ukat/L',
  'ku/l': 'kU/L',
  'mcmol/l': 'umol/L',
  'ng/ml': 'ng/mL',
  'ug/l': 'ug/L',
  'mg/dl': 'mg/dL',
  'g/dl': 'g/dL',
  'g/l': 'g/L',
  'mg/l': 'mg/L',
  'mmol/l': 'mmol/L',
  'umol/l': 'umol/L',
  'pg/ml': 'pg/mL',
  'k/ul': '10*3/uL',
  'k/mm3': '10*3/uL',
  'x10e3/ul': '10*3/uL',
  'x10^3/ul': '10*3/uL',
  'x10*3/ul': '10*3/uL',
  '10^3/ul': '10*3/uL',
  '10e3/ul': '10*3/uL',
  '10^3/mm3': '10*3/uL',
  'thou/ul': '10*3/uL',
  'x10e9/l': '10*9/L',
  'x10^9/l': '10*9/L',
  '10^9/l': '10*9/L',
  '10e9/l': '10*9/L',
  'cells/ul': '/uL',
  'cells/mm3': '/uL',
  '/cmm': '/uL',
  '/ul': '/uL',
  'mcg/l': 'ug/L',
  'mcg/ml': 'ug/mL',
  'mcg/dl': 'ug/dL',
  'ug/ml': 'ug/mL',
  'gm/dl': 'g/dL',
  'ng/ml feu': 'ng/mL{FEU}',
  'ug/ml feu': 'ug/mL{FEU}',
  'mg/l feu': 'mg/L{FEU}',
  'ng/ml ddu': 'ng/mL{DDU}',
  'ug/l ddu': 'ug/L{DDU}',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  '°f': '[degF]',
  degf: '[degF]',
  'deg f': '[degF]',
  f: '[degF]',
  '°c': 'Cel',
  degc: 'Cel',
  'deg c': 'Cel',
  c: 'Cel',
  cel: 'Cel',
  celsius: 'Cel',
};
