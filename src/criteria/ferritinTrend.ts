/**
 * Ferritin trend rules (local rules: no published numbers, see the threshold table):
 * - "rapidly rising": a rise of at least `fraction` between two results at most `windowMs` apart,
 *   both above their own ULN;
 * - "worsening after initial improvement": after a post-infusion peak, a fall of at least
 *   `improvementFraction` (the nadir), then a rise of at least `reboundFraction` above the nadir to a
 *   value above ULN (when the result carries a reference range).
 * Both run in one pass over an ascending series. A censored result only takes a role its censoring
 * cannot undo: ">100000" can be the high end of a rise, never its low end.
 */
import type { LabValue } from '../features/types.js';
import { censoredAway } from './censored.js';

const aboveUln = (v: LabValue): boolean => v.high !== undefined && v.value > v.high;

export interface RapidRise {
  from: LabValue;
  to: LabValue;
  /** to / from. */
  ratio: number;
}

/** The most recent qualifying rise, compared with the lowest eligible value inside its window. */
export function findRapidRise(values: readonly LabValue[], fraction: number, windowMs: number): RapidRise | undefined {
  // Monotonic deque of eligible values: front is the minimum inside the sliding window.
  const deque: LabValue[] = [];
  let head = 0;
  let found: RapidRise | undefined;
  for (const v of values) {
    if (!aboveUln(v)) continue;
    for (let front = deque[head]; front && front.epochMs < v.epochMs - windowMs; front = deque[head]) head++;
    const lowest = deque[head];
    // A rise is proven only when the later value cannot be lower ("<x") than reported.
    if (lowest && !censoredAway(v, 'low') && lowest.epochMs < v.epochMs && lowest.value > 0 && v.value >= lowest.value * (1 + fraction)) {
      found = { from: lowest, to: v, ratio: v.value / lowest.value };
    }
    // ...and the earlier value cannot be higher (">x") than reported.
    if (censoredAway(v, 'high')) continue;
    for (let back = deque.at(-1); deque.length > head && back && back.value >= v.value; back = deque.at(-1)) deque.pop();
    deque.push(v);
  }
  return found;
}

export interface Rebound {
  peak: LabValue;
  nadir: LabValue;
  rebound: LabValue;
}

/** First peak -> nadir -> rebound sequence, or undefined. */
export function findRebound(values: readonly LabValue[], improvementFraction: number, reboundFraction: number): Rebound | undefined {
  let peak: LabValue | undefined;
  let nadir: LabValue | undefined;
  for (const v of values) {
    const mayBeLower = censoredAway(v, 'low');
    const mayBeHigher = censoredAway(v, 'high');
    if (!peak) {
      if (!mayBeLower) peak = v;
    } else if (!nadir) {
      if (v.value > peak.value) {
        if (!mayBeLower) peak = v;
      } else if (!mayBeHigher && v.value <= peak.value * (1 - improvementFraction)) nadir = v;
    } else if (v.value < nadir.value) {
      if (!mayBeHigher) nadir = v;
    } else if (!mayBeLower && v.value >= nadir.value * (1 + reboundFraction) && (v.high === undefined || v.value > v.high)) {
      return { peak, nadir, rebound: v };
    }
  }
  return undefined;
}
