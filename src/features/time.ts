/**
 * FHIR date/dateTime parsing and day arithmetic. All arithmetic is on absolute instants and whole
 * UTC days, so results do not depend on the machine's time zone.
 *
 * Decisions:
 * - A dateTime without an offset (invalid FHIR, but seen) is read as UTC.
 * - A date-only value ("2024-03-05") is UTC midnight of that day: day precision is enough for day
 *   numbers.
 * - Year or year-month values ("2024", "2024-03") are too imprecise for day arithmetic: callers skip
 *   them for anything timed (labs, infusion day 0) and report an issue.
 */
import { DAY_MS, HOUR_MS } from '../terminology/time.js';

export type Precision = 'year' | 'month' | 'day' | 'time';

export interface ParsedTime {
  epochMs: number;
  precision: Precision;
}

export { DAY_MS };

/** FHIR date/dateTime (validated once with test(), which allocates nothing). */
const FHIR_DATETIME =
  /^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01])(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)?)?)?)?$/;

/** Precision of a valid FHIR date/dateTime string, undefined when it is not one. */
export function precisionOf(value: unknown): Precision | undefined {
  if (typeof value !== 'string' || !FHIR_DATETIME.test(value)) return undefined;
  return value.length === 4 ? 'year' : value.length === 7 ? 'month' : value.length === 10 ? 'day' : 'time';
}

/**
 * Epoch ms of a string `precisionOf` accepted. FHIR_DATETIME does not check the calendar: a day the
 * month does not have ("2023-02-30") rolls over into the next month (2023-03-02), as Date.parse did.
 */
export function epochOf(value: string, precision: Precision): number {
  switch (precision) {
    case 'year':
      return Date.UTC(Number(value), 0, 1);
    case 'month':
      return Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, 1);
    case 'day':
    case 'time':
      return canonicalEpoch(value);
  }
}

/** The number written by the `n` digits at `value[at..]` (already validated by FHIR_DATETIME). */
function digitsAt(value: string, at: number, n: number): number {
  let x = 0;
  for (let k = at; k < at + n; k++) x = x * 10 + (value.charCodeAt(k) - 48);
  return x;
}

/**
 * Days from 1970-01-01 to the first of a month (1-12) of a year >= 0, proleptic Gregorian
 * (H. Hinnant's days_from_civil). Date.UTC is a call into the runtime; this is plain arithmetic.
 */
function daysToMonthStart(year: number, month: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5);
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

/**
 * What Date.parse answers for a FHIR-valid date or dateTime, by arithmetic on the characters
 * (Date.parse was ~9 % of the timeline at 20,000 values). Same rules: a day the month does not have
 * rolls over into the next month, digits beyond milliseconds are dropped, no offset means UTC.
 * test/features/time.test.ts checks it against Date.parse.
 */
function canonicalEpoch(value: string): number {
  const days = daysToMonthStart(digitsAt(value, 0, 4), digitsAt(value, 5, 2)) + digitsAt(value, 8, 2) - 1;
  if (value.length === 10) return days * DAY_MS;
  let at = 16;
  let seconds = 0;
  if (value.charCodeAt(at) === 58 /* : */) {
    seconds = digitsAt(value, 17, 2);
    at = 19;
  }
  let ms = 0;
  if (value.charCodeAt(at) === 46 /* . */) {
    const start = ++at;
    while (at < value.length && value.charCodeAt(at) >= 48 && value.charCodeAt(at) <= 57) at++;
    const digits = Math.min(at - start, 3);
    ms = digitsAt(value, start, digits) * (digits === 1 ? 100 : digits === 2 ? 10 : 1);
  }
  let offsetMinutes = 0;
  const sign = value.charCodeAt(at);
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    offsetMinutes = (digitsAt(value, at + 1, 2) * 60 + digitsAt(value, at + 4, 2)) * (sign === 43 ? 1 : -1);
  }
  const minutes = digitsAt(value, 11, 2) * 60 + digitsAt(value, 14, 2) - offsetMinutes;
  return days * DAY_MS + minutes * 60_000 + seconds * 1000 + ms;
}

export function parseFhirTime(value: unknown): ParsedTime | undefined {
  const precision = precisionOf(value);
  if (precision === undefined) return undefined;
  const epochMs = epochOf(value as string, precision);
  return Number.isFinite(epochMs) ? { epochMs, precision } : undefined;
}

