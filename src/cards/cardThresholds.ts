/** The clinical windows cards apply, read from the one threshold table (src/criteria/thresholds.ts). */
import { resolveThresholds } from '../criteria/thresholds.js';

/** order-select: a panel lab resulted within this many hours is not suggested again (local rule, 24 h). */
export function recentResultHours(overrides: Readonly<Record<string, number>> | undefined): number {
  return resolveThresholds(overrides)['orderSelect.recentResultHours'];
}
