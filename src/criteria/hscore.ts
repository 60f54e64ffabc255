/**
 * HScore (Fardet 2014; docs/clinical-basis.md#hscore): nine weighted variables, published points and probability table.
 * Each variable uses the worst value inside the lookback window. A variable without data is missing,
 * not zero: the score reports the points known (`value`) and the range the missing variables still
 * allow (`possibleRange`). Status: met when even the lowest possible total reaches the 169 cut-off,
 * not-met when even the highest cannot, otherwise insufficient data.
 * Probability: linear interpolation between the published 10-point table rows (a presentation choice,
 * docs/clinical-basis.md#hscore-in-car-t), capped at the table's <1% and >99% ends.
 */
import type { Analyte } from '../features/types.js';
import type { CriteriaContext } from './context.js';
import { maxOf, minOf } from './context.js';
import { compareValue, valueBounds } from './censored.js';
import { ANALYTE_NAME, num, withUnit } from './format.js';
import { criterion, missingLab, rollUpMissing } from './result.js';
import { SOURCES } from './sources.js';
import { HSCORE_PROBABILITY_TABLE, type ThresholdId } from './thresholds.js';
import type { Assessment, CriterionResult, CriterionStatus, Evidence } from './types.js';

interface Variable {
  result: CriterionResult;
  min: number;
  max: number;
}

function known(id: string, label: string, points: number, evidence: Evidence[], thresholds: ThresholdId[]): Variable {
  return { result: criterion({ id, label, status: points > 0 ? 'met' : 'not-met', evidence, thresholds, points }), min: points, max: points };
}

function unknown(id: string, label: string, maxPoints: number, missing: string, thresholds: ThresholdId[], analytes: Analyte[] = []): Variable {
  return { result: criterion({ id, label, status: 'insufficient-data', missing: [missing], missingAnalytes: analytes, thresholds }), min: 0, max: maxPoints };
}

/** Banded lab variable: worst recent value -> points. */
function banded(
  ctx: CriteriaContext,
  id: string,
  label: string,
  analyte: Analyte,
  worst: 'max' | 'min',
  score: (value: number) => number,
  maxPoints: number,
  thresholds: ThresholdId[],
): Variable {
  const view = ctx.series(analyte);
  const value = worst === 'max' ? maxOf(view.recent) : minOf(view.recent);
  if (!value) return unknown(id, label, maxPoints, missingLab(analyte, view, `none in last ${ctx.t['lookback.days']} d`), thresholds, [analyte]);
  const evidence: Evidence[] = [{ label: worst === 'max' ? 'Highest recent value' : 'Lowest recent value', analyte, value }];
  // A censored value ("> 6,000") scores every band its true value may fall in: the points become a range.
  const { lo, hi } = valueBounds(value);
  const atLo = score(Math.max(lo, 0));
  const atHi = score(Math.min(hi, Number.MAX_VALUE));
  if (atLo === atHi) return known(id, label, atLo, evidence, thresholds);
  const min = Math.min(atLo, atHi);
  const max = Math.max(atLo, atHi);
  const result = criterion({ id, label, status: 'insufficient-data', evidence, missing: [`${ANALYTE_NAME[analyte]} (censored result: ${min}-${max} points)`], thresholds, points: min });
  return { result, min, max };
}

