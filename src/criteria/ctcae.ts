/**
 * CTCAE v5.0 grades of the organ labs (docs/clinical-basis.md#ctcae, verified against the admiral encoding). Used for
 * the card's severity tier and for the "grade >= 3" organ items of CARTOX carHLH and PRWCC HLH-LT.
 * ULN/LLN come from each result's own reference range; "x baseline" bands apply where CTCAE says so.
 */
import type { Analyte, LabValue } from '../features/types.js';
import { num, withUnit } from './format.js';
import type { ThresholdId, Thresholds } from './thresholds.js';

export type Grade = 0 | 1 | 2 | 3 | 4;

export type GradedAnalyte = Extract<
  Analyte,
  'ast' | 'alt' | 'bilirubinTotal' | 'creatinine' | 'platelets' | 'anc' | 'hemoglobin' | 'fibrinogen' | 'inr' | 'aptt'
>;

export const GRADED_ANALYTES: readonly GradedAnalyte[] = [
  'ast', 'alt', 'bilirubinTotal', 'creatinine', 'platelets', 'anc', 'hemoglobin', 'fibrinogen', 'inr', 'aptt',
];

const TERM: Readonly<Record<GradedAnalyte, string>> = {
  ast: 'AST increased',
  alt: 'ALT increased',
  bilirubinTotal: 'Blood bilirubin increased',
  creatinine: 'Creatinine increased',
  platelets: 'Platelet count decreased',
  anc: 'Neutrophil count decreased',
  hemoglobin: 'Anemia',
  fibrinogen: 'Fibrinogen decreased',
  inr: 'INR increased',
  aptt: 'aPTT prolonged',
};

export interface CtcaeGrade {
  grade: Grade;
  /** e.g. `CTCAE v5 AST increased grade 3 (6.2 x ULN)`. */
  readonly rule: string;
  thresholds: readonly ThresholdId[];
}

// Explicit comparisons (no per-call arrays): series of thousands of values are graded per evaluation.
/** Grade by "measure > cut-off", cut-offs from grade 4 down to grade 1 (Infinity = no such band). */
function above(m: number, g4: number, g3: number, g2: number, g1: number): Grade {
  return m > g4 ? 4 : m > g3 ? 3 : m > g2 ? 2 : m > g1 ? 1 : 0;
}
/** Grade by "measure < cut-off" (-Infinity = no such band). */
function below(m: number, g4: number, g3: number, g2: number, g1: number): Grade {
  return m < g4 ? 4 : m < g3 ? 3 : m < g2 ? 2 : m < g1 ? 1 : 0;
}
const NONE = Number.POSITIVE_INFINITY;

const IDS = {
  transaminaseBaseline: ['ctcae.transaminase.baseline.g1', 'ctcae.transaminase.baseline.g2', 'ctcae.transaminase.baseline.g3', 'ctcae.transaminase.baseline.g4'],
  transaminaseUln: ['ctcae.transaminase.uln.g2', 'ctcae.transaminase.uln.g3', 'ctcae.transaminase.uln.g4'],
  bilirubinBaseline: ['ctcae.bilirubin.baseline.g1', 'ctcae.bilirubin.baseline.g2', 'ctcae.bilirubin.baseline.g3', 'ctcae.bilirubin.baseline.g4'],
  bilirubinUln: ['ctcae.bilirubin.uln.g2', 'ctcae.bilirubin.uln.g3', 'ctcae.bilirubin.uln.g4'],
  creatinine: ['ctcae.creatinine.uln.g2', 'ctcae.creatinine.uln.g3', 'ctcae.creatinine.uln.g4', 'ctcae.creatinine.baseline.g2', 'ctcae.creatinine.baseline.g3'],
  platelets: ['ctcae.platelets.g2', 'ctcae.platelets.g3', 'ctcae.platelets.g4'],
  anc: ['ctcae.anc.g2', 'ctcae.anc.g3', 'ctcae.anc.g4'],
  hemoglobin: ['ctcae.hemoglobin.g2', 'ctcae.hemoglobin.g3'],
  fibrinogenAbsolute: ['ctcae.fibrinogen.absolute.g4'],
  fibrinogenDrop: ['ctcae.fibrinogen.absolute.g4', 'ctcae.fibrinogen.drop.g2', 'ctcae.fibrinogen.drop.g3', 'ctcae.fibrinogen.drop.g4'],
  fibrinogenLln: ['ctcae.fibrinogen.absolute.g4', 'ctcae.fibrinogen.lln.g2', 'ctcae.fibrinogen.lln.g3', 'ctcae.fibrinogen.lln.g4'],
  inr: ['ctcae.inr.g1', 'ctcae.inr.g2', 'ctcae.inr.g3'],
  aptt: ['ctcae.aptt.g2', 'ctcae.aptt.g3'],
} as const satisfies Record<string, readonly ThresholdId[]>;

