/**
 * What the card memory (src/feedback) needs to know about an issued card, carried in the card's own
 * namespaced `extension` so it travels with the card through the server: the card type, the patient
 * episode, a severity signature (tier + criteria met) and the LOINC codes each suggestion orders.
 * CDS clients ignore unknown extensions; nothing here identifies the patient.
 */
import type { Evaluation } from '../criteria/types.js';
import type { CdsCard, Indicator } from './cdsHooks.js';
import { CARD_META_EXTENSION } from './namespace.js';

export type CardType =
  /** patient-view: the interruptive IEC-HS card (warning or critical). */
  | 'iec-hs-alert'
  /** patient-view: passive card for a watched patient with workup due, data missing or severe organ values. */
  | 'iec-hs-watch'
  /** patient-view: passive card when no infusion was found but the infusion records were not read in full. */
  | 'iec-hs-data-incomplete'
  /** order-select: the rest of the IEC-HS panel when one of its labs is being ordered. */
  | 'order-panel-complement'
  /** order-select: IL-6 blockade ordered while the picture is IEC-HS without active CRS. */
  | 'order-il6-not-iec-hs'
  /** order-select: IL-6 blockade ordered while IEC-HS overlaps active CRS (passive). */
  | 'order-il6-overlap-crs';

export interface SuggestionMeta {
  uuid: string;
  /** LOINC codes the suggestion's actions would order. */
  loinc: string[];
  /** True for the "order all" suggestion, which is rebuilt rather than dropped when some labs are pending. */
  panel?: boolean;
}

export interface CardMeta {
  cardType: CardType;
  /** The patient episode: the infusion date (YYYY-MM-DD), or `none`. */
  episode: string;
  tier: Indicator;
  /** `assessment` and `assessment:criterion` ids that were met, sorted: part of the severity signature. */
  met: string[];
  suggestions: SuggestionMeta[];
  /** The card exists only for its suggestions: the memory drops it when all of them are pending. */
  suggestionsOnly?: boolean;
}

export const TIER_RANK: Record<Indicator, number> = { info: 0, warning: 1, critical: 2 };

export function episodeKey(evaluation: Evaluation): string {
  return evaluation.timeline.infusion?.time.slice(0, 10) ?? 'none';
}

export function metSignature(evaluation: Evaluation): string[] {
  const met: string[] = [];
  for (const assessment of evaluation.assessments) {
    if (assessment.status === 'met') met.push(assessment.id);
    for (const criterion of assessment.criteria) {
      if (criterion.status === 'met') met.push(`${assessment.id}:${criterion.id}`);
    }
  }
  return [...new Set(met)].sort();
}

/** Stores the meta on the card, leaving out empty lists (no empty values anywhere in a response). */
export function withCardMeta(card: CdsCard, meta: CardMeta): CdsCard {
  const { met, suggestions, ...rest } = meta;
  const stored = { ...rest, ...(met.length ? { met } : {}), ...(suggestions.length ? { suggestions } : {}) };
  return { ...card, extension: { ...card.extension, [CARD_META_EXTENSION]: stored } };
}

/** Reads the meta back; undefined for cards that did not come from this service (or were altered). */
export function readCardMeta(card: CdsCard): CardMeta | undefined {
  const raw = card.extension?.[CARD_META_EXTENSION];
  if (typeof raw !== 'object' || raw === null) return undefined;
  const meta = raw as Partial<CardMeta>;
  if (typeof meta.cardType !== 'string' || typeof meta.episode !== 'string' || !(meta.tier && meta.tier in TIER_RANK)) return undefined;
  const met = meta.met ?? [];
  const suggestions = meta.suggestions ?? [];
  if (!Array.isArray(met) || !Array.isArray(suggestions)) return undefined;
  return { ...(meta as CardMeta), met, suggestions };
}

/** The picture got worse than what the clinician overrode: a higher tier, or a criterion newly met. */
export function isWorse(current: Pick<CardMeta, 'tier' | 'met'>, previous: Pick<CardMeta, 'tier' | 'met'>): boolean {
  if (TIER_RANK[current.tier] > TIER_RANK[previous.tier]) return true;
  const before = new Set(previous.met);
  return current.met.some((id) => !before.has(id));
}
