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
import { annotate } from './annotate.js';
import { judgeFerritinCourse } from './ferritinCourse.js';
import { computePicture, treatmentState, worstOrganGrade } from './picture.js';
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
  annotate(ctx, assessments);
  const grades = organGrades(ctx);
  const severe = severeOrganDysfunction(ctx, grades);
  const due = workupDue(ctx, watch.watched, astct);
  const course = judgeFerritinCourse(ctx)?.course;
  const worst = worstOrganGrade(ctx, grades);
  const picture = computePicture(ctx, { watched: watch.watched, assessments, ...(course && { course }), severe, workupDue: due, ...(worst && { worstOrgan: worst }) });
  const infusion = timeline.infusion;
  const evaluation: Evaluation = {
    picture,
    exposure: { class: infusion?.exposure ?? 'cellular', ...(infusion?.product && { product: infusion.product }) },
    treatmentState: treatmentState(ctx),
    timeline,
    watched: watch.watched,
    watchReason: watch.reason,
    assessments,
    iecHsPicture: picture.tier === 'warning' || picture.tier === 'critical',
    organGrades: grades,
    severeOrganDysfunction: severe,
    workupDue: due,
    confounders: findConfounders(ctx, watch.watched),
  };
  if (course) evaluation.ferritinCourse = course;
  if (worst) evaluation.worstOrgan = worst;
  return evaluation;
}

export { resolveThresholds, THRESHOLD_TABLE, ThresholdConfigError, thresholdRow } from './thresholds.js';
export type { ThresholdId, ThresholdRow, Thresholds } from './thresholds.js';
export { ctcaeGrade } from './ctcae.js';
export { hscoreProbability } from './hscore.js';
export type * from './types.js';
