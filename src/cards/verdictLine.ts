/**
 * The first line of a patient-view detail: what the engine concluded, on which day after which
 * therapy, the latest key values with their direction, and which rule fired. Never an IEC-HS grade.
 */
import type { Evaluation, Tier } from '../criteria/types.js';
import type { LabValue } from '../features/types.js';
import { ANALYTE_LABEL, formatLab } from './format.js';
import { firedAssessmentId, latestFerritin, specificSignValue, worstOrgan } from './keyValues.js';
import { courseArrow, directionWord, previousValue } from './labText.js';
import { escapeMarkdown } from './markdown.js';
import { overlapsCrs } from './tier.js';
import { assessmentName, dayPhrase, isTCellEngager, productMarkdown, syndrome } from './wording.js';

/** `Possible IEC-HS`, `HLH-like features overlapping active CRS`... in bold, markdown. */
function headline(evaluation: Evaluation, tier: Tier): string {
  const name = syndrome(evaluation);
  const organ = worstOrgan(evaluation);
  if (tier === 'critical' || tier === 'warning') {
    const severity = tier === 'critical' ? ` with severe organ dysfunction${organ ? ` (grade ${organ.grade} ${ANALYTE_LABEL[organ.analyte]})` : ''}` : '';
    if (isTCellEngager(evaluation)) {
      const overlap = overlapsCrs(evaluation) ? ': HLH-like features overlapping active CRS' : '';
      return `**Possible ${name} after T-cell engager therapy${productMarkdown(evaluation) ? ` (${productMarkdown(evaluation)})` : ''}${severity}${overlap}**`;
    }
    // Overlap leads with what the clinician sees (CRS still active) and keeps the syndrome's name.
    return `**${overlapsCrs(evaluation) ? `HLH-like features overlapping active CRS (possible ${name})` : `Possible ${name}`}${severity}**`;
  }
  return `**${name} watch**`;
}

/** `day 11 after CAR-T (axi-cel)`; T-cell engager alerts name therapy and product in the headline. */
function when(evaluation: Evaluation, tier: Tier): string {
  const { infusion, dayNow } = evaluation.timeline;
  const tce = isTCellEngager(evaluation);
  const phrase = tce && (tier === 'critical' || tier === 'warning') ? `day ${dayNow ?? '?'}` : escapeMarkdown(dayPhrase(evaluation));
  const product = tce ? undefined : productMarkdown(evaluation);
  const weak = infusion?.strength === 'weak' ? 'infusion inferred from an order or diagnosis' : undefined;
  const extra = [product, weak].filter(Boolean);
  return `${phrase}${extra.length ? ` (${extra.join('; ')})` : ''}`;
}

/** `fibrinogen 140 mg/dL ↓ down`: the previous values are on the evidence lines right below. */
function valueWithDirection(value: LabValue, evaluation: Evaluation): string {
  const ferritinCourse = value.analyte === 'ferritin' ? evaluation.ferritinCourse : undefined;
  const direction = ferritinCourse ? courseArrow(ferritinCourse) : directionWord(value, previousValue(evaluation.timeline.labs[value.analyte], value));
  return `${ANALYTE_LABEL[value.analyte]} ${formatLab(value)}${direction ? ` ${direction}` : ''}`;
}

/** The key values: ferritin with the engine's course, the first specific sign, the worst organ value. */
function keyValues(evaluation: Evaluation): string[] {
  const out: string[] = [];
  const seen = new Set<LabValue['analyte']>();
  for (const value of [latestFerritin(evaluation), specificSignValue(evaluation), worstOrgan(evaluation)?.value]) {
    if (value && !seen.has(value.analyte)) {
      seen.add(value.analyte);
      out.push(valueWithDirection(value, evaluation));
    }
  }
  return out.map(escapeMarkdown);
}

export function verdictLine(evaluation: Evaluation, tier: Tier): string {
  const values = keyValues(evaluation);
  const head = `${headline(evaluation, tier)}, ${when(evaluation, tier)}${values.length ? `: ${values.join(', ')}` : ''}.`;
  if (tier !== 'critical' && tier !== 'warning') return head;
  const fired = firedAssessmentId(evaluation);
  const others = evaluation.assessments.filter((a) => a.id !== fired && a.status === 'met').map((a) => assessmentName(a.id, evaluation));
  return `${head} Met: ${assessmentName(fired, evaluation)}${others.length ? `; also ${others.join(', ')}` : ''}.`;
}
