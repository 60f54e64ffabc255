/**
 * Who is watched, and which surveillance labs are due. Watched = an immune effector cell infusion on
 * record and today inside the watch window (day 0 to watch.windowDays), whatever the CRS state.
 * Workup due = a surveillance lab with no result inside its freshness window (watched patients only).
 * The panel follows docs/clinical-basis.md#workup (each lab is used by at least one verified criteria set); the HLH
 * panel (triglycerides, sCD25) is added once the ASTCT key ferritin criterion is met.
 */
import type { Analyte } from '../features/types.js';
import { HOUR_MS, type CriteriaContext } from './context.js';
import type { Assessment } from './types.js';

export interface WatchStatus {
  watched: boolean;
  reason: string;
}

export function watchStatus(ctx: CriteriaContext): WatchStatus {
  const { infusion, dayNow } = ctx.timeline;
  const windowDays = ctx.t['watch.windowDays'];
  if (!infusion || ctx.infusionMs === undefined) {
    return { watched: false, reason: 'No immune effector cell (CAR-T) infusion on record: not watched for IEC-HS.' };
  }
  const day = dayNow ?? Math.floor((ctx.nowMs - ctx.infusionMs) / (24 * HOUR_MS));
  const what = `${infusion.product ?? (infusion.exposure === 't-cell-engager' ? 'T-cell engager therapy' : 'immune effector cell therapy')} on ${infusion.time.slice(0, 10)}`;
  const evidence = infusion.strength === 'weak' ? ` (inferred from ${infusion.evidence === 'Condition' ? 'a diagnosis' : 'an order'}, not a recorded infusion)` : '';
  if (day < 0) return { watched: false, reason: `Infusion of ${what} is scheduled in the future (day ${day}).${evidence}` };
  if (day > windowDays) {
    return { watched: false, reason: `Day ${day} after ${what}: past the ${windowDays}-day watch window (local rule; no published upper bound).${evidence}` };
  }
  const syndrome = infusion.exposure === 't-cell-engager' ? 'HLH-like syndrome' : 'IEC-HS';
  return { watched: true, reason: `Day ${day} after ${what}: inside the ${windowDays}-day ${syndrome} watch window.${evidence}` };
}

interface PanelItem {
  analyte: Analyte;
  /** Other analytes whose fresh result satisfies this one (PT for INR). */
  orAny?: Analyte[];
}

const SURVEILLANCE_PANEL: readonly PanelItem[] = [
  { analyte: 'ferritin' },
  { analyte: 'fibrinogen' },
  { analyte: 'platelets' },
  { analyte: 'anc' },
  { analyte: 'hemoglobin' },
  { analyte: 'ast' },
  { analyte: 'alt' },
  { analyte: 'bilirubinTotal' },
  { analyte: 'creatinine' },
  { analyte: 'ldh' },
  { analyte: 'inr', orAny: ['pt'] },
];

const HLH_PANEL: readonly PanelItem[] = [{ analyte: 'triglycerides' }, { analyte: 'sil2r' }];

/**
 * Any result at or after `sinceMs` and not after now, in any unit: an sCD25 from a pg/mL assay is a
 * measured sCD25 even though it is never compared with a U/mL cut-off (ordering it again adds nothing).
 */
function hasResultSince(ctx: CriteriaContext, analyte: Analyte, sinceMs: number): boolean {
  for (const series of [ctx.timeline.labs?.[analyte], ctx.timeline.altUnitLabs?.[analyte]]) {
    const values = series?.values ?? [];
    for (let i = values.length - 1; i >= 0; i--) {
      const v = values[i];
      if (v && v.epochMs >= sinceMs && v.epochMs <= ctx.nowMs) return true;
    }
  }
  // A result in a unit that could not be converted was still resulted: it is shown, never re-ordered.
  return (ctx.timeline.unconvertibleLabs?.[analyte] ?? []).some((u) => u.epochMs >= sinceMs && u.epochMs <= ctx.nowMs);
}

export function workupDue(ctx: CriteriaContext, watched: boolean, astct: Assessment | undefined): Analyte[] {
  if (!watched) return [];
  const { t } = ctx;
  const day = ctx.timeline.dayNow ?? 0;
  const coreHours = day <= t['workup.intensiveUntilDay'] ? t['workup.freshHours'] : t['workup.lateFreshHours'];
  const due: Analyte[] = [];
  const check = (items: readonly PanelItem[], hours: number): void => {
    const since = ctx.nowMs - hours * HOUR_MS;
    for (const item of items) {
      if (![item.analyte, ...(item.orAny ?? [])].some((a) => hasResultSince(ctx, a, since))) due.push(item.analyte);
    }
  };
  check(SURVEILLANCE_PANEL, coreHours);
  const keyFerritinMet = astct?.criteria.find((c) => c.id === 'astct-ferritin')?.status === 'met';
  if (keyFerritinMet) check(HLH_PANEL, t['workup.hlhPanelFreshHours']);
  return due;
}
