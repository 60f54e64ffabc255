/**
 * The view of a timeline every criteria module reads: values up to `now` only, in the unit the
 * thresholds are written in, split into "since infusion" and "recent" (the lookback window). Built once
 * per evaluation; series are filtered lazily and cached, so 20,000 values cost one pass each.
 */
import type { Analyte, Diagnosis, DiagnosisKind, LabValue, PatientTimeline } from '../features/types.js';
import { ANALYTE_REGISTRY, THRESHOLD_UNIT_SPELLINGS } from '../terminology/analytes.js';
import type { Thresholds } from './thresholds.js';
import { DAY_MS } from '../terminology/time.js';

export { DAY_MS, HOUR_MS } from '../terminology/time.js';

export interface SeriesView {
  /** Comparable values at or before now, ascending by time. */
  all: readonly LabValue[];
  /** Values after the infusion time (all values when there is no infusion). */
  sinceInfusion: readonly LabValue[];
  /** Values inside the lookback window. */
  recent: readonly LabValue[];
  /** Recent values after the infusion. */
  recentSinceInfusion: readonly LabValue[];
  baseline?: LabValue;
  /** Set when values exist but none is in the unit the thresholds use. */
  unitProblem?: string;
}

export interface CriteriaContext {
  readonly timeline: PatientTimeline;
  readonly t: Thresholds;
  readonly nowMs: number;
  readonly infusionMs?: number;
  readonly lookbackStartMs: number;
  series(analyte: Analyte): SeriesView;
  /**
   * Results in the analyte's second unit family (sIL-2R in pg/mL): never compared with a cut-off
   * written in the canonical unit, but usable for unit-free rules ("> ULN" with the value's own range)
   * and as proof the test was done.
   */
  altSeries(analyte: Analyte): SeriesView;
  /** A documented finding (hemophagocytosis, splenomegaly...) since the infusion or still active. */
  finding(kind: DiagnosisKind): Diagnosis | undefined;
}

const EMPTY: SeriesView = { all: [], sinceInfusion: [], recent: [], recentSinceInfusion: [] };

function isAscending(values: readonly LabValue[]): boolean {
  let previous = -Infinity;
  for (const v of values) {
    if (v.epochMs < previous) return false;
    previous = v.epochMs;
  }
  return true;
}

function firstIndexAfter(values: readonly LabValue[], epochMs: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid]?.epochMs ?? Infinity) > epochMs) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function firstIndexAtOrAfter(values: readonly LabValue[], epochMs: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid]?.epochMs ?? Infinity) >= epochMs) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function createContext(timeline: PatientTimeline, t: Thresholds): CriteriaContext {
  const nowMs = Number.isFinite(timeline.nowEpochMs) ? timeline.nowEpochMs : Date.parse(timeline.now);
  const infusionMs = timeline.infusion && Number.isFinite(timeline.infusion.epochMs) ? timeline.infusion.epochMs : undefined;
  const lookbackStartMs = nowMs - t['lookback.days'] * DAY_MS;
  const cache = new Map<Analyte, SeriesView>();

  const altCache = new Map<Analyte, SeriesView>();

  function build(analyte: Analyte, alternate: boolean): SeriesView {
    const source = alternate ? timeline.altUnitLabs?.[analyte] : timeline.labs?.[analyte];
    if (!source || !Array.isArray(source.values)) {
      // Resulted in a unit that could not be converted: say so instead of "none since infusion".
      const unconverted = alternate ? undefined : timeline.unconvertibleLabs?.[analyte]?.filter((u) => u.epochMs <= nowMs).at(-1);
      if (!unconverted) return EMPTY;
      const unit = unconverted.original.unit ?? '(no unit)';
      return { ...EMPTY, unitProblem: `${analyte} resulted in ${unit}, which cannot be converted to ${ANALYTE_REGISTRY[analyte].thresholdUnit ?? 'the threshold unit'} (value shown, not used)` };
    }
    const expected = alternate ? undefined : ANALYTE_REGISTRY[analyte].thresholdUnit;
    const accepted = expected === undefined ? undefined : new Set(THRESHOLD_UNIT_SPELLINGS[expected] ?? [expected]);
    const usable = (v: LabValue | undefined): v is LabValue =>
      v !== undefined && Number.isFinite(v.value) && Number.isFinite(v.epochMs) && (accepted === undefined || accepted.has(v.unit));
    let values: LabValue[] = [];
    for (const v of source.values) if (usable(v)) values.push(v);
    const rejected = source.values.length - values.length;
    if (!isAscending(values)) values = [...values].sort((a, b) => a.epochMs - b.epochMs);
    const all = values.slice(0, firstIndexAfter(values, nowMs));
    const sinceInfusion = infusionMs === undefined ? all : all.slice(firstIndexAfter(all, infusionMs));
    const recent = all.slice(firstIndexAtOrAfter(all, lookbackStartMs));
    const recentSinceInfusion = infusionMs === undefined ? recent : recent.slice(firstIndexAfter(recent, infusionMs));
    const baseline = usable(source.baseline) && source.baseline.epochMs <= nowMs ? source.baseline : undefined;
    const view: SeriesView = { all, sinceInfusion, recent, recentSinceInfusion, baseline };
    if (all.length === 0 && rejected > 0) {
      const units = [...new Set(source.values.map((v) => v?.unit))].join(', ');
      view.unitProblem = `${analyte} reported in ${units}, not comparable with thresholds in ${expected ?? '?'}`;
    }
    return view;
  }

  return {
    timeline,
    t,
    nowMs,
    infusionMs,
    lookbackStartMs,
    series(analyte) {
      let view = cache.get(analyte);
      if (!view) {
        view = build(analyte, false);
        cache.set(analyte, view);
      }
      return view;
    },
    altSeries(analyte) {
      let view = altCache.get(analyte);
      if (!view) {
        view = build(analyte, true);
        altCache.set(analyte, view);
      }
      return view;
    },
    finding(kind) {
      return (timeline.diagnoses ?? []).find(
        (d) => d.kind === kind && (d.active || (d.day !== undefined && d.day >= 0) || infusionMs === undefined),
      );
    },
  };
}

/** Highest value (the first one on ties). */
export function maxOf(values: readonly LabValue[]): LabValue | undefined {
  let best: LabValue | undefined;
  for (const v of values) if (!best || v.value > best.value) best = v;
  return best;
}

/** Lowest value (the first one on ties). */
export function minOf(values: readonly LabValue[]): LabValue | undefined {
  let best: LabValue | undefined;
  for (const v of values) if (!best || v.value < best.value) best = v;
  return best;
}
