/**
 * The card logic the card memory (src/feedback) applies, handed to it by the composition root: feedback
 * stores cards by their wire shape and may import cards' types only (docs/architecture.md#import-rules).
 */
import { isWorse, readCardMeta, withCardMeta } from './cardMeta.js';
import { overrideNoticeCard } from './overrideNotice.js';
import { panelSuggestionLabel } from './workupSuggestions.js';

/** Matches feedback's `CardRules` port by shape (cards may not import feedback). */
export const CARD_RULES = { readCardMeta, withCardMeta, isWorse, overrideNoticeCard, panelSuggestionLabel };
