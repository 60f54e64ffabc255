/**
 * Observations -> one lab series per analyte, every value in the analyte's canonical unit with its own
 * reference range (or the documented default), day number and baseline.
 *
 * Decisions (see also observationVersions.ts, time.ts):
 * - Status: entered-in-error, cancelled and registered (no result yet) are ignored. `preliminary` is
 *   used and flagged (`preliminary: true`): in a syndrome that moves within a day an early value is
 *   worth showing, and a final version of the same result replaces it. Unknown or missing statuses are
 *   used as results.
 * - Time: effectiveDateTime / effectiveInstant / effectivePeriod.start (collection time), else
 *   `issued`. Year or year-month precision is skipped with an issue.
 * - Units: a value whose unit cannot be converted is left out and reported, never guessed. A value
 *   without any unit takes the unit its referenceRange states; with neither it is left out (unless the
 *   analyte has no unit, e.g. INR).
 * - Codes: the first coding with a tracked LOINC code decides the analyte; local codes next to it are
 *   ignored. Components are read when the Observation's own code is not a tracked analyte (panels).
 */
import type { Observation, ObservationComponent, ObservationReferenceRange } from 'fhir/r4';
import type { Analyte, DataIssue, LabSeries, LabValue, Sex, UnconvertedLab } from './types.js';
import {
  ANALYTES,
  ANALYTE_UNITS,
  CANONICAL_UNIT,
  LAB_INDEX,
  defaultRange,
  roundSignificant,
  type LabCode,
  type UnitTarget,
} from '../terminology/index.js';
import { arrayOf, isObject, ref } from './fhir.js';
import { latestVersions } from './observationVersions.js';
import { convertMeasurement, measurementFailure, rangeUnit, readMeasurement, resultLimits, type Limits, type MeasurementRecord } from './labValues.js';
import { epochOf, precisionOf, type DayOf } from './time.js';

const IGNORED_STATUS: ReadonlySet<string> = new Set(['entered-in-error', 'cancelled', 'registered']);

export interface LabContext {
  sex: Sex;
  infusionEpochMs?: number;
  /** Day number after the infusion in the site's zone (set with infusionEpochMs). */
  dayOf?: DayOf;
  issues: DataIssue[];
}

export interface LabsResult {
  labs: Partial<Record<Analyte, LabSeries>>;
  altUnitLabs: Partial<Record<Analyte, LabSeries>>;
  unconvertibleLabs: Partial<Record<Analyte, UnconvertedLab[]>>;
}

function labCodeOf(concept: Observation['code'] | undefined): LabCode | undefined {
  if (!isObject(concept)) return undefined;
  for (const coding of arrayOf(concept.coding)) {
    const hit = LAB_INDEX.match(coding);
    if (hit) return hit;
  }
  return undefined;
}

/** When a value was taken; one per collect() call, refilled per Observation (no allocation per value). */
interface Timing {
  time: string;
  epochMs: number;
}

/** Fills `out` and returns true, or pushes an issue and returns false. */
function timingOf(o: Observation, source: string, issues: DataIssue[], analyte: Analyte, out: Timing): boolean {
  for (let k = 0; k < 4; k++) {
    const raw = k === 0 ? o.effectiveDateTime : k === 1 ? o.effectiveInstant : k === 2 ? o.effectivePeriod?.start : o.issued;
    const precision = precisionOf(raw);
    if (precision === undefined) continue;
    if (precision === 'year' || precision === 'month') {
      issues.push({ source, analyte, reason: `date "${raw}" is not precise to the day; value skipped` });
      return false;
    }
    if (raw === undefined) continue;
    const epochMs = epochOf(raw, precision);
    if (Number.isFinite(epochMs)) {
      out.time = raw;
      out.epochMs = epochMs;
      return true;
    }
  }
  issues.push({ source, analyte, reason: 'no usable effective time or issued date; value skipped' });
  return false;
}

/** A value converted into its analyte's unit family; one per collect() call, refilled per value. */
interface Conversion {
  target: UnitTarget;
  alternate: boolean;
  /** NaN = not convertible. */
  value: number;
}

/** Convert into the analyte's unit family (see AnalyteUnits.alternate), written into `out`. */
function convertForCode(code: LabCode, m: MeasurementRecord, fallbackUnit: string | undefined, out: Conversion): void {
  const spec = ANALYTE_UNITS[code.analyte];
  const alt = spec.alternate;
  if (code.variant === 'ddu' && alt?.selectedBy === 'ddu-code') {
    out.target = alt;
    out.alternate = true;
    out.value = convertMeasurement(m.value, m.unitCode, m.unitText, fallbackUnit, alt);
    return;
  }
  const value = convertMeasurement(m.value, m.unitCode, m.unitText, fallbackUnit, spec.canonical);
  if (Number.isNaN(value) && alt?.selectedBy === 'unit') {
    const a = convertMeasurement(m.value, m.unitCode, m.unitText, fallbackUnit, alt);
    if (!Number.isNaN(a)) {
      out.target = alt;
      out.alternate = true;
      out.value = a;
      return;
    }
  }
  out.target = spec.canonical;
  out.alternate = false;
  out.value = value;
}

