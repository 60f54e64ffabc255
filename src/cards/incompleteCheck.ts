/**
 * patient-view when the infusion records could not be read in full and no infusion was found: without
 * this card the answer would be silence, indistinguishable from "not a CAR-T patient". One passive
 * info card says the check could not be done and what was not read. Only for the infusion records:
 * a missing optional item (conditions, temperature...) on a patient without an infusion stays silent.
 */
import type { Evaluation } from '../criteria/types.js';
import { resolveThresholds } from '../criteria/thresholds.js';
import type { CdsCard } from './cdsHooks.js';
import { episodeKey, withCardMeta } from './cardMeta.js';
import { PATIENT_VIEW_DETAIL_MAX, cut } from './detail.js';
import type { CardContext } from './context.js';
import { escapeMarkdown } from './markdown.js';
import { TOPIC, cardLinks, cardSource } from './sources.js';

/**
 * Prefetch keys that hold the definite infusion record (the required items of src/fhir/dataItems.ts
 * other than `labs`; cards do not import the fhir layer, a test keeps the two in step).
 */
export const INFUSION_RECORD_ITEMS: readonly string[] = ['procedures', 'medicationAdministrations'];

export const INCOMPLETE_CHECK_SUMMARY = 'IEC-HS check incomplete: infusion records could not be read';

/** The data item a `partialData.missing` entry names: `procedures (truncated)` -> `procedures`. */
function itemKey(entry: string): string {
  const paren = entry.indexOf(' (');
  return (paren < 0 ? entry : entry.slice(0, paren)).trim();
}

/** Missing entries that may hide the infusion record (whole item, or read only in part). */
export function missingInfusionRecords(ctx: Pick<CardContext, 'partialData'>): string[] {
  return (ctx.partialData?.missing ?? []).filter((entry) => INFUSION_RECORD_ITEMS.includes(itemKey(entry)));
}

/** True when the silence of an unwatched patient might only mean the infusion was not read. */
export function infusionCheckIncomplete(evaluation: Evaluation, ctx: Pick<CardContext, 'partialData'>): boolean {
  return !evaluation.watched && evaluation.timeline.infusion === undefined && missingInfusionRecords(ctx).length > 0;
}

export function incompleteCheckCard(evaluation: Evaluation, ctx: CardContext, newId: () => string): CdsCard {
  const infusionItems = missingInfusionRecords(ctx);
  const others = (ctx.partialData?.missing ?? []).filter((entry) => !infusionItems.includes(entry));
  const windowDays = resolveThresholds(ctx.thresholds)['watch.windowDays'];
  const lines = [
    '**The IEC-HS check could not be done.** No immune effector cell (CAR-T) infusion was found, but the records ' +
      `that would show one were not read in full (${infusionItems.map(escapeMarkdown).join(', ')}), ` +
      'so "no infusion" may only mean "not read". Patients are watched only after a recorded infusion.',
    `If this patient received CAR-T or another immune effector cell therapy in the last ${windowDays} days, ` +
      'review ferritin, fibrinogen, blood counts and liver tests for IEC-HS directly, or reopen the chart to retry.',
  ];
  if (others.length > 0) lines.push(`Also not retrieved: ${others.map(escapeMarkdown).join(', ')}.`);
  const card: CdsCard = {
    uuid: newId(),
    summary: INCOMPLETE_CHECK_SUMMARY,
    detail: cut(lines.join('\n\n'), PATIENT_VIEW_DETAIL_MAX),
    indicator: 'info',
    source: cardSource(ctx, TOPIC.surveillance),
    links: cardLinks(ctx),
  };
  return withCardMeta(card, { cardType: 'iec-hs-data-incomplete', episode: episodeKey(evaluation), tier: 'info', met: [], suggestions: [] });
}
