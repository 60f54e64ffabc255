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

export type Precision = 'year' | 'month' | 'day' | 'time';

export interface ParsedTime {
  epochMs: number;
  precision: Precision;
}

export const DAY_MS = 86_400_000;

/** FHIR date/dateTime (validated once with test(), which allocates nothing). */
const FHIR_DATETIME =
  /^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01])(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)?)?)?)?$/;

/** Precision of a valid FHIR date/dateTime string, undefined when it is not one. */
export function precisionOf(value: unknown): Precision | undefined {
  if (typeof value !== 'string' || !FHIR_DATETIME.test(value)) return undefined;
  return value.length === 4 ? 'year' : value.length === 7 ? 'month' : value.length === 10 ? 'day' : 'time';
}

/** Epoch ms of a string `precisionOf` accepted; NaN if the calendar rejects it. */
export function epochOf(value: string, precision: Precision): number {
  switch (precision) {
    case 'year':
      return Date.UTC(Number(value), 0, 1);
    case 'month':
      return Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, 1);
    case 'day':
      return Date.parse(value); // date-only ISO strings are UTC by the ECMAScript spec
    case 'time': {
      const last = value.charCodeAt(value.length - 1);
      const zoned = last === 90 /* Z */ || value.charCodeAt(value.length - 6) === 43 || value.charCodeAt(value.length - 6) === 45;
      return Date.parse(zoned ? value : `${value}Z`);
    }
  }
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