interface Collected {
  primary: Map<Analyte, LabValue[]>;
  alternate: Map<Analyte, LabValue[]>;
  unconvertible: Map<Analyte, UnconvertedLab[]>;
  /** Scratch records reused for every value (20,000 values would otherwise make 80,000 short-lived objects). */
  measurement: MeasurementRecord;
  conversion: Conversion;
  limits: Limits;
  /** The timeline's day counter when there is an infusion (toSeries sets `day` from it otherwise). */
  dayOf: DayOf | undefined;
}

function push(map: Map<Analyte, LabValue[]>, v: LabValue): void {
  const list = map.get(v.analyte);
  if (list) list.push(v);
  else map.set(v.analyte, [v]);
}

/** One value from an Observation or component `holder`; pushes it or an issue. */
function collectValue(
  o: Observation,
  holder: Observation | ObservationComponent,
  code: LabCode,
  source: string,
  timing: Timing,
  ranges: ObservationReferenceRange[] | undefined,
  out: Collected,
  issues: DataIssue[],
): void {
  const m = out.measurement;
  const read = readMeasurement(holder, m);
  if (read === undefined) return;
  if (read !== true) {
    issues.push({ source, analyte: code.analyte, reason: read });
    return;
  }
  const fallbackUnit = m.unitCode === undefined && m.unitText === undefined ? rangeUnit(ranges) : undefined;
  const sentUnit = m.unitCode ?? m.unitText ?? fallbackUnit;
  const c = out.conversion;
  convertForCode(code, m, fallbackUnit, c);
  if (Number.isNaN(c.value)) {
    const why = measurementFailure(sentUnit, c.target);
    const reason = `unit ${sentUnit === undefined ? '(none)' : `"${sentUnit}"`} not convertible to ${c.target.unit}: ${why}`;
    issues.push({ source, analyte: code.analyte, reason });
    // Kept, so the lab counts as resulted (never suggested as due) and is shown as unconvertible.
    const kept: UnconvertedLab = { analyte: code.analyte, time: timing.time, epochMs: timing.epochMs, original: { value: m.value, ...(sentUnit !== undefined && { unit: sentUnit }) }, source, reason };
    const list = out.unconvertible.get(code.analyte);
    if (list) list.push(kept);
    else out.unconvertible.set(code.analyte, [kept]);
    return;
  }
  // One literal per shape (same key order as before: value, code, unit).
  const original: LabValue['original'] = sentUnit === undefined ? { value: m.value, code: code.loinc } : { value: m.value, code: code.loinc, unit: sentUnit };
  const limits = out.limits;
  const hasRange = resultLimits(ranges, sentUnit, c.target, limits);
  if (hasRange && out.dayOf && !m.comparator && o.status !== 'preliminary' && !Number.isNaN(limits.low) && !Number.isNaN(limits.high)) {
    // The common case in one literal (no property-array growth per value), keys in the same order
    // as the general path below followed by toSeries() adding `day`.
    push(c.alternate ? out.alternate : out.primary, {
      analyte: code.analyte,
      value: c.value,
      unit: c.target.unit,
      time: timing.time,
      epochMs: timing.epochMs,
      original,
      source,
      low: limits.low,
      high: limits.high,
      rangeSource: 'result',
      day: out.dayOf(timing.time, timing.epochMs),
    });
    return;
  }
  const v: LabValue = {
    analyte: code.analyte,
    value: c.value,
    unit: c.target.unit,
    time: timing.time,
    epochMs: timing.epochMs,
    original,
    source,
  };
  if (m.comparator) v.comparator = m.comparator;
  if (hasRange) {
    if (!Number.isNaN(limits.low)) v.low = limits.low;
    if (!Number.isNaN(limits.high)) v.high = limits.high;
    v.rangeSource = 'result';
  }
  if (o.status === 'preliminary') v.preliminary = true;
  push(c.alternate ? out.alternate : out.primary, v);
}

