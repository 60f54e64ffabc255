/**
 * Reading one numeric result out of an Observation (or one of its components): the value with its
 * comparator and unit spellings, and the reference range, both converted to the analyte's unit.
 */
import type { Observation, ObservationComponent, ObservationReferenceRange, Quantity } from 'fhir/r4';
import type { LabValue } from './types.js';
import { conversionFailure, convertNumber, type UnitTarget } from '../terminology/index.js';
import { arrayOf, isObject } from './fhir.js';

export type Comparator = NonNullable<LabValue['comparator']>;

export interface RawMeasurement {
  value: number;
  comparator?: Comparator;
  /** Unit spellings to try, UCUM code first (docs/terminology.md#units). */
  unitCode?: string;
  unitText?: string;
}

const COMPARATORS: Readonly<Record<string, Comparator>> = { '<': '<', '<=': '<=', '>=': '>=', '>': '>', '≤': '<=', '≥': '>=' };

/** "<5", ">= 100,000", "12.5 mg/dL", "1,234": comparator, number (thousands commas allowed), unit. */
const NUMERIC_TEXT = /^\s*(<=|>=|<|>|≤|≥)?\s*([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)\s*(.*?)\s*$/;

export function parseNumericText(text: string): RawMeasurement | undefined {
  const m = NUMERIC_TEXT.exec(text);
  if (!m) return undefined;
  const number = m[2] ?? '';
  const value = Number(number.replaceAll(',', ''));
  if (number === '' || !Number.isFinite(value)) return undefined;
  const out: RawMeasurement = { value };
  const comparator = m[1] === undefined ? undefined : COMPARATORS[m[1]];
  if (comparator) out.comparator = comparator;
  if (m[3]) out.unitText = m[3];
  return out;
}

type ValueHolder = Pick<Observation, 'valueQuantity' | 'valueString' | 'valueInteger'> | ObservationComponent;

/** A measurement as `readMeasurement` writes it: every field present (undefined where absent). */
export interface MeasurementRecord {
  value: number;
  comparator: Comparator | undefined;
  unitCode: string | undefined;
  unitText: string | undefined;
}

/**
 * Writes the holder's measurement into `out` (a scratch record reused for every value: one object
 * fewer per value) and returns true; `undefined` = no value at all (e.g. dataAbsentReason); a
 * string = a value we could not read.
 */
export function readMeasurement(holder: ValueHolder, out: MeasurementRecord): true | string | undefined {
  const q = holder.valueQuantity;
  if (isObject(q)) {
    if (typeof q.value !== 'number' || !Number.isFinite(q.value)) return 'valueQuantity without a numeric value';
    let comparator: Comparator | undefined;
    if (q.comparator !== undefined) {
      comparator = COMPARATORS[q.comparator as string];
      if (!comparator) return `unknown comparator "${String(q.comparator)}"`;
    }
    out.value = q.value;
    out.comparator = comparator;
    out.unitCode = typeof q.code === 'string' && q.code.trim() !== '' ? q.code : undefined;
    out.unitText = typeof q.unit === 'string' && q.unit.trim() !== '' ? q.unit : undefined;
    return true;
  }
  if (typeof holder.valueString === 'string') {
    const parsed = parseNumericText(holder.valueString);
    if (!parsed) return `non-numeric result "${holder.valueString.slice(0, 40)}"`;
    out.value = parsed.value;
    out.comparator = parsed.comparator;
    out.unitCode = undefined;
    out.unitText = parsed.unitText;
    return true;
  }
  if (typeof holder.valueInteger === 'number' && Number.isFinite(holder.valueInteger)) {
    out.value = holder.valueInteger;
    out.comparator = undefined;
    out.unitCode = undefined;
    out.unitText = undefined;
    return true;
  }
  return undefined;
}

/**
 * Convert with the UCUM code, then the unit text, then (no unit at all) `fallbackUnit`. NaN when none
 * converts; `measurementFailure` says why.
 */
export function convertMeasurement(
  value: number,
  unitCode: string | undefined,
  unitText: string | undefined,
  fallbackUnit: string | undefined,
  target: UnitTarget,
): number {
  if (unitCode === undefined && unitText === undefined) return convertNumber(value, fallbackUnit, target);
  if (unitCode !== undefined) {
    const r = convertNumber(value, unitCode, target);
    if (!Number.isNaN(r)) return r;
  }
  return unitText === undefined ? Number.NaN : convertNumber(value, unitText, target);
}

export function measurementFailure(unit: string | undefined, target: UnitTarget): string {
  return conversionFailure(unit, target) ?? 'not convertible';
}

function quantityUnit(q: Quantity | undefined): string | undefined {
  if (!isObject(q)) return undefined;
  const code = q.code;
  if (typeof code === 'string' && code.trim() !== '') return code;
  const unit = q.unit;
  return typeof unit === 'string' && unit.trim() !== '' ? unit : undefined;
}

/** A unit a referenceRange states, for a value sent without one (valueString "<5"). */
export function rangeUnit(ranges: ObservationReferenceRange[] | undefined): string | undefined {
  for (const r of arrayOf(ranges)) {
    if (!isObject(r)) continue;
    const u = quantityUnit(r.low) ?? quantityUnit(r.high);
    if (u) return u;
  }
  return undefined;
}

function isNormalRange(r: ObservationReferenceRange): boolean {
  const type = r.type;
  if (!isObject(type)) return true;
  const codings = arrayOf(type.coding);
  return codings.some((c) => c?.code === 'normal') || codings.length === 0;
}

const RANGE_TEXT = /^\s*([+-]?\d+(?:\.\d+)?)\s*(?:-|–|to)\s*([+-]?\d+(?:\.\d+)?)\s*(.*?)\s*$/;

function limitsFromText(text: string): { low?: number; high?: number; unit?: string } | undefined {
  const m = RANGE_TEXT.exec(text);
  if (m) return { low: Number(m[1]), high: Number(m[2]), ...(m[3] ? { unit: m[3] } : {}) };
  const single = parseNumericText(text);
  if (!single?.comparator) return undefined;
  const unit = single.unitText ? { unit: single.unitText } : {};
  return single.comparator.startsWith('<') ? { high: single.value, ...unit } : { low: single.value, ...unit };
}

/** Reference limits in the target unit, NaN where absent; filled in place by `resultLimits`. */
export interface Limits {
  low: number;
  high: number;
}

/**
 * The result's own range in the target unit: the first "normal" (or untyped) range with a usable
 * limit. A limit without a unit is taken to be in the value's unit. False when there is none, or
 * when a stated limit cannot be converted (then the documented default applies). Writes into `out`
 * (NaN = that limit absent) so the per-value hot path allocates nothing.
 */
export function resultLimits(
  ranges: ObservationReferenceRange[] | undefined,
  valueUnit: string | undefined,
  target: UnitTarget,
  out: Limits,
): boolean {
  if (!Array.isArray(ranges)) return false;
  // Each field is read once into a local: input objects come in many shapes, so every property
  // read here is a generic (megamorphic) lookup.
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i];
    if (!isObject(r) || !isNormalRange(r)) continue;
    let low = Number.NaN;
    let high = Number.NaN;
    const lowQ = r.low;
    const highQ = r.high;
    const lowRaw = isObject(lowQ) ? lowQ.value : undefined;
    const highRaw = isObject(highQ) ? highQ.value : undefined;
    const lowValue = typeof lowRaw === 'number' ? lowRaw : undefined;
    const highValue = typeof highRaw === 'number' ? highRaw : undefined;
    let hasLow = lowValue !== undefined;
    let hasHigh = highValue !== undefined;
    if (lowValue !== undefined) low = convertNumber(lowValue, quantityUnit(lowQ) ?? valueUnit, target);
    if (highValue !== undefined) high = convertNumber(highValue, quantityUnit(highQ) ?? valueUnit, target);
    if (!hasLow && !hasHigh && typeof r.text === 'string') {
      const t = limitsFromText(r.text);
      hasLow = t?.low !== undefined;
      hasHigh = t?.high !== undefined;
      if (t?.low !== undefined) low = convertNumber(t.low, t.unit ?? valueUnit, target);
      if (t?.high !== undefined) high = convertNumber(t.high, t.unit ?? valueUnit, target);
    }
    if (!hasLow && !hasHigh) continue;
    // A stated limit that cannot be converted makes the whole range unusable (default applies).
    if ((hasLow && Number.isNaN(low)) || (hasHigh && Number.isNaN(high))) return false;
    out.low = hasLow ? low : Number.NaN;
    out.high = hasHigh ? high : Number.NaN;
    return true;
  }
  return false;
}