/**
 * The rule text is built on first read: series of thousands of values are graded, few are shown. A
 * class, so the getter lives on the prototype (an object literal with a getter costs an accessor
 * pair and a closure per graded value).
 */
class GradeResult implements CtcaeGrade {
  private text: string | undefined;

  constructor(
    private readonly analyte: GradedAnalyte,
    readonly grade: Grade,
    private readonly measure: () => string,
    readonly thresholds: readonly ThresholdId[],
  ) {}

  get rule(): string {
    return (this.text ??= `CTCAE v5 ${TERM[this.analyte]} grade ${this.grade} (${this.measure()})`);
  }
}

function result(analyte: GradedAnalyte, grade: Grade, measure: () => string, thresholds: readonly ThresholdId[]): CtcaeGrade {
  return new GradeResult(analyte, grade, measure, thresholds);
}

function upperLimit(v: LabValue, baseline?: LabValue): number | undefined {
  return v.high ?? baseline?.high;
}

/** A baseline that differs from the value itself and is above its own ULN. */
function abnormalHighBaseline(v: LabValue, baseline: LabValue | undefined): LabValue | undefined {
  if (!baseline || baseline.source === v.source || !(baseline.value > 0)) return undefined;
  const uln = baseline.high ?? v.high;
  return uln !== undefined && baseline.value > uln ? baseline : undefined;
}

function transaminase(analyte: 'ast' | 'alt', v: LabValue, baseline: LabValue | undefined, t: Thresholds): CtcaeGrade | undefined {
  const abnormal = abnormalHighBaseline(v, baseline);
  if (abnormal) {
    const ratio = v.value / abnormal.value;
    // Grade 1 starts at (>=) 1.5 x baseline; higher bands are "> n x baseline".
    const grade = ratio >= t['ctcae.transaminase.baseline.g1']
      ? above(ratio, t['ctcae.transaminase.baseline.g4'], t['ctcae.transaminase.baseline.g3'], t['ctcae.transaminase.baseline.g2'], -NONE) : 0;
    return result(analyte, grade, () => `${num(ratio)} x abnormal baseline`, IDS.transaminaseBaseline);
  }
  const uln = upperLimit(v, baseline);
  if (uln === undefined || !(uln > 0)) return undefined;
  const ratio = v.value / uln;
  const grade = above(ratio, t['ctcae.transaminase.uln.g4'], t['ctcae.transaminase.uln.g3'], t['ctcae.transaminase.uln.g2'], 1);
  return result(analyte, grade, () => `${num(ratio)} x ULN`, IDS.transaminaseUln);
}

function bilirubin(v: LabValue, baseline: LabValue | undefined, t: Thresholds): CtcaeGrade | undefined {
  const abnormal = abnormalHighBaseline(v, baseline);
  if (abnormal) {
    const ratio = v.value / abnormal.value;
    const grade = above(ratio, t['ctcae.bilirubin.baseline.g4'], t['ctcae.bilirubin.baseline.g3'], t['ctcae.bilirubin.baseline.g2'], t['ctcae.bilirubin.baseline.g1']);
    return result('bilirubinTotal', grade, () => `${num(ratio)} x abnormal baseline`, IDS.bilirubinBaseline);
  }
  const uln = upperLimit(v, baseline);
  if (uln === undefined || !(uln > 0)) return undefined;
  const ratio = v.value / uln;
  const grade = above(ratio, t['ctcae.bilirubin.uln.g4'], t['ctcae.bilirubin.uln.g3'], t['ctcae.bilirubin.uln.g2'], 1);
  return result('bilirubinTotal', grade, () => `${num(ratio)} x ULN`, IDS.bilirubinUln);
}

/** Creatinine: the higher of the "x ULN" and the "x baseline" grade (CTCAE lists both for grades 2-3). */
function creatinine(v: LabValue, baseline: LabValue | undefined, t: Thresholds): CtcaeGrade | undefined {
  const uln = upperLimit(v, baseline);
  const usableBaseline = baseline && baseline.source !== v.source && baseline.value > 0 ? baseline : undefined;
  if ((uln === undefined || !(uln > 0)) && !usableBaseline) return undefined;
  const ulnRatio = uln !== undefined && uln > 0 ? v.value / uln : undefined;
  const baselineRatio = usableBaseline ? v.value / usableBaseline.value : undefined;
  const byUln = ulnRatio === undefined ? 0 : above(ulnRatio, t['ctcae.creatinine.uln.g4'], t['ctcae.creatinine.uln.g3'], t['ctcae.creatinine.uln.g2'], 1);
  const byBaseline = baselineRatio === undefined ? 0 : above(baselineRatio, NONE, t['ctcae.creatinine.baseline.g3'], t['ctcae.creatinine.baseline.g2'], NONE);
  const measure = (): string =>
    [ulnRatio === undefined ? '' : `${num(ulnRatio)} x ULN`, baselineRatio === undefined ? '' : `${num(baselineRatio)} x baseline`].filter(Boolean).join(', ');
  return result('creatinine', Math.max(byUln, byBaseline) as Grade, measure, IDS.creatinine);
}

