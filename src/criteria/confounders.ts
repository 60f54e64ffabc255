/**
 * Confounders: other causes the IEC-HS picture is weighed against (docs/clinical-basis.md#astct "after other
 * causes (infection, disease progression) have been considered"). They never change a criteria set's
 * result or the card tier (the syndrome can coexist with infection); the card names them.
 *
 * Only active diagnoses dated to the day count, inside a local-rule window per kind:
 * - infection: from `confounder.infection.daysBeforeInfusion` days before the infusion up to now;
 * - relapse: from `confounder.relapse.fromDay` after the infusion (earlier "in relapse" codes are
 *   the indication for CAR-T).
 * An undated code cannot be placed relative to the infusion and is left out.
 */
import type { Diagnosis } from '../features/types.js';
import { parseFhirTime } from '../features/time.js';
import type { CriteriaContext } from './context.js';

export function findConfounders(ctx: CriteriaContext, watched: boolean): Diagnosis[] {
  if (!watched || ctx.infusionMs === undefined) return [];
  const fromDay = {
    infection: -ctx.t['confounder.infection.daysBeforeInfusion'],
    relapse: ctx.t['confounder.relapse.fromDay'],
  } as const;
  const found: { diagnosis: Diagnosis; at: number }[] = [];
  for (const d of ctx.timeline.diagnoses ?? []) {
    if ((d.kind !== 'infection' && d.kind !== 'relapse') || !d.active || d.day === undefined || d.day < fromDay[d.kind]) continue;
    const at = parseFhirTime(d.time)?.epochMs;
    if (at !== undefined && at <= ctx.nowMs) found.push({ diagnosis: d, at });
  }
  // Chronological, so the card names the earliest record of each kind first.
  return found.sort((a, b) => a.at - b.at).map((f) => f.diagnosis);
}
