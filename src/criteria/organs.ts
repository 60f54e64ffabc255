/**
 * Organ and HLH items shared by the absolute-ferritin definitions (CARTOX carHLH, PRWCC HLH-LT):
 * CTCAE grade >= n liver / kidney toxicity since infusion, pulmonary toxicity (clinical, never in lab
 * data), hemophagocytosis (a documented finding), hypofibrinogenemia.
 */
import type { Analyte, LabValue } from '../features/types.js';
import { anyValue } from './censored.js';
import type { CriteriaContext } from './context.js';
import { ctcaeGrade, type CtcaeGrade, type GradedAnalyte } from './ctcae.js';
import { ANALYTE_NAME, withUnit } from './format.js';
import { anyOf, criterion, missingLab } from './result.js';
import type { ThresholdId } from './thresholds.js';
import type { CriterionResult, CriterionStatus, Evidence } from './types.js';

interface Worst {
  value: LabValue;
  grade: CtcaeGrade;
}

// CARTOX and HLH-LT both ask for the same worst grades: grade each series once per evaluation.
const worstCache = new WeakMap<CriteriaContext, Map<GradedAnalyte, Worst | undefined>>();

/** The highest-graded value of an analyte since infusion (undefined: nothing gradable). */
export function worstGradeSinceInfusion(ctx: CriteriaContext, analyte: GradedAnalyte): Worst | undefined {
  let cache = worstCache.get(ctx);
  if (!cache) worstCache.set(ctx, (cache = new Map<GradedAnalyte, Worst | undefined>()));
  if (cache.has(analyte)) return cache.get(analyte);
  const view = ctx.series(analyte);
  let worst: Worst | undefined;
  for (const value of view.sinceInfusion) {
    const grade = ctcaeGrade(analyte, value, view.baseline, ctx.t);
    if (grade && (!worst || grade.grade > worst.grade.grade)) worst = { value, grade };
  }
  cache.set(analyte, worst);
  return worst;
}

/** "Grade >= n" over several analytes: met if any reaches it, not-met only when all were gradable. */
function gradeAtLeast(
  ctx: CriteriaContext,
  id: string,
  label: string,
  analytes: readonly GradedAnalyte[],
  gradeId: ThresholdId,
  extraMissing: string[] = [],
): CriterionResult {
  const minGrade = ctx.t[gradeId];
  const statuses: CriterionStatus[] = [];
  const evidence: Evidence[] = [];
  const missing: string[] = [...extraMissing];
  const missingAnalytes: Analyte[] = [];
  const thresholds = new Set<ThresholdId>([gradeId]);
  for (const analyte of analytes) {
    const worst = worstGradeSinceInfusion(ctx, analyte);
    if (!worst) {
      statuses.push('insufficient-data');
      missing.push(missingLab(analyte, ctx.series(analyte), 'none gradable since infusion'));
      missingAnalytes.push(analyte);
      continue;
    }
    worst.grade.thresholds.forEach((t) => thresholds.add(t));
    const met = worst.grade.grade >= minGrade;
    statuses.push(met ? 'met' : 'not-met');
    evidence.push({
      label: met ? worst.grade.rule : `Worst ${ANALYTE_NAME[analyte]} since infusion: grade ${worst.grade.grade}`,
      analyte,
      value: worst.value,
      baseline: ctx.series(analyte).baseline,
    });
  }
  return criterion({ id, label, status: anyOf(statuses), evidence, missing, missingAnalytes, thresholds: [...thresholds] });
}

export function liverToxicity(ctx: CriteriaContext, idPrefix: string, gradeId: ThresholdId): CriterionResult {
  return gradeAtLeast(ctx, `${idPrefix}-liver`, `Liver: grade >= ${ctx.t[gradeId]} bilirubin, AST or ALT`, ['bilirubinTotal', 'ast', 'alt'], gradeId);
}

export function kidneyToxicity(ctx: CriteriaContext, idPrefix: string, gradeId: ThresholdId): CriterionResult {
  const result = gradeAtLeast(ctx, `${idPrefix}-kidney`, `Kidney: grade >= ${ctx.t[gradeId]} creatinine`, ['creatinine'], gradeId);
  if (result.status !== 'met') result.evidence.push({ label: 'Oliguria is a clinical grade, not assessed from lab data' });
  return result;
}

export function lungToxicity(ctx: CriteriaContext, idPrefix: string, gradeId: ThresholdId): CriterionResult {
  return criterion({
    id: `${idPrefix}-lung`,
    label: `Lung: grade >= ${ctx.t[gradeId]} pulmonary toxicity`,
    status: 'insufficient-data',
    missing: ['pulmonary oedema grade (clinical assessment, not in lab data)'],
    thresholds: [gradeId],
  });
}

export function hemophagocytosisFinding(ctx: CriteriaContext, id: string, label = 'Hemophagocytosis (marrow or tissue)'): CriterionResult {
  const finding = ctx.finding('hemophagocytosis');
  return finding
    ? criterion({
        id,
        label,
        status: 'met',
        evidence: [{ label: 'Documented hemophagocytosis', note: `${finding.display ?? 'hemophagocytosis'}${finding.day !== undefined ? ` (day ${finding.day})` : ''}` }],
        thresholds: [],
      })
    : criterion({ id, label, status: 'insufficient-data', missing: ['hemophagocytosis (bone marrow or tissue pathology)'], thresholds: [] });
}

/** Any fibrinogen since infusion below a cut-off (strict "<"; "<150" meets "< 150"). */
export function fibrinogenBelowSinceInfusion(ctx: CriteriaContext, id: string, cutId: ThresholdId): CriterionResult {
  const view = ctx.series('fibrinogen');
  const cut = ctx.t[cutId];
  const label = `Hypofibrinogenemia: fibrinogen < ${withUnit(cut, 'mg/dL')}`;
  if (view.sinceInfusion.length === 0) {
    return criterion({ id, label, status: 'insufficient-data', missing: [missingLab('fibrinogen', view, 'none since infusion')], missingAnalytes: ['fibrinogen'], thresholds: [cutId] });
  }
  const { verdict, value: lowest } = anyValue(view.sinceInfusion, '<', cut);
  if (verdict === undefined) {
    return criterion({
      id, label, status: 'insufficient-data',
      evidence: [{ label: `Censored fibrinogen: cannot tell if < ${withUnit(cut, 'mg/dL')}`, analyte: 'fibrinogen', value: lowest }],
      missing: ['fibrinogen (censored result undecidable)'],
      thresholds: [cutId],
    });
  }
  return criterion({
    id,
    label,
    status: verdict ? 'met' : 'not-met',
    evidence: [{ label: verdict ? `Fibrinogen < ${withUnit(cut, 'mg/dL')}` : 'Lowest fibrinogen since infusion', analyte: 'fibrinogen', value: lowest }],
    thresholds: [cutId],
  });
}
