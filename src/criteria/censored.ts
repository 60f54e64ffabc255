/**
 * Comparing censored results ("<5", ">100000") with cut-offs. A censored value stands for an interval:
 * ">100000" is some number above 100,000, "<150" some number below 150. A rule is met only when every
 * number in that interval meets it, not met only when none does, and otherwise cannot be judged.
 * So ">100000" ferritin satisfies "> 10,000", "<150" fibrinogen satisfies "< 150", and "<5" never
 * satisfies "> 2x ULN" (an uncensored value is the one-point interval and compares as usual).
 */
import type { LabValue } from '../features/types.js';

export type Comparison = '>' | '>=' | '<' | '<=';

/** true = met whatever the true value is; false = not met whatever it is; undefined = cannot tell. */
export type Verdict = boolean | undefined;

export function compareValue(v: Pick<LabValue, 'value' | 'comparator'>, op: Comparison, cut: number): Verdict {
  const c = v.comparator;
  const lo = c === '<' || c === '<=' ? Number.NEGATIVE_INFINITY : v.value;
  const hi = c === '>' || c === '>=' ? Number.POSITIVE_INFINITY : v.value;
  const loOpen = c === '>';
  const hiOpen = c === '<';
  switch (op) {
    case '>':
      return lo > cut || (loOpen && lo >= cut) ? true : hi <= cut ? false : undefined;
    case '>=':
      return lo >= cut ? true : hi < cut || (hiOpen && hi <= cut) ? false : undefined;
    case '<':
      return hi < cut || (hiOpen && hi <= cut) ? true : lo >= cut ? false : undefined;
    case '<=':
      return hi <= cut ? true : lo > cut || (loOpen && lo >= cut) ? false : undefined;
  }
}

/** A censored value whose true value may lie further in the direction a rule looks (">" for highs). */
export function censoredAway(v: Pick<LabValue, 'comparator'>, direction: 'high' | 'low'): boolean {
  const c = v.comparator;
  return direction === 'high' ? c === '>' || c === '>=' : c === '<' || c === '<=';
}

/** `>` / `<` prefix for ratios computed from a censored value ("> 124x ULN"), empty otherwise. */
export function ratioPrefix(v: Pick<LabValue, 'comparator'>): string {
  const c = v.comparator;
  return c === '>' || c === '>=' ? '>' : c === '<' || c === '<=' ? '<' : '';
}

/**
 * Lower and upper bounds of the true value, for banded scores: the reported number, nudged just past
 * it for strict comparators so a band edge ("> 6,000") is judged on the right side.
 */
export function valueBounds(v: Pick<LabValue, 'value' | 'comparator'>): { lo: number; hi: number } {
  // A few units in the last place: enough to land on the far side of a band edge, nothing more.
  const nudge = Math.max(Math.abs(v.value), 1) * Number.EPSILON * 4;
  switch (v.comparator) {
    case '>':
      return { lo: v.value + nudge, hi: Number.POSITIVE_INFINITY };
    case '>=':
      return { lo: v.value, hi: Number.POSITIVE_INFINITY };
    case '<':
      return { lo: Number.NEGATIVE_INFINITY, hi: v.value - nudge };
    case '<=':
      return { lo: Number.NEGATIVE_INFINITY, hi: v.value };
    default:
      return { lo: v.value, hi: v.value };
  }
}

export interface AnyValueResult {
  /** true: some value meets the rule; false: every value fails it; undefined: not decidable. */
  verdict: Verdict;
  /** The value to show: the most extreme one meeting the rule, else an undecidable censored one, else the worst. */
  value?: LabValue;
}

/**
 * "Does any of these values meet `op cut`?", censoring-aware. `cut` may depend on the value (k x its
 * own ULN); a value without a cut (no reference range) is skipped. The worst value is the highest for
 * `>`/`>=` and the lowest for `<`/`<=`.
 */
export function anyValue(values: readonly LabValue[], op: Comparison, cut: number | ((v: LabValue) => number | undefined)): AnyValueResult {
  const high = op === '>' || op === '>=';
  const extreme = (a: LabValue | undefined, b: LabValue, key: (v: LabValue) => number): LabValue =>
    !a || (high ? key(b) > key(a) : key(b) < key(a)) ? b : a;
  let met: LabValue | undefined;
  let undecided: LabValue | undefined;
  let worst: LabValue | undefined;
  // Values are ranked by their distance past the cut (ratio), so "k x own ULN" picks the highest ratio.
  const cutOf = (v: LabValue): number | undefined => (typeof cut === 'number' ? cut : cut(v));
  const rank = (v: LabValue): number => {
    const c = cutOf(v);
    return c !== undefined && c > 0 && typeof cut !== 'number' ? v.value / c : v.value;
  };
  for (const v of values) {
    const c = cutOf(v);
    if (c === undefined || !Number.isFinite(v.value)) continue;
    const verdict = compareValue(v, op, c);
    if (verdict === true) met = extreme(met, v, rank);
    else if (verdict === undefined) undecided = extreme(undecided, v, rank);
    else worst = extreme(worst, v, rank);
  }
  if (met) return { verdict: true, value: met };
  if (undecided) return { verdict: undefined, value: undecided };
  return { verdict: worst ? false : undefined, value: worst };
}