/** Counts and hemoglobin: absolute bands, grade 1 below the result's own LLN. */
function absoluteLow(analyte: 'platelets' | 'anc' | 'hemoglobin', v: LabValue, g4: number, g3: number, g2: number, ids: readonly ThresholdId[]): CtcaeGrade {
  const grade = below(v.value, g4, g3, g2, v.low ?? -NONE);
  return result(analyte, grade, () => `${withUnit(v.value, v.unit)}${v.low === undefined ? ', no LLN' : ''}`, ids);
}

function fibrinogen(v: LabValue, baseline: LabValue | undefined, t: Thresholds): CtcaeGrade | undefined {
  if (v.value < t['ctcae.fibrinogen.absolute.g4']) return result('fibrinogen', 4, () => `${withUnit(v.value, v.unit)}, absolute`, IDS.fibrinogenAbsolute);
  const lln = v.low ?? baseline?.low;
  const abnormal = baseline && baseline.source !== v.source && baseline.value > 0 && lln !== undefined && baseline.value < lln ? baseline : undefined;
  if (abnormal) {
    const drop = (abnormal.value - v.value) / abnormal.value;
    // "25-<50% decrease" etc.: each band starts at (>=) its fraction; any smaller fall is grade 1.
    const grade: Grade = drop <= 0 ? 0
      : drop >= t['ctcae.fibrinogen.drop.g4'] ? 4 : drop >= t['ctcae.fibrinogen.drop.g3'] ? 3 : drop >= t['ctcae.fibrinogen.drop.g2'] ? 2 : 1;
    return result('fibrinogen', grade, () => `${num(Math.max(drop, 0) * 100)}% fall from abnormal baseline`, IDS.fibrinogenDrop);
  }
  if (lln === undefined || !(lln > 0)) return undefined;
  const ratio = v.value / lln;
  const grade = below(ratio, t['ctcae.fibrinogen.lln.g4'], t['ctcae.fibrinogen.lln.g3'], t['ctcae.fibrinogen.lln.g2'], 1);
  return result('fibrinogen', grade, () => `${num(ratio)} x LLN`, IDS.fibrinogenLln);
}

function inr(v: LabValue, t: Thresholds): CtcaeGrade {
  const grade = above(v.value, NONE, t['ctcae.inr.g3'], t['ctcae.inr.g2'], t['ctcae.inr.g1']);
  return result('inr', grade, () => `INR ${num(v.value)}, assuming no anticoagulation`, IDS.inr);
}

function aptt(v: LabValue, baseline: LabValue | undefined, t: Thresholds): CtcaeGrade | undefined {
  const uln = upperLimit(v, baseline);
  if (uln === undefined || !(uln > 0)) return undefined;
  const ratio = v.value / uln;
  const grade = above(ratio, NONE, t['ctcae.aptt.g3'], t['ctcae.aptt.g2'], 1);
  return result('aptt', grade, () => `${num(ratio)} x ULN`, IDS.aptt);
}

/** CTCAE v5 grade of one value; undefined when it cannot be graded (e.g. no ULN for AST). */
export function ctcaeGrade(analyte: GradedAnalyte, v: LabValue, baseline: LabValue | undefined, t: Thresholds): CtcaeGrade | undefined {
  switch (analyte) {
    case 'ast':
    case 'alt':
      return transaminase(analyte, v, baseline, t);
    case 'bilirubinTotal':
      return bilirubin(v, baseline, t);
    case 'creatinine':
      return creatinine(v, baseline, t);
    case 'platelets':
      return absoluteLow('platelets', v, t['ctcae.platelets.g4'], t['ctcae.platelets.g3'], t['ctcae.platelets.g2'], IDS.platelets);
    case 'anc':
      return absoluteLow('anc', v, t['ctcae.anc.g4'], t['ctcae.anc.g3'], t['ctcae.anc.g2'], IDS.anc);
    case 'hemoglobin':
      return absoluteLow('hemoglobin', v, -NONE, t['ctcae.hemoglobin.g3'], t['ctcae.hemoglobin.g2'], IDS.hemoglobin);
    case 'fibrinogen':
      return fibrinogen(v, baseline, t);
    case 'inr':
      return inr(v, t);
    case 'aptt':
      return aptt(v, baseline, t);
  }
}
