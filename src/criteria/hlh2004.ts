/**
 * HLH-2004 (Henter 2007; docs/clinical-basis.md#hlh2004): diagnosis with >= 5 of 8 criteria (the molecular arm is not
 * assessed). Lab items use the worst value inside the lookback window; boundaries are >= / <= as in the
 * original. Items without data are counted as missing, never as absent: met when the count reaches 5,
 * not-met only when the count plus the missing items cannot.
 */
import type { Analyte, DiagnosisKind } from '../features/types.js';
import type { CriteriaContext } from './context.js';
import { anyValue, type Comparison } from './censored.js';
import { ANALYTE_NAME, withUnit } from './format.js';
import { anyOf, atLeast, criterion, missingLab, notComparable, rollUpMissing } from './result.js';
import { SOURCES } from './sources.js';
import { thresholdRow, type ThresholdId } from './thresholds.js';
import type { Assessment, CriterionResult, CriterionStatus, Evidence } from './types.js';

type Direction = 'atLeast' | 'atMost' | 'below';

const OP: Record<Direction, Comparison> = { atLeast: '>=', atMost: '<=', below: '<' };

interface LabItem {
  status: CriterionStatus;
  evidence?: Evidence;
  missing?: string;
  /** Set when the lab is absent (a workup suggestion); unset when it was measured but not comparable. */
  analyte?: Analyte;
}

/**
 * One lab threshold on the recent values (the worst one shown). Censored results count only when every
 * value they stand for meets or fails the cut-off; sCD25 from a pg/mL assay is shown, never compared.
 */
function labItem(ctx: CriteriaContext, analyte: Analyte, direction: Direction, cutId: ThresholdId): LabItem {
  const view = ctx.series(analyte);
  const cut = ctx.t[cutId];
  const unit = thresholdRow(cutId).unit;
  const rule = `${OP[direction]} ${withUnit(cut, unit)}`;
  if (view.recent.length === 0) {
    const other = notComparable(ctx.altSeries(analyte).recent, unit);
    if (other) return { status: 'insufficient-data', evidence: other.evidence, missing: other.missing };
    return { status: 'insufficient-data', missing: missingLab(analyte, view, `none in last ${ctx.t['lookback.days']} d`), analyte };
  }
  const { verdict, value } = anyValue(view.recent, OP[direction], cut);
  if (verdict === undefined) {
    return { status: 'insufficient-data', evidence: { label: `censored result, cannot tell if ${rule}`, analyte, value }, missing: `${ANALYTE_NAME[analyte]} (censored result, ${rule} undecidable)` };
  }
  return { status: verdict ? 'met' : 'not-met', evidence: { label: verdict ? rule : `not ${rule}`, analyte, value }, analyte };
}

function fromLabItems(id: string, label: string, items: LabItem[], status: CriterionStatus, thresholds: ThresholdId[]): CriterionResult {
  const missingItems = items.filter((i) => i.missing);
  return criterion({
    id,
    label,
    status,
    evidence: items.flatMap((i) => (i.evidence ? [i.evidence] : [])),
    missing: missingItems.flatMap((i) => (i.missing ? [i.missing] : [])),
    missingAnalytes: missingItems.flatMap((i) => (i.analyte ? [i.analyte] : [])),
    thresholds,
  });
}

function single(ctx: CriteriaContext, id: string, label: string, analyte: Analyte, direction: Direction, cutId: ThresholdId): CriterionResult {
  const item = labItem(ctx, analyte, direction, cutId);
  return fromLabItems(id, label, [item], item.status, [cutId]);
}

function finding(ctx: CriteriaContext, id: string, label: string, kind: DiagnosisKind, missing: string): CriterionResult {
  const found = ctx.finding(kind);
  return found
    ? criterion({ id, label, status: 'met', evidence: [{ label: `Documented ${kind}`, note: found.display ?? kind }], thresholds: [] })
    : criterion({ id, label, status: 'insufficient-data', missing: [missing], thresholds: [] });
}

function cytopenias(ctx: CriteriaContext): CriterionResult {
  const items = [
    labItem(ctx, 'hemoglobin', 'below', 'hlh2004.hemoglobin'),
    labItem(ctx, 'platelets', 'below', 'hlh2004.platelets'),
    labItem(ctx, 'anc', 'below', 'hlh2004.anc'),
  ];
  const required = ctx.t['hlh2004.minCytopenias'];
  return fromLabItems('hlh2004-cytopenias', `Cytopenias, >= ${required} of 3 lineages`, items, atLeast(items, required).status, [
    'hlh2004.hemoglobin', 'hlh2004.platelets', 'hlh2004.anc', 'hlh2004.minCytopenias',
  ]);
}

function triglyceridesOrFibrinogen(ctx: CriteriaContext): CriterionResult {
  const items = [labItem(ctx, 'triglycerides', 'atLeast', 'hlh2004.triglycerides'), labItem(ctx, 'fibrinogen', 'atMost', 'hlh2004.fibrinogen')];
  return fromLabItems('hlh2004-tg-fibrinogen', 'Hypertriglyceridemia and/or hypofibrinogenemia', items, anyOf(items.map((i) => i.status)), [
    'hlh2004.triglycerides', 'hlh2004.fibrinogen',
  ]);
}

export function assessHlh2004(ctx: CriteriaContext): Assessment {
  const criteria = [
    single(ctx, 'hlh2004-fever', `Fever >= ${withUnit(ctx.t['hlh2004.fever'], 'Cel')}`, 'temperature', 'atLeast', 'hlh2004.fever'),
    finding(ctx, 'hlh2004-splenomegaly', 'Splenomegaly', 'splenomegaly', 'splenomegaly (exam or imaging)'),
    cytopenias(ctx),
    triglyceridesOrFibrinogen(ctx),
    finding(ctx, 'hlh2004-hemophagocytosis', 'Hemophagocytosis (marrow, spleen or lymph nodes)', 'hemophagocytosis', 'hemophagocytosis (bone marrow or tissue pathology)'),
    criterion({ id: 'hlh2004-nk', label: 'Low or absent NK-cell activity', status: 'insufficient-data', missing: ['NK-cell activity (not in tracked labs)'], thresholds: [] }),
    single(ctx, 'hlh2004-ferritin', `Ferritin >= ${withUnit(ctx.t['hlh2004.ferritin'], 'ng/mL')}`, 'ferritin', 'atLeast', 'hlh2004.ferritin'),
    single(ctx, 'hlh2004-scd25', `Soluble CD25 >= ${withUnit(ctx.t['hlh2004.sCD25'], 'U/mL')}`, 'sil2r', 'atLeast', 'hlh2004.sCD25'),
  ];
  const required = ctx.t['hlh2004.minCriteria'];
  const count = atLeast(criteria, required);
  const n = criteria.length;
  const summary =
    count.status === 'met'
      ? `Met: ${count.met} of ${n} criteria (>= ${required})`
      : count.status === 'not-met'
        ? `Not met: ${count.met} of ${n} criteria, ${count.unknown} unknown (cannot reach ${required})`
        : `Insufficient data: ${count.met} of ${n} criteria met, ${count.unknown} unknown (${required} needed)`;
  return {
    id: 'hlh-2004',
    name: 'HLH-2004 diagnostic criteria',
    source: SOURCES['hlh-2004'],
    status: count.status,
    summary,
    criteria,
    score: { value: count.met, max: n, label: `Criteria met (${required} needed; ${count.unknown} unknown)` },
    ...rollUpMissing(criteria),
  };
}
