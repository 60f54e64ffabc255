/**
 * Unit conversion to each analyte's canonical unit with @lhncbc/ucum-lhc (docs/terminology.md#ucum).
 *
 * - Non-UCUM spellings are mapped explicitly first (analyteUnits.ts); nothing else is guessed: a unit
 *   UCUM cannot convert gives a failure result with the reason.
 * - ucum-lhc is asked once per (target, unit spelling). Every UCUM conversion is affine (x*a + b;
 *   b is non-zero only for temperatures), so the two coefficients are cached after being checked on a
 *   third point; failures are cached too. Per value the cost is one Map lookup and one multiply.
 * - Results are rounded to 12 significant digits, which removes float noise such as 249.99999999999997.
 */
import ucum from '@lhncbc/ucum-lhc';
import type { Analyte } from './analytes.js';
import { ANALYTE_UNITS, SHARED_UNIT_ALIASES, type UnitTarget } from './analyteUnits.js';

export type Conversion = { ok: true; value: number; unit: string } | { ok: false; reason: string };

type Affine = { ok: true; a: number; b: number } | { ok: false; reason: string };

const utils = ucum.UcumLhcUtils.getInstance();
const cacheByTarget = new Map<UnitTarget, Map<string, Affine>>();
/** Bounds memory if a feed sends endless distinct junk spellings. */
const MAX_CACHED_SPELLINGS = 5_000;

/**
 * Round to 12 significant digits: float noise goes, real precision stays. `magnitude` (default |x|)
 * sets the scale: for an affine conversion it is the largest term, since 32 [degF] -> Cel cancels two
 * ~17.8 terms and leaves noise of that order, not of the (zero) result's.
 */
export function roundSignificant(x: number, digits = 12, magnitude = Math.abs(x)): number {
  if (x === 0 || !Number.isFinite(x) || magnitude === 0) return x;
  const power = digits - 1 - Math.floor(Math.log10(magnitude));
  if (power >= 0) {
    const scale = pow10(power);
    return Math.round(x * scale) / scale;
  }
  const step = pow10(-power);
  return Math.round(x / step) * step;
}

/** Exact powers of ten 10^0..10^22 from a table (Math.pow is slower and the hot path calls this). */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
function pow10(n: number): number {
  return POW10[n] ?? 10 ** n;
}

/** The UCUM spelling for what a lab sent: analyte aliases, then shared aliases, else as sent. */
export function toUcumSpelling(raw: string, target: UnitTarget): string {
  // Micro written as the micro sign (U+00B5) or Greek mu (U+03BC) is UCUM's "u"; "mc" ("mcg") is too.
  const trimmed = raw.trim().replace(/[\u00b5\u03bc]/g, 'u');
  const key = trimmed.toLowerCase().replace(/\s+/g, ' ');
  return target.aliases?.[key] ?? SHARED_UNIT_ALIASES[key] ?? trimmed;
}

function ucumConvert(from: string, value: number, target: UnitTarget): number | string {
  const options = target.molecularWeight ? { molecularWeight: target.molecularWeight } : undefined;
  try {
    const r = utils.convertUnitTo(from, value, target.unit, options);
    if (r.status === 'succeeded' && typeof r.toVal === 'number' && Number.isFinite(r.toVal)) return r.toVal;
    return r.msg.join(' ') || `cannot convert ${from} to ${target.unit}`;
  } catch (e) {
    // ucum-lhc reports failures in its result; a throw here is unexpected but must not escape.
    return `cannot convert ${from} to ${target.unit}: ${(e as Error).message}`;
  }
}

function resolveAffine(raw: string, target: UnitTarget): Affine {
  const spelled = toUcumSpelling(raw, target);
  if (spelled === '') {
    return target.unitOptional ? { ok: true, a: 1, b: 0 } : { ok: false, reason: 'no unit given' };
  }
  if (target.onlyUnits) {
    return target.onlyUnits.includes(spelled)
      ? { ok: true, a: 1, b: 0 }
      : { ok: false, reason: `unit "${raw}" is not an accepted unit for ${target.unit}` };
  }
  const f0 = ucumConvert(spelled, 0, target);
  const f1 = ucumConvert(spelled, 1, target);
  const f2 = ucumConvert(spelled, 2, target);
  if (typeof f1 === 'string') return { ok: false, reason: f1 };
  if (typeof f0 === 'string' || typeof f2 === 'string') return { ok: false, reason: `conversion of ${raw} not affine` };
  const a = f1 - f0;
  if (a === 0 || Math.abs(f2 - (2 * a + f0)) > 1e-9 * Math.max(1, Math.abs(f2))) {
    return { ok: false, reason: `conversion of ${raw} to ${target.unit} is not affine` };
  }
  return { ok: true, a, b: f0 };
}

function affineFor(raw: string | undefined, target: UnitTarget): Affine {
  const spelling = raw ?? '';
  let cache = cacheByTarget.get(target);
  if (!cache) cacheByTarget.set(target, (cache = new Map<string, Affine>()));
  let affine = cache.get(spelling);
  if (!affine) {
    affine = resolveAffine(spelling, target);
    if (cache.size < MAX_CACHED_SPELLINGS) cache.set(spelling, affine);
  }
  return affine;
}

/**
 * Hot path: `value` in unit spelling `raw` converted to `target.unit`, or NaN when it cannot be
 * converted (ask `conversionFailure` why). No allocation after the first call per spelling.
 */
export function convertNumber(value: number, raw: string | undefined, target: UnitTarget): number {
  if (!Number.isFinite(value)) return Number.NaN;
  const affine = affineFor(raw, target);
  if (!affine.ok) return Number.NaN;
  if (affine.a === 1 && affine.b === 0) return value; // identity: nothing to round
  const scaled = value * affine.a;
  const magnitude = Math.max(Math.abs(scaled), Math.abs(affine.b));
  return roundSignificant(scaled + affine.b, 12, magnitude) + 0;
}

/** Why `raw` does not convert to `target.unit` (undefined when it does). */
export function conversionFailure(raw: string | undefined, target: UnitTarget): string | undefined {
  const affine = affineFor(raw, target);
  return affine.ok ? undefined : affine.reason;
}

/** Convert `value` in unit spelling `raw` (UCUM or a known alias) to `target.unit`. */
export function convertTo(value: number, raw: string | undefined, target: UnitTarget): Conversion {
  if (!Number.isFinite(value)) return { ok: false, reason: 'value is not a finite number' };
  const converted = convertNumber(value, raw, target);
  if (Number.isNaN(converted)) return { ok: false, reason: conversionFailure(raw, target) ?? 'not convertible' };
  return { ok: true, value: converted, unit: target.unit };
}

/** Convert to the analyte's canonical unit (the alternate family, if any, is not tried). */
export function convertForAnalyte(analyte: Analyte, value: number, raw: string | undefined): Conversion {
  return convertTo(value, raw, ANALYTE_UNITS[analyte].canonical);
}

export const CANONICAL_UNIT: Readonly<Record<Analyte, string>> = Object.fromEntries(
  Object.entries(ANALYTE_UNITS).map(([analyte, spec]) => [analyte, spec.canonical.unit]),
) as Record<Analyte, string>;
