/**
 * Measured organ dysfunction, which sets the card's severity tier (never an IEC-HS grade): CTCAE v5
 * grade of the latest value per organ lab inside the lookback window, and whether any liver, kidney or
 * coagulation lab reaches grade >= severity.minGrade or fibrinogen is below the critical threshold.
 * Cytopenias are graded and shown but do not count: they are expected after lymphodepletion.
 */
import type { Analyte } from '../features/types.js';
import { compareValue } from './censored.js';
import type { CriteriaContext } from './context.js';
import { ctcaeGrade, GRADED_ANALYTES } from './ctcae.js';
import type { OrganGrade } from './types.js';

/** Labs whose CTCAE grade sets the card tier (liver, kidney, coagulation). */
export const SEVERITY_ANALYTES: ReadonlySet<Analyte> = new Set<Analyte>(['ast', 'alt', 'bilirubinTotal', 'creatinine', 'inr', 'aptt', 'fibrinogen']);

export function organGrades(ctx: CriteriaContext): OrganGrade[] {
  const grades: OrganGrade[] = [];
  for (const analyte of GRADED_ANALYTES) {
    const view = ctx.series(analyte);
    const latest = view.recent[view.recent.length - 1];
    if (!latest) continue;
    const graded = ctcaeGrade(analyte, latest, view.baseline, ctx.t);
    if (graded) grades.push({ analyte, grade: graded.grade, value: latest, threshold: graded.rule });
  }
  return grades.sort((a, b) => b.grade - a.grade);
}

export function severeOrganDysfunction(ctx: CriteriaContext, grades: readonly OrganGrade[]): boolean {
  if (grades.some((g) => SEVERITY_ANALYTES.has(g.analyte) && g.grade >= ctx.t['severity.minGrade'])) return true;
  const fibrinogen = ctx.series('fibrinogen').recent.at(-1);
  return fibrinogen !== undefined && compareValue(fibrinogen, '<', ctx.t['severity.fibrinogenCritical']) === true;
}
