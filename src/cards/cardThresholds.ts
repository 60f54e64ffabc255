/** The clinical windows cards apply, read from the one threshold table (src/criteria/thresholds.ts). */
import { isThresholdId, resolveThresholds, type ThresholdId } from '../criteria/thresholds.js';

/**
 * order-select: a panel lab resulted within this many hours is not suggested again. Falls back to the
 * surveillance freshness window while the table lacks a dedicated row.
 */
const RECENT_RESULT_ID = 'orderSelect.recentResultHours';
const RECENT_RESULT_FALLBACK: ThresholdId = 'workup.freshHours';

export function recentResultHours(overrides: Readonly<Record<string, number>> | undefined): number {
  const thresholds = resolveThresholds(overrides);
  return isThresholdId(RECENT_RESULT_ID) ? thresholds[RECENT_RESULT_ID] : thresholds[RECENT_RESULT_FALLBACK];
}
