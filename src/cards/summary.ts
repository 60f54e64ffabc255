/**
 * Card summaries: one plain-text sentence under 140 characters (CDS Hooks; Inferno flags >= 140) that a
 * clinician understands at a glance: what, which day after which therapy, the latest key value and its
 * direction.
 */
import type { Evaluation } from '../criteria/types.js';
import type { Analyte } from '../features/types.js';
import { confounderSummaryPhrase } from './confounders.js';
import { ANALYTE_LABEL, formatLab, listWithMore } from './format.js';
import { ferritinPhrase, latestFerritin, organPhrase, specificSignValue, worstOrgan } from './keyValues.js';
import { overlapsCrs } from './tier.js';
import { dayPhrase, isTCellEngager, productName, syndrome } from './wording.js';

export const SUMMARY_MAX_CHARS = 139;

/** Joins the required part with as many optional parts as fit; cuts hard (with an ellipsis) as a last resort. */
export function fitSummary(required: string, optional: string[] = []): string {
  let text = required;
  for (const part of optional) {
    if ((text + part).length <= SUMMARY_MAX_CHARS) text += part;
  }
  return text.length <= SUMMARY_MAX_CHARS ? text : `${text.slice(0, SUMMARY_MAX_CHARS - 1).trimEnd()}…`;
}

/** The required part with the first alternative that fits (alternatives ordered from richest to shortest). */
export function fitFirst(required: string, alternatives: string[]): string {
  const chosen = alternatives.find((alt) => (required + alt).length <= SUMMARY_MAX_CHARS);
  return fitSummary(chosen === undefined ? required : required + chosen);
}

/**
 * `Possible IEC-HS with grade 3 AST, day 11 after CAR-T`, `Possible HLH-like syndrome after T-cell
 * engager therapy (teclistamab), day 13`, with the overlap with active CRS named.
 */
export function alertHead(evaluation: Evaluation, critical: boolean): string {
  const organ = worstOrgan(evaluation);
  const severity = critical ? (organ ? ` with ${organPhrase(organ)}` : ' with severe organ dysfunction') : '';
  const overlap = overlapsCrs(evaluation);
  const day = evaluation.timeline.dayNow;
  if (isTCellEngager(evaluation)) {
    const product = productName(evaluation);
    const overlapText = overlap ? ', HLH-like features overlapping active CRS' : '';
    return `Possible HLH-like syndrome after T-cell engager therapy${product ? ` (${product})` : ''}${severity}${overlapText}${day === undefined ? '' : `, day ${day}`}`;
  }
  // Overlap leads with what the clinician sees (CRS still active) and keeps the syndrome's name.
  return `${overlap ? 'HLH-like features overlapping active CRS (possible IEC-HS)' : 'Possible IEC-HS'}${severity}, ${dayPhrase(evaluation)}`;
}

export function alertSummary(evaluation: Evaluation, critical: boolean): string {
  const head = alertHead(evaluation, critical);
  const ferritin = ferritinPhrase(evaluation);
  const sign = specificSignValue(evaluation);
  const values = [...(ferritin ? [ferritin] : []), ...(sign ? [`${ANALYTE_LABEL[sign.analyte]} ${formatLab(sign)}`] : [])];
  // Richest first: both values, then each alone, so a dropped value never leaves a dangling separator.
  const options = [values.join(', '), ...values].filter((v) => v.length > 0).map((v) => `: ${v}`);
  const confounder = confounderSummaryPhrase(evaluation);
  if (!confounder) return fitFirst(head, options);
  // A recorded infection or relapse outranks the second lab value: drop that first, then the ferritin.
  const withConfounder = [...options, ''].map((lab) => `${lab}${lab ? '; ' : ': '}${confounder}`);
  const fitting = withConfounder.find((alt) => (head + alt).length <= SUMMARY_MAX_CHARS);
  return fitting === undefined ? fitFirst(head, options) : head + fitting;
}

/** Watch phrases, keyed by the engine's typed watch reasons (unknown reasons are not worded). */
function watchReasonPhrase(reason: string, evaluation: Evaluation, due: readonly Analyte[]): string | undefined {
  switch (reason) {
    case 'ferritin-falling': {
      const ferritin = ferritinPhrase(evaluation);
      return ferritin ? `${ferritin} (elevated but falling)` : 'ferritin elevated but falling';
    }
    case 'ferritin-cytopenia-only': {
      const latest = latestFerritin(evaluation);
      return `${latest ? `ferritin ${formatLab(latest)}` : 'ferritin'} with cytopenia, no specific sign`;
    }
    case 'workup-due':
      return due.length > 0 ? `${listWithMore(due.map((a) => ANALYTE_LABEL[a]), 3)} due` : undefined;
    case 'organ-value': {
      const organ = worstOrgan(evaluation);
      return `${organ ? organPhrase(organ) : 'severe organ value'}, ${syndrome(evaluation)} criteria not met`;
    }
    default:
      return undefined;
  }
}

export function watchSummary(evaluation: Evaluation, due: readonly Analyte[], partial: boolean): string {
  const phrases: string[] = [];
  if (evaluation.picture) {
    for (const reason of evaluation.picture.watchReasons) {
      const phrase = watchReasonPhrase(reason, evaluation, due);
      if (phrase && !phrases.includes(phrase)) phrases.push(phrase);
    }
    if (due.length > 0 && !evaluation.picture.watchReasons.includes('workup-due')) phrases.push(watchReasonPhrase('workup-due', evaluation, due) ?? '');
  } else {
    if (due.length > 0) phrases.push(watchReasonPhrase('workup-due', evaluation, due) ?? '');
    if (evaluation.severeOrganDysfunction) phrases.push(watchReasonPhrase('organ-value', evaluation, due) ?? '');
  }
  if (partial) phrases.push('checked on incomplete data');
  const shown = phrases.filter(Boolean);
  if (shown.length === 0) shown.push(`${syndrome(evaluation)} criteria not assessable, data missing`);
  return fitSummary(`${syndrome(evaluation)} watch, ${dayPhrase(evaluation)}`, shown.map((p, i) => `${i === 0 ? ':' : ';'} ${p}`));
}
