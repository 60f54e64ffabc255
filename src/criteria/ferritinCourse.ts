/**
 * The ferritin course the ASTCT key criterion is judged on: the LATEST value and how it got there,
 * never the highest value of a window. A ferritin still falling from its CRS peak days after CRS
 * resolved is "elevated but falling" (a watch at most); what counts is a rise:
 * - `rapid-rise`: the latest value ends a local "rapidly rising" rise (ferritinTrend.ts);
 * - `new-rise`: after a fall of >= improvementFraction from an earlier peak (initial improvement), the
 *   latest value is >= reboundFraction above the nadir (worsening after improvement);
 * - `rise-from-nadir`: the latest value is >= reboundFraction above the lowest value since CRS resolved
 *   (or since the infusion, when no CRS resolved), and still rising.
 * Each needs the latest value elevated (> k x ULN or > k x baseline). Without a rise: `elevated-stable`
 * (at its peak, not falling), `falling-tail` (below the previous value, or plateaued after a fall of
 * >= improvementFraction), `normal` (not elevated), or `single` (one value since the infusion).
 * Every number is a threshold-table row; all are local rules or UNVERIFIED recalled numbers.
 */
import { parseFhirTime } from '../features/time.js';
import type { LabValue } from '../features/types.js';
import { compareValue, censoredAway } from './censored.js';
import { HOUR_MS, type CriteriaContext } from './context.js';
import { findRapidRise, type RapidRise } from './ferritinTrend.js';
import type { ThresholdId } from './thresholds.js';
import type { Direction, FerritinCourse } from './types.js';

export const COURSE_THRESHOLDS: readonly ThresholdId[] = [
  'astct.ferritin.ulnMultiple',
  'astct.ferritin.baselineMultiple',
  'astct.ferritin.rapidRise.fraction',
  'astct.ferritin.rapidRise.windowHours',
  'astct.timing.improvementFraction',
  'astct.timing.reboundFraction',
  'ferritin.course.stableFraction',
];

export const RISING_PATTERNS: ReadonlySet<FerritinCourse['pattern']> = new Set(['rapid-rise', 'new-rise', 'rise-from-nadir']);

export interface CourseJudgement {
  course: FerritinCourse;
  /** Latest value above k x ULN or k x baseline: true, false, or undefined (no range, no baseline, censored). */
  elevated: boolean | undefined;
  /** Why `elevated` is true, as short phrases (`> 2x ULN`, `> 2x baseline`). */
  elevatedBy: string[];
  /** The rise behind a `rapid-rise` pattern. */
  rapid?: RapidRise;
  /** The values the course was read from (since infusion, up to now). */
  values: readonly LabValue[];
  baseline?: LabValue;
}

function maxIndex(values: readonly LabValue[], from = 0, to = values.length): number {
  let best = -1;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v && !censoredAway(v, 'low') && (best < 0 || v.value > (values[best]?.value ?? -Infinity))) best = i;
  }
  return best;
}

function minIndex(values: readonly LabValue[], from = 0, to = values.length): number {
  let best = -1;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v && !censoredAway(v, 'high') && (best < 0 || v.value < (values[best]?.value ?? Infinity))) best = i;
  }
  return best;
}

/** When the most recent CRS episode that resolved did so, if one did (epoch ms of its abatement day). */
function crsResolvedMs(ctx: CriteriaContext): number | undefined {
  let latest: number | undefined;
  for (const e of ctx.timeline.crsEpisodes ?? []) {
    if (e.active || e.abatement === undefined) continue;
    const ms = parseFhirTime(e.abatement)?.epochMs;
    if (ms !== undefined && (latest === undefined || ms > latest)) latest = ms;
  }
  return latest;
}

