/**
 * patient-view (service iec-hs-surveillance). Tiers:
 * - critical: IEC-HS picture with severe organ dysfunction;
 * - warning: IEC-HS picture;
 * - info: watched patient with workup due, data missing or a severe organ value without the picture;
 * - info "check incomplete": no infusion found while the infusion records were not read in full;
 * - no card: not watched (no immune effector cell therapy, or outside the watch window), or nothing to say.
 * At most one card, so at most one interruptive card per response.
 */
import type { Evaluation } from '../criteria/types.js';
import type { CdsCard, Indicator } from './cdsHooks.js';
import { episodeKey, metSignature, withCardMeta, type CardType } from './cardMeta.js';
import {
  astctCriteria,
  criteriaTable,
  crsTiming,
  evidenceTable,
  joinSections,
  managementSection,
  missingData,
  partialDataBanner,
  sourceFooter,
  verdict,
} from './detail.js';
import { incompleteCheckCard, infusionCheckIncomplete } from './incompleteCheck.js';
import type { CardContext } from './index.js';
import { ALERT_OVERRIDE_REASONS, TOPIC, cardLinks, cardSource } from './sources.js';
import { alertSummary, dayPhrase, watchSummary, worstOrgan } from './summary.js';
import { panelItemsFor, workupSuggestions } from './workupSuggestions.js';

export type PatientViewTier = Indicator | 'none';

const INDICATOR_BY_TIER = { critical: 'critical', warning: 'warning', watch: 'info', none: 'none' } as const;

export function patientViewTier(evaluation: Evaluation, ctx: Pick<CardContext, 'partialData' | 'thresholds'>): PatientViewTier {
  if (!evaluation.watched) return infusionCheckIncomplete(evaluation, ctx) ? 'info' : 'none';
  // The engine decides the tier (src/criteria/picture.ts); cards only map it to an indicator.
  if (evaluation.picture) {
    const mapped = INDICATOR_BY_TIER[evaluation.picture.tier];
    return mapped === 'none' && ctx.partialData !== undefined ? 'info' : mapped;
  }
  if (evaluation.iecHsPicture) return evaluation.severeOrganDysfunction ? 'critical' : 'warning';
  const astct = evaluation.assessments.find((a) => a.id === 'astct-iec-hs');
  const somethingToSay =
    evaluation.workupDue.length > 0 ||
    astct?.status === 'insufficient-data' ||
    ctx.partialData !== undefined ||
    worstOrgan(evaluation, ctx.thresholds) !== undefined;
  return somethingToSay ? 'info' : 'none';
}

/**
 * Interim (until the cards rewrite renders typed fields): after a T-cell engager the detail never says
 * IEC-HS or CAR-T, which stay for cellular therapies.
 */
function engagerWording(text: string): string {
  return text.replace(/\bIEC-HS\b/g, 'HLH-like syndrome').replace(/\bCAR-T\b/g, 'T-cell engager');
}

export function buildPatientViewCards(evaluation: Evaluation, ctx: CardContext, newId: () => string): CdsCard[] {
  if (infusionCheckIncomplete(evaluation, ctx)) return [incompleteCheckCard(evaluation, ctx, newId)];
  const tier = patientViewTier(evaluation, ctx);
  if (tier === 'none') return [];
  const alert = tier !== 'info';
  const cardType: CardType = alert ? 'iec-hs-alert' : 'iec-hs-watch';

  const items = panelItemsFor(evaluation.workupDue);
  const reason = `${evaluation.exposure?.class === 't-cell-engager' ? 'HLH-like syndrome' : 'IEC-HS'} workup, ${dayPhrase(evaluation)}: no recent result`;
  const { suggestions, meta } = workupSuggestions(items, ctx.patientId, reason, newId);

  // Info cards stay short and passive: verdict, what is due, the values; no treatment text.
  const detail = joinSections(
    alert
      ? [
          partialDataBanner(ctx),
          verdict(evaluation, ctx),
          evidenceTable(evaluation),
          crsTiming(evaluation),
          criteriaTable(evaluation),
          astctCriteria(evaluation),
          missingData(evaluation, ctx),
          managementSection(evaluation.treatmentState),
          sourceFooter(),
        ]
      : [partialDataBanner(ctx), verdict(evaluation, ctx), missingData(evaluation, ctx, false), evidenceTable(evaluation), sourceFooter()],
  );

  const card: CdsCard = {
    uuid: newId(),
    summary: alert ? alertSummary(evaluation, tier === 'critical', ctx.thresholds) : watchSummary(evaluation, ctx.partialData !== undefined, ctx.thresholds),
    detail: evaluation.exposure?.class === 't-cell-engager' ? engagerWording(detail) : detail,
    indicator: tier,
    source: cardSource(ctx, TOPIC.surveillance),
    overrideReasons: ALERT_OVERRIDE_REASONS,
    links: cardLinks(ctx),
  };
  if (suggestions.length > 0) {
    card.suggestions = suggestions;
    card.selectionBehavior = 'any';
  }
  // A watch card raised only because labs are due has nothing left to say once they are all ordered.
  const suggestionsOnly =
    !alert && ctx.partialData === undefined && worstOrgan(evaluation, ctx.thresholds) === undefined && suggestions.length > 0;
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
