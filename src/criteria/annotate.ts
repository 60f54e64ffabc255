/**
 * Typed annotations every criterion carries (contract, issue 13): its role in its set, its missing
 * items with the reason, and the threshold rows it applied as resolved after configuration. Cards word
 * these; they never parse criterion prose.
 */
import type { Analyte } from '../features/types.js';
import type { CriteriaContext } from './context.js';
import { thresholdRow, type ThresholdId } from './thresholds.js';
import type { Assessment, CriterionResult, CriterionRole, MissingItem, MissingReason } from './types.js';

const ROLE_BY_ID: Readonly<Record<string, CriterionRole>> = {
  'astct-ferritin': 'key',
  'astct-timing': 'timing',
  'astct-cytopenia': 'core',
  'astct-fibrinogen': 'core',
  'astct-transaminases': 'core',
  'astct-hemophagocytosis': 'core',
};

/** Non-lab items named by criterion id fragments. */
const ITEM_BY_FRAGMENT: readonly [string, string][] = [
  ['hemophagocytosis', 'hemophagocytosis'],
  ['splenomegaly', 'organomegaly'],
  ['organomegaly', 'organomegaly'],
  ['immunosuppression', 'immunosuppression'],
  ['pulmonary', 'pulmonary-toxicity'],
  ['lung', 'pulmonary-toxicity'],
  ['timing', 'crs-status'],
];

function roleOf(assessment: Assessment, c: CriterionResult): CriterionRole {
  if (assessment.id === 'astct-iec-hs') return ROLE_BY_ID[c.id] ?? 'supportive';
  return /ferritin/.test(c.id) ? 'key' : 'core';
}

function labReason(ctx: CriteriaContext, analyte: Analyte): MissingReason {
  const view = ctx.series(analyte);
  if (view.unitProblem || (ctx.timeline.unconvertibleLabs?.[analyte]?.length ?? 0) > 0) {
    const converted = view.all.length > 0;
    if (!converted) return 'unconvertible';
  }
  return view.all.length > 0 || ctx.altSeries(analyte).all.length > 0 ? 'stale' : 'never-resulted';
}

function missingItemsOf(ctx: CriteriaContext, c: CriterionResult): MissingItem[] {
  const items: MissingItem[] = (c.missingAnalytes ?? []).map((analyte) => ({ analyte, reason: labReason(ctx, analyte) }));
  if (c.status === 'insufficient-data' && items.length === 0 && c.missing.length > 0) {
    const item = ITEM_BY_FRAGMENT.find(([fragment]) => c.id.includes(fragment))?.[1];
    if (item) items.push({ item, reason: 'not-structured' });
  }
  return items;
}

export function annotate(ctx: CriteriaContext, assessments: readonly Assessment[]): void {
  for (const a of assessments) {
    for (const c of a.criteria) {
      c.role = roleOf(a, c);
      c.missingItems = missingItemsOf(ctx, c);
      c.resolvedThresholds = c.thresholds.map((id) => {
        const row = thresholdRow(id as ThresholdId);
        return { id, value: ctx.t[id as ThresholdId], unit: row.unit, verified: row.verified, local: row.kind === 'local' };
      });
    }
  }
}
