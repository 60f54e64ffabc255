/**
 * Feedback and card memory contract. The server records every card it issues and every feedback item
 * it receives through this interface; SQLite (better-sqlite3) is the embedded default and PostgreSQL
 * (node-postgres) the shared store for several instances. Both run the same logic (src/feedback/cardMemory.ts)
 * and pass the same contract tests (test/feedback/contract.ts).
 */
import type { CardMeta } from '../cards/cardMeta.js';
import type { CdsCard, CdsCoding } from '../cards/cdsHooks.js';
import type { OverrideNotice } from '../cards/overrideNotice.js';

/** One CDS Hooks feedback item, as the spec defines it. */
/**
 * The card logic the card memory applies, passed in by the composition root (src/cards `CARD_RULES`):
 * what is "worse" than an overridden picture, the metadata a card carries, the override notice and the
 * "order all" label belong to src/cards (docs/architecture.md#import-rules).
 */
export interface CardRules {
  readCardMeta(card: CdsCard): CardMeta | undefined;
  withCardMeta(card: CdsCard, meta: CardMeta): CdsCard;
  isWorse(current: Pick<CardMeta, 'tier' | 'met'>, previous: Pick<CardMeta, 'tier' | 'met'>): boolean;
  overrideNoticeCard(suppressed: CdsCard, notice: OverrideNotice, newId: () => string): CdsCard;
  panelSuggestionLabel(count: number): string;
}

export interface FeedbackItem {
  card: string;
  outcome: 'accepted' | 'overridden';
  acceptedSuggestions?: { id: string }[];
  overrideReason?: { reason?: CdsCoding; userComment?: string };
  outcomeTimestamp: string;
}

export type FeedbackResult = 'recorded' | 'duplicate' | 'unknown-card';

/**
 * Who is calling: the verified JWT issuer and its `tenant` claim (empty strings when auth is off).
 * Every row and every lookup is scoped by both, so one tenant never sees another tenant's memory.
 */
export interface CallerScope {
  issuer: string;
  tenant: string;
}

/** The hook call a card is issued in: caller, patient, and the user and encounter from the hook context. */
export interface HookScope extends CallerScope {
  patientId: string;
  userId?: string;
  encounterId?: string;
}

/** Whose view an override hides the card from: the overriding user (default), the encounter, or the patient. */
export type SuppressScope = 'user' | 'encounter' | 'patient';

export interface PendingOrder {
  loinc: string;
  /** When the suggestion ordering it was accepted, ISO 8601. */
  orderedAt: string;
}

export interface CardMemory {
  /** Lab orders accepted from this service's suggestions for the patient (same issuer and tenant) and still pending. */
  pendingOrders(args: { scope: HookScope; now: string }): Promise<PendingOrder[]>;
  /**
   * Applies the memory to freshly built cards and records what is issued:
   * - a card overridden within the suppression window (same scope, picture not worse) is dropped, and
   *   the user who overrode it gets the override notice card instead;
   * - suggestions whose order is pending are dropped.
   * Returns the cards to send.
   */
  filterAndRecord(args: { scope: HookScope; serviceId: string; now: string; cards: CdsCard[]; timeZone?: string }): Promise<CdsCard[]>;
  /**
   * Stores one feedback item for a card this service issued to the same issuer and tenant (anything
   * else is 'unknown-card'). Idempotent per (card, outcome).
   */
  recordFeedback(scope: CallerScope, serviceId: string, item: FeedbackItem, receivedAt: string): Promise<FeedbackResult>;
  /** True when the store is open and its last check succeeded (readiness; synchronous on purpose). */
  isReady(): boolean;
  close(): Promise<void>;
}
