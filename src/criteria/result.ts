/** Small builders shared by every criteria module: criterion results, status roll-ups, missing data. */
import type { Analyte, LabValue } from '../features/types.js';
import type { SeriesView } from './context.js';
import { ANALYTE_NAME, valueText } from './format.js';
import { allVerified, type ThresholdId } from './thresholds.js';
import type { Assessment, CriterionResult, CriterionStatus, Evidence } from './types.js';

export interface CriterionInput {
  id: string;
  label: string;
  status: CriterionStatus;
  thresholds: ThresholdId[];
  evidence?: Evidence[];
  missing?: string[];
  missingAnalytes?: Analyte[];
  points?: number;
}

export function criterion(input: CriterionInput): CriterionResult {
  const result: CriterionResult = {
    id: input.id,
    label: input.label,
    status: input.status,
    evidence: input.evidence ?? [],
    missing: input.missing ?? [],
    thresholds: input.thresholds,
    verified: allVerified(input.thresholds),
  };
  if (input.missingAnalytes?.length) result.missingAnalytes = input.missingAnalytes;
  if (input.points !== undefined) result.points = input.points;
  return result;
}

/** "any of": met if one is met, not-met only when every part was judged and none is met. */
export function anyOf(statuses: readonly CriterionStatus[]): CriterionStatus {
  if (statuses.includes('met')) return 'met';
  return statuses.length > 0 && statuses.every((s) => s === 'not-met') ? 'not-met' : 'insufficient-data';
}

/** "at least n of": unknown items are counted as unknown, never as absent. */
export function atLeast(
  items: readonly { status: CriterionStatus }[],
  required: number,
): { status: CriterionStatus; met: number; unknown: number } {
  const met = items.filter((r) => r.status === 'met').length;
  const unknown = items.filter((r) => r.status === 'insufficient-data').length;
  const status: CriterionStatus = met >= required ? 'met' : met + unknown < required ? 'not-met' : 'insufficient-data';
  return { status, met, unknown };
}

/** Why a lab is missing, in a form a clinician can act on. */
export function missingLab(analyte: Analyte, view: SeriesView, scope: string): string {
  return view.unitProblem ?? `${ANALYTE_NAME[analyte]} (${scope})`;
}

/**
 * A result in the analyte's other unit family (sIL-2R in pg/mL) where the cut-off is written in the
 * canonical unit (U/mL): shown as evidence with the reason it was not compared, and named as missing
 * in the comparable unit. Undefined when there is no such result.
 */
export function notComparable(alternate: readonly LabValue[], cutUnit: string): { evidence: Evidence; missing: string } | undefined {
  const v = alternate.at(-1);
  if (!v) return undefined;
  const name = ANALYTE_NAME[v.analyte];
  return {
    evidence: {
      label: `${name} ${valueText(v)} not compared: the cut-off applies to ${cutUnit} assays; a ${v.unit} assay cannot be converted to it`,
      analyte: v.analyte,
      value: v,
    },
    missing: `${name} in ${cutUnit} (the ${v.unit} result is from a different assay)`,
  };
}

export function union<T>(lists: readonly (readonly T[] | undefined)[]): T[] {
  return [...new Set(lists.flatMap((l) => l ?? []))];
}

/** Assessment-level missing data: the union of its criteria's. */
export function rollUpMissing(criteria: readonly CriterionResult[]): Pick<Assessment, 'missing' | 'missingAnalytes'> {
  const missingAnalytes = union(criteria.map((c) => c.missingAnalytes));
  return { missing: union(criteria.map((c) => c.missing)), ...(missingAnalytes.length ? { missingAnalytes } : {}) };
}
