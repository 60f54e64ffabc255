/**
 * The markdown `detail` of a patient-view card, short enough to read in ten seconds: the verdict, at
 * most five evidence lines, the next step, what is missing, one threshold status line. Sections live in
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

/** Cuts a section to `max` characters at a word boundary, with an ellipsis. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, Math.max(0, max - 1));
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).trimEnd()}…`;
}

/** Evidence lines kept before any other section is shortened. */
const MIN_EVIDENCE_LINES = 3;

/**
 * Sections in reading order, inside `max` characters. Shortened in this order when long EHR text or
 * context pushes past the limit: evidence lines beyond the first three, then the `cuttable` section
 * (the missing line), then the remaining evidence lines, then a hard cut.
 */
export function fitDetail(
  before: (string | undefined)[],
  evidence: string[],
  after: (string | undefined)[],
  max: number,
  cuttable?: number,
): string {
  const shown = [...evidence];
  const tail = [...after];
  const compose = (): string => joinSections([...before, shown.length ? `**Evidence:**\n${bulletList(shown)}` : undefined, ...tail]);
  let text = compose();
  while (text.length > max && shown.length > MIN_EVIDENCE_LINES) {
    shown.pop();
    text = compose();
  }
  const section = cuttable === undefined ? undefined : tail[cuttable];
  if (text.length > max && section !== undefined && cuttable !== undefined) {
    tail[cuttable] = cut(section, Math.max(40, section.length - (text.length - max)));
    text = compose();
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
  return fitDetail(
    [partialDataBanner(ctx), [verdictLine(evaluation, tier), alert ? confounderVerdict(evaluation) : undefined].filter(Boolean).join(' ')],
    evidenceLines(evaluation, tier),
    [
      next.length ? `**Next step${alert ? ' (text, not an order)' : ''}:**\n${bulletList(next)}` : undefined,
      missingLine(evaluation, ctx, alert),
      pendingLine(evaluation, ctx),
      thresholdStatusLine(evaluation, ctx, alert),
    ],
    PATIENT_VIEW_DETAIL_MAX,
    1,
  );
}