/** Cytopenic lineages: Hb <= 9.2 g/dL, WBC <= 5,000/uL, platelets <= 110,000/uL. */
function cytopenias(ctx: CriteriaContext): Variable {
  const { t } = ctx;
  const lineages: [Analyte, ThresholdId][] = [['hemoglobin', 'hscore.hemoglobin'], ['wbc', 'hscore.wbc'], ['platelets', 'hscore.platelets']];
  const pointsFor = (n: number): number => (n >= 3 ? t['hscore.cytopenias.threePoints'] : n === 2 ? t['hscore.cytopenias.twoPoints'] : 0);
  let low = 0;
  let unknownCount = 0;
  const evidence: Evidence[] = [];
  const missing: string[] = [];
  const missingAnalytes: Analyte[] = [];
  for (const [analyte, cutId] of lineages) {
    const view = ctx.series(analyte);
    const value = minOf(view.recent);
    if (!value) {
      unknownCount++;
      missing.push(missingLab(analyte, view, `none in last ${t['lookback.days']} d`));
      missingAnalytes.push(analyte);
      continue;
    }
    const verdict = compareValue(value, '<=', t[cutId]);
    if (verdict === undefined) {
      unknownCount++;
      missing.push(`${ANALYTE_NAME[analyte]} (censored result undecidable)`);
      evidence.push({ label: `Censored: cannot tell if <= ${withUnit(t[cutId], value.unit)}`, analyte, value });
      continue;
    }
    const isLow = verdict;
    if (isLow) low++;
    evidence.push({ label: isLow ? `Cytopenic (<= ${withUnit(t[cutId], value.unit)})` : `Not cytopenic (> ${withUnit(t[cutId], value.unit)})`, analyte, value });
  }
  const thresholds: ThresholdId[] = ['hscore.hemoglobin', 'hscore.wbc', 'hscore.platelets', 'hscore.cytopenias.twoPoints', 'hscore.cytopenias.threePoints'];
  const min = pointsFor(low);
  const max = pointsFor(low + unknownCount);
  const status: CriterionStatus = unknownCount > 0 && max > min ? 'insufficient-data' : min > 0 ? 'met' : 'not-met';
  const result = criterion({ id: 'hscore-cytopenias', label: 'Number of cytopenic lineages', status, evidence, missing, missingAnalytes, thresholds, points: min });
  return { result, min, max };
}

function organomegaly(ctx: CriteriaContext): Variable {
  const { t } = ctx;
  const thresholds: ThresholdId[] = ['hscore.organomegaly.onePoints', 'hscore.organomegaly.bothPoints'];
  const label = 'Organomegaly (hepatomegaly, splenomegaly)';
  const spleen = ctx.finding('splenomegaly');
  if (!spleen) return unknown('hscore-organomegaly', label, t['hscore.organomegaly.bothPoints'], 'organomegaly (exam or imaging)', thresholds);
  // Splenomegaly documented; hepatomegaly is not a tracked finding, so "both" stays possible.
  const result = criterion({
    id: 'hscore-organomegaly',
    label,
    status: 'met',
    evidence: [{ label: 'Splenomegaly documented', note: spleen.display ?? 'splenomegaly' }],
    missing: ['hepatomegaly (exam or imaging)'],
    thresholds,
    points: t['hscore.organomegaly.onePoints'],
  });
  return { result, min: t['hscore.organomegaly.onePoints'], max: t['hscore.organomegaly.bothPoints'] };
}

export function hscoreProbability(score: number): number {
  // Below the first row: its percentage; between two rows: linear; above the last: the last's.
  let lo: (typeof HSCORE_PROBABILITY_TABLE)[number] | undefined;
  for (const hi of HSCORE_PROBABILITY_TABLE) {
    if (score <= hi.score) {
      return (lo === undefined ? hi.percent : lo.percent + ((hi.percent - lo.percent) * (score - lo.score)) / (hi.score - lo.score)) / 100;
    }
    lo = hi;
  }
  if (lo === undefined) throw new Error('HSCORE_PROBABILITY_TABLE is empty');
  return lo.percent / 100;
}

/** `<1%`, `54%`, `>99%` as the published table writes its ends. */
export function probabilityText(score: number): string {
  const first = HSCORE_PROBABILITY_TABLE.at(0);
  const last = HSCORE_PROBABILITY_TABLE.at(-1);
  if (first && score <= first.score) return '<1%';
  if (last && score >= last.score) return '>99%';
  return `${num(Math.round(hscoreProbability(score) * 100))}%`;
}

/** Highest possible HScore (337 with the published points). */
function scaleMax(t: CriteriaContext['t']): number {
  return (
    t['hscore.immunosuppression.points'] + t['hscore.temperature.highPoints'] + t['hscore.organomegaly.bothPoints'] +
    t['hscore.cytopenias.threePoints'] + t['hscore.ferritin.highPoints'] + t['hscore.triglycerides.highPoints'] +
    t['hscore.fibrinogen.points'] + t['hscore.ast.points'] + t['hscore.hemophagocytosis.points']
  );
}

