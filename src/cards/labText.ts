/**
 * One lab value as a card prints it: value and unit, the flag in words (never a bare "H"/"L"), the
 * reference range, the day after infusion, and the direction against the value before it. Display only: no clinical rule is applied here.
 */
import type { Direction, FerritinCourse } from '../criteria/types.js';
import type { LabSeries, LabValue, PatientTimeline } from '../features/types.js';
import { ANALYTE_LABEL, capitalize, displayUnit, formatDay, formatLab, formatNumber } from './format.js';
import { escapeMarkdown } from './markdown.js';

/** `high` / `low` against the result's own (or default) reference range; undefined inside or without one. */
export function flagWord(value: LabValue): 'high' | 'low' | undefined {
  if (value.high !== undefined && value.value > value.high) return 'high';
  if (value.low !== undefined && value.value < value.low) return 'low';
  return undefined;
}

/**
 * `ref 24-336 ng/mL` (with `, default` when the lab sent no range); undefined without limits.
 * `withUnit: false` leaves the unit out (the card prints it right after the value).
 */
export function rangeText(value: LabValue, withUnit = true): string | undefined {
  const { low, high } = value;
  const limits =
    low !== undefined && high !== undefined
      ? `${formatNumber(low)}-${formatNumber(high)}`
      : high !== undefined
        ? `≤ ${formatNumber(high)}`
        : low !== undefined
          ? `≥ ${formatNumber(low)}`
          : undefined;
  if (limits === undefined) return undefined;
  const unit = withUnit ? displayUnit(value.unit) : '';
  return `ref ${limits}${unit ? ` ${unit}` : ''}${value.rangeSource === 'default' ? ', default' : ''}`;
}

const ARROW: Record<Direction, string> = { rising: '↑ rising', falling: '↓ falling', stable: '→ stable', single: 'single value' };

/** The engine's ferritin direction as an arrow and a word (`↑ rising`); undefined for a single value. */
export function courseArrow(course: FerritinCourse): string | undefined {
  return course.direction === 'single' ? undefined : ARROW[course.direction];
}

/** `↑ up` / `↓ down` / `→ unchanged` against the previous value: the direction without the numbers. */
export function directionWord(value: LabValue, previous: LabValue | undefined): string | undefined {
  if (!previous) return undefined;
  return value.value > previous.value ? '↑ up' : value.value < previous.value ? '↓ down' : '→ unchanged';
}

/** The value just before `value` in its series, if any. */
export function previousValue(series: LabSeries | undefined, value: LabValue): LabValue | undefined {
  if (!series) return undefined;
  const index = series.values.findIndex((v) => v.source === value.source);
  const before = index > 0 ? series.values.slice(0, index) : series.values.filter((v) => v.epochMs < value.epochMs);
  return before.at(-1);
}

/**
 * `↑ up from 4,200 (day 9)` against the previous value (`withDay: false`: `↑ up from 4,200`): display of
 * the two numbers, no cut-off.
 */
export function changeText(value: LabValue, previous: LabValue | undefined, withDay = true): string | undefined {
  if (!previous) return undefined;
  const from = `${formatNumber(previous.value)}${withDay ? ` (day ${formatDay(previous.day)})` : ''}`;
  if (value.value > previous.value) return `↑ up from ${from}`;
  if (value.value < previous.value) return `↓ down from ${from}`;
  return withDay ? `→ unchanged since day ${formatDay(previous.day)}` : '→ unchanged';
}

/** The engine's ferritin course in words: `↑ rising from 900 (day 8, lowest since CRS)`; short: `↑ rising from 900`. */
export function courseText(course: FerritinCourse, short = false): string {
  const arrow = ARROW[course.direction];
  const ref =
    course.pattern === 'falling-tail' && course.peak && course.peak.source !== course.latest.source
      ? { v: course.peak, what: 'peak' }
      : (course.pattern === 'new-rise' || course.pattern === 'rise-from-nadir') && course.nadir
        ? { v: course.nadir, what: 'lowest since CRS' }
        : course.previous
          ? { v: course.previous, what: '' }
          : undefined;
  // "Rapidly rising" has no published number: the engine's local rule, named as such.
  const rapid = course.pattern === 'rapid-rise' && !short ? ', rapid rise (local rule)' : '';
  if (!ref || course.direction === 'single') return arrow + rapid;
  if (short) return course.direction === 'stable' ? arrow : `${arrow} from ${formatNumber(ref.v.value)}`;
  if (course.direction === 'stable') return `${arrow} (${formatNumber(ref.v.value)} on day ${formatDay(ref.v.day)})${rapid}`;
  return `${arrow} from ${formatNumber(ref.v.value)} (day ${formatDay(ref.v.day)}${ref.what ? `, ${ref.what}` : ''})${rapid}`;
}

/**
 * One evidence line, markdown: `Fibrinogen 140 mg/dL, low (ref 200-400), day 11; ↓ down from 180`.
 * Terse so it fits one line of a narrow card column: the range shares the value's unit, and the time of
 * day and the previous value's day are left to the timeline app. `direction` replaces the computed change (the engine's ferritin course).
 */
export function labLine(value: LabValue, timeline: PatientTimeline, direction?: string): string {
  const flag = flagWord(value);
  const range = rangeText(value, false);
  // The flag in words; "in range" only when there is a range to be inside of.
  const qualifier = [flag ?? (range ? 'in range' : undefined), range ? `(${range})` : undefined].filter(Boolean).join(' ');
  const change = direction ?? changeText(value, previousValue(timeline.labs[value.analyte], value), false);
  const name = capitalize(ANALYTE_LABEL[value.analyte]) + (value.derived ? ' (derived)' : '');
  return escapeMarkdown(`${name} ${formatLab(value)}${qualifier ? `, ${qualifier}` : ''}, day ${formatDay(value.day)}${change ? `; ${change}` : ''}`);
}
