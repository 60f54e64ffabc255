/**
 * The markdown `detail` of a patient-view card, short enough to read in ten seconds: the verdict, at
 * most three evidence lines, the next step, what is missing, one threshold status line. Sections live in
 * their own modules; this one assembles them inside the size limit, dropping evidence lines last-first
 * when a long EHR text would push it over.
 */
import type { Evaluation, Tier } from '../criteria/types.js';
import { confounderVerdict } from './confounders.js';
import { evidenceLines } from './evidenceLines.js';
import { alertNextStep, watchNextStep } from './guidance.js';
import type { CardContext } from './context.js';
import { bulletList } from './markdown.js';
import { missingLine, pendingLine } from './missingLine.js';
import { thresholdStatusLine } from './thresholdStatus.js';
import { verdictLine } from './verdictLine.js';

/** Patient-view detail limit (characters). */
export const PATIENT_VIEW_DETAIL_MAX = 1200;
/** Order-select detail limit (characters). */
export const ORDER_SELECT_DETAIL_MAX = 600;

/** Banner for answers computed on incomplete FHIR data (what was not retrieved is on the missing line). */
export function partialDataBanner(ctx: Pick<CardContext, 'partialData'>): string | undefined {
  if (!ctx.partialData) return undefined;
  return '**Based on incomplete data:** results that were not retrieved are treated as absent.';
}

export function joinSections(sections: (string | undefined)[]): string {
  return sections.filter((s): s is string => Boolean(s)).join('\n\n');
}

/**
 * Lines of one paragraph, each on its own line: a GFM hard break (two trailing spaces) between them,
 * invisible to plain-text clients. One paragraph instead of several saves the vertical margins.
 */
export function joinLines(lines: (string | undefined)[]): string | undefined {
  const kept = lines.filter((l): l is string => Boolean(l));
  return kept.length ? kept.join('  \n') : undefined;
}

/** Cuts a section to `max` characters at a word boundary, with an ellipsis. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, Math.max(0, max - 1));
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).trimEnd()}…`;
}

/** Evidence lines kept before any other section is shortened. */
const MIN_EVIDENCE_LINES = 3;

/** A section: one paragraph, or several lines of one paragraph (see `joinLines`). */
export type Section = string | (string | undefined)[] | undefined;

/**
 * Sections in reading order, inside `max` characters. Shortened in this order when long EHR text or
 * context pushes past the limit: evidence lines beyond the first three, then the `cuttable` section
 * or line (`[section, line]`: the missing line), then the remaining evidence lines, then a hard cut.
 */
export function fitDetail(
  before: (string | undefined)[],
  evidence: string[],
  after: Section[],
  max: number,
  cuttable?: number | [number, number],
): string {
  const shown = [...evidence];
  const tail = after.map((section) => (Array.isArray(section) ? [...section] : section));
  const compose = (): string =>
    joinSections([
      ...before,
      shown.length ? `**Evidence:**\n${bulletList(shown)}` : undefined,
      ...tail.map((section) => (Array.isArray(section) ? joinLines(section) : section)),
    ]);
  let text = compose();
  while (text.length > max && shown.length > MIN_EVIDENCE_LINES) {
    shown.pop();
    text = compose();
  }
  if (text.length > max && cuttable !== undefined) {
    const [at, line] = typeof cuttable === 'number' ? [cuttable, undefined] : cuttable;
    const section = tail[at];
    const lines = Array.isArray(section) ? section : undefined;
    const target = lines && line !== undefined ? lines[line] : typeof section === 'string' ? section : undefined;
    if (target !== undefined) {
      const shorter = cut(target, Math.max(40, target.length - (text.length - max)));
      if (lines && line !== undefined) lines[line] = shorter;
      else tail[at] = shorter;
      text = compose();
    }
  }
  while (text.length > max && shown.length > 0) {
    shown.pop();
    text = compose();
  }
  return text.length <= max ? text : cut(text, max);
}

export function patientViewDetail(evaluation: Evaluation, ctx: CardContext, tier: Tier): string {
  const alert = tier === 'critical' || tier === 'warning';
  const next = alert ? alertNextStep(evaluation) : watchNextStep(evaluation, ctx);
  // Missing, pending and threshold status share one paragraph; only the missing line is ever cut.
  return fitDetail(
    [partialDataBanner(ctx), [verdictLine(evaluation, tier), alert ? confounderVerdict(evaluation) : undefined].filter(Boolean).join(' ')],
    evidenceLines(evaluation, tier),
    [
      next.length ? `**Next step:** ${next.join(' ')}` : undefined,
      [missingLine(evaluation, ctx, alert), pendingLine(evaluation, ctx), thresholdStatusLine(evaluation, ctx, alert)],
    ],
    PATIENT_VIEW_DETAIL_MAX,
    [1, 0],
  );
}