export function assessHscore(ctx: CriteriaContext): Assessment {
  const { t } = ctx;
  const variables: Variable[] = [
    ctx.finding('immunosuppression')
      ? known('hscore-immunosuppression', 'Known underlying immunosuppression', t['hscore.immunosuppression.points'], [{ label: 'Known immunosuppression', note: ctx.finding('immunosuppression')?.display ?? 'documented' }], ['hscore.immunosuppression.points'])
      : unknown('hscore-immunosuppression', 'Known underlying immunosuppression', t['hscore.immunosuppression.points'], 'known immunosuppression (HIV or long-term immunosuppressive therapy): not in lab data', ['hscore.immunosuppression.points']),
    banded(ctx, 'hscore-temperature', 'Temperature', 'temperature', 'max',
      (c) => (c > t['hscore.temperature.high'] ? t['hscore.temperature.highPoints'] : c >= t['hscore.temperature.mid'] ? t['hscore.temperature.midPoints'] : 0),
      t['hscore.temperature.highPoints'], ['hscore.temperature.mid', 'hscore.temperature.high', 'hscore.temperature.midPoints', 'hscore.temperature.highPoints']),
    organomegaly(ctx),
    cytopenias(ctx),
    banded(ctx, 'hscore-ferritin', 'Ferritin', 'ferritin', 'max',
      (f) => (f > t['hscore.ferritin.high'] ? t['hscore.ferritin.highPoints'] : f >= t['hscore.ferritin.mid'] ? t['hscore.ferritin.midPoints'] : 0),
      t['hscore.ferritin.highPoints'], ['hscore.ferritin.mid', 'hscore.ferritin.high', 'hscore.ferritin.midPoints', 'hscore.ferritin.highPoints']),
    banded(ctx, 'hscore-triglycerides', 'Triglycerides', 'triglycerides', 'max',
      (g) => (g > t['hscore.triglycerides.high'] ? t['hscore.triglycerides.highPoints'] : g >= t['hscore.triglycerides.mid'] ? t['hscore.triglycerides.midPoints'] : 0),
      t['hscore.triglycerides.highPoints'], ['hscore.triglycerides.mid', 'hscore.triglycerides.high', 'hscore.triglycerides.midPoints', 'hscore.triglycerides.highPoints']),
    banded(ctx, 'hscore-fibrinogen', 'Fibrinogen', 'fibrinogen', 'min',
      (f) => (f <= t['hscore.fibrinogen'] ? t['hscore.fibrinogen.points'] : 0),
      t['hscore.fibrinogen.points'], ['hscore.fibrinogen', 'hscore.fibrinogen.points']),
    banded(ctx, 'hscore-ast', 'AST', 'ast', 'max',
      (a) => (a >= t['hscore.ast'] ? t['hscore.ast.points'] : 0),
      t['hscore.ast.points'], ['hscore.ast', 'hscore.ast.points']),
    ctx.finding('hemophagocytosis')
      ? known('hscore-hemophagocytosis', 'Hemophagocytosis on bone-marrow aspirate', t['hscore.hemophagocytosis.points'], [{ label: 'Documented hemophagocytosis' }], ['hscore.hemophagocytosis.points'])
      : unknown('hscore-hemophagocytosis', 'Hemophagocytosis on bone-marrow aspirate', t['hscore.hemophagocytosis.points'], 'bone-marrow aspirate (hemophagocytosis)', ['hscore.hemophagocytosis.points']),
  ];
  const min = variables.reduce((s, v) => s + v.min, 0);
  const max = variables.reduce((s, v) => s + v.max, 0);
  const cutoff = t['hscore.cutoff'];
  const status: CriterionStatus = min >= cutoff ? 'met' : max < cutoff ? 'not-met' : 'insufficient-data';
  const unknownCount = variables.filter((v) => v.max > v.min).length;
  const range = min === max ? `${min}` : `${min}-${max}`;
  const atLeastText = (text: string): string => (min === max || text.startsWith('>') ? text : `>= ${text}`);
  const atMostText = (text: string): string => (min === max || text.startsWith('<') ? text : `<= ${text}`);
  const summary =
    status === 'met'
      ? `Met: HScore ${min === max ? min : `>= ${min}`} (cut-off ${cutoff}), probability ${atLeastText(probabilityText(min))}`
      : status === 'not-met'
        ? `Not met: HScore ${range} (< ${cutoff}), probability ${atMostText(probabilityText(max))}`
        : `Insufficient data: HScore ${range} with ${unknownCount} variables unknown (cut-off ${cutoff})`;
  const criteria = variables.map((v) => v.result);
  return {
    id: 'hscore',
    name: 'HScore',
    source: SOURCES.hscore,
    status,
    summary,
    criteria,
    score: { value: min, max: scaleMax(t), probability: hscoreProbability(min), label: 'HScore (points known)', possibleRange: { min, max } },
    ...rollUpMissing(criteria),
  };
}
