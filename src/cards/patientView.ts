/**
 * patient-view (service iec-hs-surveillance). The tier is the engine's (Evaluation.picture.tier):
 * - critical / warning: the HLH-like picture (interruptive);
 * - watch: an info card (ferritin elevated but falling, ferritin with cytopenia only, workup due, a
 *   severe organ value without the picture, data missing);
 * - info "check incomplete": no infusion found while the infusion records were not read in full;
 * - no card: not watched, or nothing to say (or only labs that are already ordered and pending).
 * At most one card, so at most one interruptive card per response.
 */
import type { Evaluation } from '../criteria/types.js';
import type { CdsCard, Indicator } from './cdsHooks.js';
import { episodeKey, metSignature, withCardMeta, type CardType } from './cardMeta.js';
import { patientViewDetail } from './detail.js';
import { incompleteCheckCard, infusionCheckIncomplete } from './incompleteCheck.js';
import type { CardContext } from './context.js';
import { ALERT_OVERRIDE_REASONS, TOPIC, cardLinks, cardSource } from './sources.js';
import { alertSummary, watchSummary } from './summary.js';
import { dueNotPending, engineTier } from './tier.js';
import { dayPhrase, syndrome } from './wording.js';
import { panelItemsFor, workupSuggestions } from './workupSuggestions.js';

export type PatientViewTier = Indicator | 'none';

export function patientViewTier(evaluation: Evaluation, ctx: Pick<CardContext, 'partialData' | 'pendingOrders'>): PatientViewTier {
  if (!evaluation.watched) return infusionCheckIncomplete(evaluation, ctx) ? 'info' : 'none';
  const tier = engineTier(evaluation);
  if (tier === 'critical' || tier === 'warning') return tier;
  if (dueNotPending(evaluation, ctx).length > 0 || ctx.partialData !== undefined) return 'info';
  if (tier === 'none') return 'none';
  // A watch raised only because labs were due has nothing left to say once they are all ordered.
  return evaluation.workupDue.length > 0 && watchOnlyForWorkup(evaluation) ? 'none' : 'info';
}

/** The engine's watch names no reason but due labs (old engines: no severe organ value either). */
function watchOnlyForWorkup(evaluation: Evaluation): boolean {
  if (evaluation.picture) return evaluation.picture.watchReasons.every((r) => r === 'workup-due');
  return !evaluation.severeOrganDysfunction;
}

export function buildPatientViewCards(evaluation: Evaluation, ctx: CardContext, newId: () => string): CdsCard[] {
  if (infusionCheckIncomplete(evaluation, ctx)) return [incompleteCheckCard(evaluation, ctx, newId)];
  const tier = patientViewTier(evaluation, ctx);
  if (tier === 'none') return [];
  const alert = tier !== 'info';
  const cardType: CardType = alert ? 'iec-hs-alert' : 'iec-hs-watch';

  const due = dueNotPending(evaluation, ctx);
  const items = panelItemsFor(due);
  const reason = `${syndrome(evaluation)} workup, ${dayPhrase(evaluation)}: no recent result`;
  const { suggestions, meta } = workupSuggestions(items, ctx.patientId, reason, newId);

  const card: CdsCard = {
    uuid: newId(),
    summary: alert ? alertSummary(evaluation, tier === 'critical') : watchSummary(evaluation, due, ctx.partialData !== undefined),
    detail: patientViewDetail(evaluation, ctx, alert ? tier : 'watch'),
    indicator: tier,
    source: cardSource(ctx, TOPIC.surveillance, evaluation),
    overrideReasons: ALERT_OVERRIDE_REASONS,
    links: cardLinks(ctx),
  };
  if (suggestions.length > 0) {
    card.suggestions = suggestions;
    card.selectionBehavior = 'any';
  }
  // The card memory drops a card that exists only for its suggestions once they are all pending.
  const suggestionsOnly = !alert && ctx.partialData === undefined && suggestions.length > 0 && watchOnlyForWorkup(evaluation);
  return [
    withCardMeta(card, {
      cardType,
      episode: episodeKey(evaluation),
      tier,
      met: metSignature(evaluation),
      suggestions: meta,
      ...(suggestionsOnly ? { suggestionsOnly } : {}),
    }),
  ];
}
