/**
 * Lab orders a clinician accepted from our suggestions that are still pending (CardContext.pendingOrders,
 * from the card memory): shown as "ordered, pending", never listed as due, never suggested again.
 */
import type { Analyte } from '../features/types.js';
import { LAB_INDEX, SYSTEM, WORKUP_PANEL } from '../terminology/index.js';
import type { CardContext } from './context.js';

/** Analytes a LOINC code yields: a panel item's analytes (CBC -> platelets, ANC...) or the single lab. */
export function analytesOfLoinc(loinc: string): Analyte[] {
  const item = WORKUP_PANEL.find((i) => i.loinc === loinc);
  if (item) return [...item.covers, ...(item.sameTestAs ?? [])];
  const lab = LAB_INDEX.match({ system: SYSTEM.loinc, code: loinc });
  return lab ? [lab.analyte] : [];
}

export function pendingAnalytes(ctx: Pick<CardContext, 'pendingOrders'>): Set<Analyte> {
  return new Set((ctx.pendingOrders ?? []).flatMap((o) => analytesOfLoinc(o.loinc)));
}

export function pendingLoinc(ctx: Pick<CardContext, 'pendingOrders'>): Set<string> {
  return new Set((ctx.pendingOrders ?? []).map((o) => o.loinc));
}
