/**
 * Timeline -> every criteria set, side by side, never blended. Pure: no I/O, no clock (`timeline.now`
 * is the evaluation time). The IEC-HS grade is never assigned; severity follows measured organ
 * dysfunction (CTCAE v5).
 */
import type { PatientTimeline } from '../features/types.js';
import { assessAstct } from './astct.js';
import { assessCarHlh } from './carhlh.js';
import { findConfounders } from './confounders.js';
import { createContext } from './context.js';
import { assessHlh2004 } from './hlh2004.js';
import { assessHlhLt } from './hlhLt.js';
import { assessHscore } from './hscore.js';
import { assessOhi } from './ohi.js';
import { organGrades, severeOrganDysfunction } from './severity.js';
import { watchStatus, workupDue } from './surveillance.js';
import { resolveThresholds } from './thresholds.js';
import type { Evaluation } from './types.js';

export interface EvaluateOptions {
  /** Threshold overrides by threshold id (from configuration); validated by resolveThresholds. */
  thresholds?: Record<string, number>;
}

export function evaluate(timeline: PatientTimeline, options: EvaluateOptions = {}): Evaluation {
  const ctx = createContext(timeline, resolveThresholds(options.thresholds));
  const watch = watchStatus(ctx);
  const astct = assessAstct(ctx);
  const assessments = [astct, assessCarHlh(ctx), assessHlhLt(ctx), assessHscore(ctx), assessHlh2004(ctx), assessOhi(ctx)];
  const grades = organGrades(ctx);
  return {
    timeline,
    watched: watch.watched,
    watchReason: watch.reason,
    assessments,
    iecHsPicture: watch.watched && astct.status === 'met',
    organGrades: grades,
    severeOrganDysfunction: severeOrganDysfunction(ctx, grades),
    workupDue: workupDue(ctx, watch.watched, astct),
    confounders: findConfounders(ctx, watch.watched),
  };
}

export { resolveThresholds, THRESHOLD_TABLE, ThresholdConfigError, thresholdRow } from './thresholds.js';
export type { ThresholdId, ThresholdRow, Thresholds } from './thresholds.js';
export { ctcaeGrade } from './ctcae.js';
export { hscoreProbability } from './hscore.js';
export type * from './types.js';
