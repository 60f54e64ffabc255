/**
 * At most three evidence lines (the issue allows five; three keep the card's buttons on the first
 * screen of a narrow card column): the values that decided the verdict, as the engine reports them (the
 * ferritin course, the specific signs, the met key and core criteria of the rule that fired, the worst
 * organ value), then the CRS course. No tables: the full evidence lives in the timeline app.
 */
import type { CriterionResult, Evaluation, Tier } from '../criteria/types.js';
import type { Analyte, LabValue } from '../features/types.js';
import { formatDay } from './format.js';
import { criteriaOf, firedAssessmentId, isSignCriterion, latestFerritin, worstOrgan } from './keyValues.js';
import { courseText, labLine } from './labText.js';
import { escapeMarkdown } from './markdown.js';

export const MAX_EVIDENCE_LINES = 3;

const ROLE_RANK: Record<string, number> = { key: 0, core: 1, supportive: 3, timing: 4, exclusion: 5 };

/** Met criteria of one set, specific signs first, then key, core, the rest. */
function decisive(criteria: CriterionResult[], evaluation: Evaluation): CriterionResult[] {
  const rank = (c: CriterionResult): number => (isSignCriterion(c, evaluation) ? -1 : ROLE_RANK[c.role ?? 'core'] ?? 2);
  return criteria.filter((c) => c.status === 'met' && c.role !== 'supportive' && c.role !== 'exclusion').sort((a, b) => rank(a) - rank(b));
}

function crsLine(evaluation: Evaluation): string | undefined {
  const episode = evaluation.timeline.crsEpisodes.at(-1);
  if (!episode) return undefined;
  const grade = episode.grade !== undefined ? ` grade ${episode.grade}` : '';
  const onset = episode.onsetDay !== undefined ? ` from day ${episode.onsetDay}` : '';
  const end = episode.active ? ', still active' : episode.abatementDay !== undefined ? `, resolved day ${episode.abatementDay}` : ', resolved';
  return `CRS${grade}${onset}${end}`;
}

function hemophagocytosisLine(evaluation: Evaluation): string | undefined {
  const finding = evaluation.timeline.diagnoses.filter((d) => d.kind === 'hemophagocytosis').at(-1);
  if (!finding) return undefined;
  const how = finding.basis === 'text' ? 'pathology report text' : 'coded finding';
  return `Hemophagocytosis reported (${how}, day ${formatDay(finding.day)})`;
}

/** Flagged by its own reference range (display choice only; the criterion already decided). */
function outOfRange(value: LabValue): boolean {
  return (value.high !== undefined && value.value > value.high) || (value.low !== undefined && value.value < value.low);
}

export function evidenceLines(evaluation: Evaluation, tier: Tier): string[] {
  const { timeline } = evaluation;
  const lines: string[] = [];
  const seen = new Set<Analyte>();
  const addLab = (value: LabValue | undefined, direction?: string): void => {
    if (!value || seen.has(value.analyte)) return;
    seen.add(value.analyte);
    lines.push(labLine(value, timeline, direction));
  };
  addLab(latestFerritin(evaluation), evaluation.ferritinCourse ? courseText(evaluation.ferritinCourse) : undefined);

  const alert = tier === 'critical' || tier === 'warning';
  const signs = evaluation.picture?.specificSigns ?? [];
  const sets = alert ? [firedAssessmentId(evaluation)] : ['astct-iec-hs'];
  const finding = signs.includes('hemophagocytosis') ? hemophagocytosisLine(evaluation) : undefined;
  if (finding) lines.push(escapeMarkdown(finding));
  // The worst organ value sets critical vs warning: it comes before the other criteria's values.
  if (tier === 'critical') addLab(worstOrgan(evaluation)?.value);
  for (const criterion of sets.flatMap((id) => decisive(criteriaOf(evaluation, id), evaluation))) {
    // The value that decided the criterion: its first value outside the reference range, else its first value.
    const values = criterion.evidence.flatMap((e) => (e.value ? [e.value] : []));
    addLab(values.find(outOfRange) ?? values[0]);
  }
  if (alert || evaluation.picture?.watchReasons.includes('organ-value') || (!evaluation.picture && evaluation.severeOrganDysfunction)) {
    addLab(worstOrgan(evaluation)?.value);
  }
  const crs = alert ? crsLine(evaluation) : undefined;
  if (crs) lines.push(escapeMarkdown(crs));
  return lines.slice(0, MAX_EVIDENCE_LINES);
}