function collect(observations: readonly Observation[], ctx: LabContext): Collected {
  const issues = ctx.issues;
  const out: Collected = {
    primary: new Map(),
    alternate: new Map(),
    unconvertible: new Map(),
    measurement: { value: Number.NaN, comparator: undefined, unitCode: undefined, unitText: undefined },
    conversion: { target: ANALYTE_UNITS.ferritin.canonical, alternate: false, value: Number.NaN },
    limits: { low: Number.NaN, high: Number.NaN },
    dayOf: ctx.infusionEpochMs !== undefined ? ctx.dayOf : undefined,
  };
  const timing: Timing = { time: '', epochMs: 0 };
  // Lab Observations, their own lab code (undefined for panels read through components), and what
  // each measures (for version matching).
  const candidates: Observation[] = [];
  const ownCodes: (LabCode | undefined)[] = [];
  const measured: string[] = [];
  // Indexed loops: this runs once per request, often before the optimizer has seen it.
  const all = arrayOf(observations as Observation[]);
  for (let k = 0; k < all.length; k++) {
    const o = all[k];
    if (!isObject(o)) continue;
    const own = labCodeOf(o.code);
    if (!own && !arrayOf(o.component).some((c) => isObject(c) && labCodeOf(c.code))) continue;
    candidates.push(o);
    ownCodes.push(own);
    measured.push(own ? own.analyte : 'panel');
  }
  const latest = latestVersions(candidates, measured);
  for (let k = 0; k < latest.length; k++) {
    const i = latest[k] ?? -1;
    const o = candidates[i];
    if (!o) continue;
    if (typeof o.status === 'string' && IGNORED_STATUS.has(o.status)) continue;
    const source = ref(o, 'Observation');
    try {
      const own = ownCodes[i];
      if (own) {
        if (timingOf(o, source, issues, own.analyte, timing)) collectValue(o, o, own, source, timing, o.referenceRange, out, issues);
        continue;
      }
      // Timed at the first tracked component; retried (and reported) per component while untimed.
      let timed = false;
      arrayOf(o.component).forEach((component, j) => {
        const code = isObject(component) ? labCodeOf(component.code) : undefined;
        if (!code) return;
        if (!timed) timed = timingOf(o, source, issues, code.analyte, timing);
        if (timed) collectValue(o, component, code, `${source}#component[${j}]`, timing, component.referenceRange, out, issues);
      });
    } catch (e) {
      // Defensive: malformed input must not stop the timeline.
      issues.push({ source, reason: `could not read Observation: ${(e as Error).message}` });
    }
  }
  return out;
}

function byTimeThenSource(a: LabValue, b: LabValue): number {
  return a.epochMs - b.epochMs || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) || a.value - b.value;
}

/**
 * ANC = WBC x neutrophil % / 100 where both come from the same specimen time and no directly reported
 * ANC exists at that time (docs/terminology.md#units "ANC from differential"). Bands are not added: which code
 * carries them varies by site (UNVERIFIED). Censored inputs are not combined.
 */
function deriveAnc(primary: Map<Analyte, LabValue[]>): void {
  const wbc = primary.get('wbc');
  const pct = primary.get('neutrophilPct');
  if (!wbc || !pct) return;
  const direct = new Set<number>();
  for (const v of primary.get('anc') ?? []) direct.add(v.epochMs);
  const wbcAt = new Map<number, LabValue>();
  for (const v of wbc) if (!v.comparator && !wbcAt.has(v.epochMs)) wbcAt.set(v.epochMs, v);
  for (const p of pct) {
    const w = wbcAt.get(p.epochMs);
    if (!w || p.comparator || direct.has(p.epochMs)) continue;
    direct.add(p.epochMs);
    const value = roundSignificant((w.value * p.value) / 100);
    const derived: LabValue = {
      analyte: 'anc',
      value,
      unit: w.unit,
      time: w.time,
      epochMs: w.epochMs,
      derived: true,
      original: { value, unit: w.unit },
      source: `derived:ANC=${w.source}*${p.source}`,
    };
    if (w.preliminary || p.preliminary) derived.preliminary = true;
    push(primary, derived);
  }
}

function toSeries(
  analyte: Analyte,
  values: LabValue[],
  ctx: LabContext,
): LabSeries {
  values.sort(byTimeThenSource);
  const unit = values[0]?.unit ?? CANONICAL_UNIT[analyte];
  const fallback = defaultRange(analyte, unit, ctx.sex);
  const series: LabSeries = { analyte, unit, values };
  for (const v of values) {
    if (v.rangeSource === undefined && fallback) {
      if (fallback.low !== undefined) v.low = fallback.low;
      if (fallback.high !== undefined) v.high = fallback.high;
      v.rangeSource = 'default';
      v.rangeNote = fallback.source;
    }
    if (ctx.infusionEpochMs !== undefined && ctx.dayOf) {
      v.day = v.day ?? ctx.dayOf(v.time, v.epochMs); // already set by collectValue's common case
      if (v.day <= 0) series.baseline = v;
    }
  }
  return series;
}

export function buildLabs(observations: readonly Observation[], ctx: LabContext): LabsResult {
  const { primary, alternate, unconvertible } = collect(observations, ctx);
  deriveAnc(primary);
  const labs: Partial<Record<Analyte, LabSeries>> = {};
  const altUnitLabs: Partial<Record<Analyte, LabSeries>> = {};
  // Fixed analyte order, so the output (and its JSON) does not depend on input order.
  for (const analyte of ANALYTES) {
    const values = primary.get(analyte);
    if (values) labs[analyte] = toSeries(analyte, values, ctx);
    const alt = alternate.get(analyte);
    if (alt) altUnitLabs[analyte] = toSeries(analyte, alt, ctx);
  }
  const unconvertibleLabs: Partial<Record<Analyte, UnconvertedLab[]>> = {};
  for (const analyte of ANALYTES) {
    const list = unconvertible.get(analyte);
    if (list) unconvertibleLabs[analyte] = list.sort((a, b) => a.epochMs - b.epochMs);
  }
  return { labs, altUnitLabs, unconvertibleLabs };
}