/** Parsed only when precise to the day or better; undefined otherwise. */
export function parseDayPrecise(value: unknown): ParsedTime | undefined {
  const t = parseFhirTime(value);
  return t && (t.precision === 'day' || t.precision === 'time') ? t : undefined;
}

/** Whole UTC days from `fromMs` to `toMs` (day 0 = same UTC calendar day). */
export function wholeDaysBetween(fromMs: number, toMs: number): number {
  return Math.floor(toMs / DAY_MS) - Math.floor(fromMs / DAY_MS);
}

/** Chronological (undated first), then by source: output order never depends on input order. */
export function chronological<T extends { source: string; time?: string; onset?: string }>(a: T, b: T): number {
  const ta = parseFhirTime(a.time ?? a.onset)?.epochMs ?? -Infinity;
  const tb = parseFhirTime(b.time ?? b.onset)?.epochMs ?? -Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

/**
 * Site-local calendar days. Day N counts calendar days in the site's IANA time zone, so a lab drawn
 * at 21:00 in New York is on the same day as one drawn at 08:00 there (UTC counting would split them).
 * Offsets are looked up once per UTC hour and cached: zones change offset on hour boundaries only
 * (every zone in the IANA database does), so a series of 20,000 values costs a few lookups.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();
const MAX_CACHED_HOURS = 100_000;

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isValidTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset of `zone` from UTC at instant `ms`, in ms (local = UTC + offset). */
export function zoneOffsetMs(ms: number, zone: string): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  const hour = Math.floor(ms / HOUR_MS);
  let cache = offsetCache.get(zone);
  if (!cache) offsetCache.set(zone, (cache = new Map<number, number>()));
  const cached = cache.get(hour);
  if (cached !== undefined) return cached;
  const at = hour * HOUR_MS;
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const local = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  const offset = local - at;
  if (cache.size < MAX_CACHED_HOURS) cache.set(hour, offset);
  return offset;
}

/** Calendar day index (days since 1970-01-01) of instant `ms` in `zone`. */
export function localDayIndex(ms: number, zone = 'UTC'): number {
  return Math.floor((ms + zoneOffsetMs(ms, zone)) / DAY_MS);
}

/** Whole calendar days from `fromMs` to `toMs` in `zone` (day 0 = same local calendar day). */
export function localDaysBetween(fromMs: number, toMs: number, zone = 'UTC'): number {
  return localDayIndex(toMs, zone) - localDayIndex(fromMs, zone);
}

/**
 * The IANA zone for a FHIR dateTime's own offset: `Z`/`+00:00` -> `UTC`, whole-hour offsets -> the
 * fixed-offset `Etc/GMT∓h` zone (POSIX sign: UTC-5 is `Etc/GMT+5`). Undefined for date-only values,
 * values without an offset and non-whole-hour offsets (no IANA fixed-offset zone exists for them).
 */
export function zoneFromOffset(value: unknown): string | undefined {
  if (typeof value !== 'string' || precisionOf(value) !== 'time') return undefined;
  if (value.endsWith('Z')) return 'UTC';
  const m = /([+-])(\d{2}):(\d{2})$/.exec(value);
  if (!m) return undefined;
  const hours = Number(m[2]);
  if (m[3] !== '00' || hours > 14) return undefined;
  if (hours === 0) return 'UTC';
  return `Etc/GMT${m[1] === '+' ? '-' : '+'}${hours}`;
}

/** Day index of a FHIR date/dateTime: a date-only value is its own calendar day in every zone. */
export function dayIndexOfTime(value: string, epochMs: number, zone = 'UTC'): number {
  return value.length === 10 ? Math.floor(epochMs / DAY_MS) : localDayIndex(epochMs, zone);
}

/** Day number after an infusion, for a FHIR time string and its parsed instant. */
export type DayOf = (time: string, epochMs: number) => number;

/** The day counter of a timeline: day 0 = the infusion's calendar day in `zone`. */
export function dayCounter(infusionTime: string, infusionEpochMs: number, zone: string): DayOf {
  const day0 = dayIndexOfTime(infusionTime, infusionEpochMs, zone);
  return (time, epochMs) => dayIndexOfTime(time, epochMs, zone) - day0;
}