export function judgeFerritinCourse(ctx: CriteriaContext): CourseJudgement | undefined {
  const { t } = ctx;
  const view = ctx.series('ferritin');
  const values = view.sinceInfusion;
  const latest = values[values.length - 1];
  if (!latest) return undefined;
  const baseline = view.baseline && view.baseline.value > 0 && !censoredAway(view.baseline, 'high') ? view.baseline : undefined;

  const elevatedBy: string[] = [];
  let undecided = false;
  let judged = false;
  if (latest.high !== undefined && latest.high > 0) {
    judged = true;
    const v = compareValue(latest, '>', t['astct.ferritin.ulnMultiple'] * latest.high);
    if (v === true) elevatedBy.push(`> ${t['astct.ferritin.ulnMultiple']}x ULN`);
    else if (v === undefined) undecided = true;
  }
  if (baseline && baseline.source !== latest.source) {
    judged = true;
    const v = compareValue(latest, '>', t['astct.ferritin.baselineMultiple'] * baseline.value);
    if (v === true) elevatedBy.push(`> ${t['astct.ferritin.baselineMultiple']}x baseline`);
    else if (v === undefined) undecided = true;
  }
  const elevated = elevatedBy.length > 0 ? true : !judged || undecided ? undefined : false;

  const previous = values.length >= 2 ? values[values.length - 2] : undefined;
  const peakAt = maxIndex(values);
  const peak = peakAt >= 0 ? values[peakAt] : undefined;
  const stable = t['ferritin.course.stableFraction'];
  const direction: Direction = !previous
    ? 'single'
    : latest.value > previous.value * (1 + stable)
      ? 'rising'
      : latest.value < previous.value * (1 - stable)
        ? 'falling'
        : 'stable';

  const course: FerritinCourse = { latest, direction, pattern: 'normal' };
  if (previous) course.previous = previous;
  if (peak) course.peak = peak;

  if (!previous) {
    course.pattern = 'single';
    return { course, elevated, elevatedBy, values, ...(baseline && { baseline }) };
  }

  // A rise is proven only when the latest value cannot be lower than reported and is above the previous one.
  const risingNow = latest.value > previous.value && !censoredAway(latest, 'low');
  const n = values.length;
  const improvement = t['astct.timing.improvementFraction'];
  const rebound = t['astct.timing.reboundFraction'];

  // Post-peak nadir of the values before the latest (initial improvement, then worsening).
  const priorPeakAt = maxIndex(values, 0, n - 1);
  const priorPeak = values[priorPeakAt];
  const nadirAt = priorPeakAt >= 0 ? minIndex(values, priorPeakAt + 1, n - 1) : -1;
  const nadir = values[nadirAt];
  if (nadir) course.nadir = nadir;

  // Lowest value since CRS resolved (the last one before resolution when none since).
  const resolvedMs = crsResolvedMs(ctx);
  let fromAt = 0;
  if (resolvedMs !== undefined) {
    fromAt = values.findIndex((v) => v.epochMs >= resolvedMs);
    fromAt = fromAt < 0 || fromAt >= n - 1 ? Math.max(0, n - 2) : Math.max(0, fromAt - 1);
  }
  const lowAt = minIndex(values, fromAt, n - 1);
  const low = values[lowAt];

  // The rapid-rise rule carries its own floor (both values > ULN), so it needs no elevation above k x ULN.
  const rapid = risingNow ? findRapidRise(values, t['astct.ferritin.rapidRise.fraction'], t['astct.ferritin.rapidRise.windowHours'] * HOUR_MS) : undefined;
  if (rapid && rapid.to.source === latest.source) {
    course.pattern = 'rapid-rise';
    course.nadir = rapid.from;
    return { course, elevated, elevatedBy, values, rapid, ...(baseline && { baseline }) };
  }
  if (risingNow && elevated === true) {
    if (priorPeak && nadir && nadir.value <= priorPeak.value * (1 - improvement) && latest.value >= nadir.value * (1 + rebound)) {
      course.pattern = 'new-rise';
    } else if (low && latest.value >= low.value * (1 + rebound)) {
      course.pattern = 'rise-from-nadir';
      course.nadir = low;
    }
    if (course.pattern !== 'normal') return { course, elevated, elevatedBy, values, ...(baseline && { baseline }) };
  }

  if (elevated !== true) course.pattern = 'normal';
  else if (latest.value < previous.value) course.pattern = 'falling-tail';
  else if (peak && latest.value <= peak.value * (1 - improvement)) course.pattern = 'falling-tail';
  else course.pattern = 'elevated-stable';
  return { course, elevated, elevatedBy, values, ...(baseline && { baseline }) };
}
