/**
 * Optimized HLH Inflammatory index (Zoref-Lorenz 2022; docs/clinical-basis.md#ohi): sCD25 > 3,900 U/mL AND
 * ferritin > 1,000 ng/mL, both required, on the highest values inside the lookback window. sCD25 from a
 * pg/mL assay cannot be compared (docs/clinical-basis.md#scd25-units): it is shown with that reason and the item
 * stays insufficient data.
 */
import type { Analyte } from '../features/types.js';
import type { CriteriaContext } from './context.js';
import { anyValue } from './censored.js';
import { ANALYTE_NAME, lab, withUnit } from './format.js';
import { criterion, missingLab, notComparable, rollUpMissing } from './result.js';
import { SOURCES } from './sources.js';
import type { ThresholdId } from './thresholds.js';
import type { Assessment, CriterionResult, CriterionStatus } from './types.js';

function above(ctx: CriteriaContext, id: string, analyte: Analyte, cutId: ThresholdId, unit: string, name: string): CriterionResult {
  const view = ctx.series(analyte);
  const label = `${name} > ${withUnit(ctx.t[cutId], unit)}`;
  if (view.recent.length === 0) {
    // sCD25 from a pg/mL assay: shown with the reason, never compared (docs/clinical-basis.md#scd25-units).
    const other = notComparable(ctx.altSeries(analyte).recent, unit);
    if (other) return criterion({ id, label, status: 'insufficient-data', evidence: [other.evidence], missing: [other.missing], thresholds: [cutId] });
    return criterion({ id, label, status: 'insufficient-data', missing: [missingLab(analyte, view, `none in last ${ctx.t['lookback.days']} d`)], missingAnalytes: [analyte], thresholds: [cutId] });
  }
  const { verdict, value } = anyValue(view.recent, '>', ctx.t[cutId]);
  if (verdict === undefined) {
    return criterion({
      id, label, status: 'insufficient-data',
      evidence: [{ label: `${name}: censored result, cannot tell if > ${withUnit(ctx.t[cutId], unit)}`, analyte, value }],
      missing: [`${ANALYTE_NAME[analyte]} (censored result undecidable)`],
      thresholds: [cutId],
    });
  }
  return criterion({ id, label, status: verdict ? 'met' : 'not-met', evidence: [{ label: verdict ? label : `${name}, highest recent`, analyte, value }], thresholds: [cutId] });
}

export function assessOhi(ctx: CriteriaContext): Assessment {
  const scd25 = above(ctx, 'ohi-scd25', 'sil2r', 'ohi.sCD25', 'U/mL', 'sCD25');
  const ferritin = above(ctx, 'ohi-ferritin', 'ferritin', 'ohi.ferritin', 'ng/mL', 'Ferritin');
  const criteria = [scd25, ferritin];
  const statuses = criteria.map((c) => c.status);
  const status: CriterionStatus = statuses.every((s) => s === 'met') ? 'met' : statuses.includes('not-met') ? 'not-met' : 'insufficient-data';
  const shown = (c: CriterionResult): string => (c.evidence[0]?.value ? lab(c.evidence[0].value) : c.label);
  const summary =
    status === 'met'
      ? `Met: ${shown(scd25)} and ${shown(ferritin)}`
      : status === 'not-met'
        ? `Not met: ${criteria.filter((c) => c.status === 'not-met').map((c) => `${shown(c)} is not ${c.label.replace(/^\S+ /, '')}`).join('; ')}`
        : `Insufficient data: ${criteria.filter((c) => c.status === 'insufficient-data').map((c) => c.missing[0]).join('; ')}`;
  return { id: 'ohi', name: 'Optimized HLH Inflammatory index (OHI)', source: SOURCES.ohi, status, summary, criteria, ...rollUpMissing(criteria) };
}
