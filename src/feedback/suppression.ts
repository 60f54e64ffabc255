/**
 * Pure alert-fatigue rules applied to a card before it is issued:
 * - a card type the clinician overrode for this patient episode stays hidden for the suppression window,
 *   unless the picture is worse than what was overridden (higher tier or a newly met criterion);
 * - suggestions whose lab order was accepted and is still pending are not offered again.
 */
import type { CdsCard, CdsSuggestion } from '../cards/cdsHooks.js';
import type { CardMeta, SuggestionMeta } from '../cards/cardMeta.js';
import type { CardRules } from './types.js';

export interface OverriddenPicture {
  tier: CardMeta['tier'];
  met: string[];
}

export function isSuppressed(rules: CardRules, meta: CardMeta, lastOverride: OverriddenPicture | undefined): boolean {
  return lastOverride !== undefined && !rules.isWorse(meta, lastOverride);
}

/** Removes suggestions ordering a pending LOINC; undefined when the card has nothing left to offer. */
export function dropPendingSuggestions(rules: CardRules, card: CdsCard, meta: CardMeta, pendingLoinc: ReadonlySet<string>): CdsCard | undefined {
  if (pendingLoinc.size === 0 || !card.suggestions) return card;
  const metaByUuid = new Map(meta.suggestions.map((m) => [m.uuid, m]));
  const suggestions: CdsSuggestion[] = [];
  const kept: SuggestionMeta[] = [];
  for (const suggestion of card.suggestions) {
    const m = suggestion.uuid ? metaByUuid.get(suggestion.uuid) : undefined;
    if (!m) {
      suggestions.push(suggestion);
      continue;
    }
    if (!m.panel) {
      if (m.loinc.some((code) => pendingLoinc.has(code))) continue;
      suggestions.push(suggestion);
      kept.push(m);
      continue;
    }
    // "Order all": keep it only while it still orders two or more labs (one would duplicate a single suggestion).
    const keepIndex = m.loinc.map((code) => !pendingLoinc.has(code));
    const loinc = m.loinc.filter((_, i) => keepIndex[i]);
    if (loinc.length < 2) continue;
    suggestions.push({
      ...suggestion,
      label: rules.panelSuggestionLabel(loinc.length),
      actions: suggestion.actions?.filter((_, i) => keepIndex[i]),
    });
    kept.push({ ...m, loinc });
  }
  const next: CdsCard = { ...card };
  if (suggestions.length > 0) next.suggestions = suggestions;
  else {
    if (meta.suggestionsOnly) return undefined;
    delete next.suggestions;
    delete next.selectionBehavior;
  }
  return rules.withCardMeta(next, { ...meta, suggestions: kept });
}
