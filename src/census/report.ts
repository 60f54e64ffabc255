/**
 * `report --episodes`: one CSV row per census episode, for quality reporting: minutes from the picture
 * first met (census detection) to the first alert card, to the first clinician feedback on such a card,
 * and to the first corticosteroid or anakinra administration seen.
 *
 * Cards and feedback come from the card memory (SQLite), where patients are stored only as a keyed
 * HMAC; the report hashes each episode's patient id with the same key to find them. The first card
 * counts from 48 hours before detection (a clinician may open the chart before the next cycle runs;
 * such rows show negative minutes) until the episode resolved. The CSV carries the random episode id,
 * never the patient id, unless asked.
 */
import { createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { EpisodeRow } from './types.js';

/** A card issued this long before census detection still belongs to the episode. */
export const CARD_LOOKBACK_MS = 48 * 3_600_000;

export interface CardLookup {
  /** First warning/critical card for the patient issued in [fromMs, toMs], and the first feedback on any such card. */
  firstCard(patientId: string, fromMs: number, toMs: number): { issuedAt?: string; feedbackMs?: number; outcome?: string };
}

export const EPISODE_CSV_HEADER = [
  'episode_id',
  'met_at',
  'max_tier',
  'resolved_at',
  'first_card_at',
  'minutes_to_first_card',
  'first_feedback_outcome',
  'minutes_to_feedback',
  'first_treatment_at',
  'minutes_to_treatment',
] as const;

function minutes(fromIso: string, toMs: number | undefined): string {
  if (toMs === undefined) return '';
  return String(Math.round((toMs - Date.parse(fromIso)) / 60_000));
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function episodeCsv(episodes: readonly EpisodeRow[], cards: CardLookup | undefined, opts: { withPatientId?: boolean; nowMs?: number } = {}): string {
  const header = [...(opts.withPatientId ? ['patient_id'] : []), ...EPISODE_CSV_HEADER];
  const lines = [header.join(',')];
  for (const e of episodes) {
    const metMs = Date.parse(e.metAt);
    const card = cards?.firstCard(e.patientId, metMs - CARD_LOOKBACK_MS, e.resolvedAt ? Date.parse(e.resolvedAt) : (opts.nowMs ?? Date.now())) ?? {};
    const cells = [
      ...(opts.withPatientId ? [e.patientId] : []),
      e.id,
      e.metAt,
      e.maxTier,
      e.resolvedAt ?? '',
      card.issuedAt ?? '',
      minutes(e.metAt, card.issuedAt ? Date.parse(card.issuedAt) : undefined),
      card.outcome ?? '',
      minutes(e.metAt, card.feedbackMs),
      e.firstTreatmentAt ?? '',
      minutes(e.metAt, e.firstTreatmentAt ? Date.parse(e.firstTreatmentAt) : undefined),
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Card lookup over the SQLite card memory (read-only); `hmacKey` = FEEDBACK_HMAC_KEY, else the key the database keeps. */
export function sqliteCardLookup(db: Database.Database, hmacKey?: string): CardLookup {
  const stored = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'hmac_key'").get();
  const key = hmacKey ?? (stored ? Buffer.from(stored.value, 'hex') : undefined);
  if (key === undefined) throw new Error('the card memory has no patient key and FEEDBACK_HMAC_KEY is not set');
  const cards = db.prepare<[string], { uuid: string; issued_at: string }>(
    "SELECT uuid, issued_at FROM issued_card WHERE patient_hash = ? AND indicator IN ('warning', 'critical') ORDER BY issued_at",
  );
  const feedback = db.prepare<[string], { outcome: string; outcome_ms: number }>('SELECT outcome, outcome_ms FROM feedback WHERE card_uuid = ? ORDER BY outcome_ms LIMIT 1');
  return {
    firstCard(patientId, fromMs, toMs) {
      const hash = createHmac('sha256', key).update(patientId).digest('hex');
      let first: { issuedAt?: string; feedbackMs?: number; outcome?: string } = {};
      for (const c of cards.all(hash)) {
        const ms = Date.parse(c.issued_at);
        if (!(ms >= fromMs && ms <= toMs)) continue;
        first.issuedAt ??= c.issued_at;
        const f = feedback.get(c.uuid);
        if (f && (first.feedbackMs === undefined || f.outcome_ms < first.feedbackMs)) first = { ...first, feedbackMs: f.outcome_ms, outcome: f.outcome };
      }
      return first;
    },
  };
}
