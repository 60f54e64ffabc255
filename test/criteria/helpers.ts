import { createContext } from '../../src/criteria/context.js';
import { resolveThresholds } from '../../src/criteria/thresholds.js';
import type { Assessment, CriterionResult } from '../../src/criteria/types.js';
import type { PatientTimeline } from '../../src/features/types.js';
import type { CriteriaContext } from '../../src/criteria/context.js';

export function run(assess: (ctx: CriteriaContext) => Assessment, tl: PatientTimeline, overrides: Record<string, number> = {}): Assessment {
  return assess(createContext(tl, resolveThresholds(overrides)));
}

export function criterionOf(assessment: Assessment, id: string): CriterionResult {
  const found = assessment.criteria.find((c) => c.id === id);
  if (!found) throw new Error(`no criterion ${id} in ${assessment.id}`);
  return found;
}
