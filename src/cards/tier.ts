/**
 * The card tier, read from the engine's verdict (Evaluation.picture). Cards never re-derive it from
 * criteria or lab values; the fallback for evaluations without `picture` only reads the engine's own
 * booleans and lists.
 */
import type { Evaluation, Tier } from '../criteria/types.js';
import type { Analyte } from '../features/types.js';
import type { CardContext } from './context.js';
import { pendingAnalytes } from './pending.js';

export function engineTier(evaluation: Evaluation): Tier {
  if (evaluation.picture) return evaluation.picture.tier;
  if (evaluation.iecHsPicture) return evaluation.severeOrganDysfunction ? 'critical' : 'warning';
  const astct = evaluation.assessments.find((a) => a.id === 'astct-iec-hs');
  return evaluation.severeOrganDysfunction || astct?.status === 'insufficient-data' ? 'watch' : 'none';
}

export function isAlertTier(tier: Tier): tier is 'critical' | 'warning' {
  return tier === 'critical' || tier === 'warning';
}

/** The engine's picture is present (warning or critical). */
export function picturePresent(evaluation: Evaluation): boolean {
  return isAlertTier(engineTier(evaluation));
}

/** HLH-like features while CRS is active (engine flag; old engines: an active CRS episode on an alert). */
export function overlapsCrs(evaluation: Evaluation): boolean {
  if (evaluation.picture) return evaluation.picture.overlappingCrs;
  return picturePresent(evaluation) && evaluation.timeline.crsEpisodes.some((e) => e.active);
}

/** Due labs that are not already ordered and pending (those are shown as "ordered, pending"). */
export function dueNotPending(evaluation: Evaluation, ctx: Pick<CardContext, 'pendingOrders'>): Analyte[] {
  const pending = pendingAnalytes(ctx);
  return evaluation.workupDue.filter((a) => !pending.has(a));
}
