/**
 * Feedback and card memory contract. The server records every card it issues and every feedback item
 * it receives through this interface; SQLite (better-sqlite3) is the embedded default, and a server
 * database can replace it behind the same interface.
 */
import type { CdsCard, CdsCoding } from '../cards/cdsHooks.js';

/** One CDS Hooks feedback item, as the spec defines it. */
export interface FeedbackItem {
  card: string;
  outcome: 'accepted' | 'overridden';
  acceptedSuggestions?: { id: string }[];
  overrideReason?: { reason?: CdsCoding; userComment?: string };
  outcomeTimestamp: string;
}

export type FeedbackResult = 'recorded' | 'duplicate' | 'unknown-card';

export interface CardMemory {
  /**
   * Drops cards the clinician already overrode for this patient episode (unless the picture worsened)
   * and suggestions already accepted and pending; records what is finally issued. Returns the cards to send.
   */
  filterAndRecord(args: { serviceId: string; patientId: string; now: string; cards: CdsCard[] }): CdsCard[];
  /** Stores one feedback item for a card this service issued. Idempotent per (card, outcome). */
  recordFeedback(serviceId: string, item: FeedbackItem, receivedAt: string): FeedbackResult;
  /** True when the store is open and usable (readiness). */
  isReady(): boolean;
  close(): void;
}
