/**
 * The embedded card memory: better-sqlite3 (synchronous, one file, WAL). Tables are created on first
 * start and prepared statements are created once. Patients are stored only as an HMAC of their id.
 */
import { createHmac, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { CdsCard } from '../cards/cdsHooks.js';
import { readCardMeta, type CardMeta } from '../cards/cardMeta.js';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
import { dropPendingSuggestions, isSuppressed, type OverriddenPicture } from './suppression.js';
import type { CardMemory, FeedbackItem, FeedbackResult } from './types.js';

export interface SqliteCardMemoryOptions {
  /** Hours an overridden card type stays hidden for the patient episode (unless the picture worsens). */
  suppressHours: number;
  /** Hours an accepted lab suggestion counts as a pending order and is not suggested again. Default 24. */
  pendingHours?: number;
  /**
   * Key for the patient-id HMAC. Without it a random key is generated and kept in the database, which
   * keeps raw ids out of the file but lets anyone holding the file test guessed ids: pass a key from
   * configuration in production.
   */
  hmacKey?: string | Buffer;
  /** Called when the store fails during filterAndRecord (cards are then sent unfiltered). */
  onError?: (error: unknown) => void;
}

const HOUR_MS = 3_600_000;
const DEFAULT_PENDING_HOURS = 24;

function epochMs(iso: string): number | undefined {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

interface OverrideRow {
  indicator: string;
  met_json: string;
}

interface CardRow {
  uuid: string;
  patient_hash: string;
}

export function createSqliteCardMemory(dbPath: string, options: SqliteCardMemoryOptions): CardMemory {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA_SQL);

  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const putMeta = db.prepare<[string, string]>('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
  putMeta.run('schema_version', String(SCHEMA_VERSION));
  putMeta.run('hmac_key', randomBytes(32).toString('hex'));
  const hmacKey = options.hmacKey ?? Buffer.from(getMeta.get('hmac_key')!.value, 'hex');
  const patientHash = (patientId: string): string => createHmac('sha256', hmacKey).update(patientId).digest('hex');

  const suppressMs = options.suppressHours * HOUR_MS;
  const pendingMs = (options.pendingHours ?? DEFAULT_PENDING_HOURS) * HOUR_MS;

  const lastOverride = db.prepare<[string, string, string, string, number], OverrideRow>(`
    SELECT c.indicator, c.met_json FROM feedback f JOIN issued_card c ON c.uuid = f.card_uuid
    WHERE f.outcome = 'overridden' AND c.service_id = ? AND c.patient_hash = ? AND c.episode = ? AND c.card_type = ?
      AND f.outcome_ms >= ?
    ORDER BY f.outcome_ms DESC LIMIT 1`);
  const pendingLoinc = db.prepare<[string, number], { loinc: string }>(
    'SELECT DISTINCT loinc FROM accepted_suggestion WHERE patient_hash = ? AND accepted_ms >= ?',
  );
  const insertCard = db.prepare(`
    INSERT OR IGNORE INTO issued_card (uuid, service_id, patient_hash, episode, card_type, indicator, met_json, issued_at)
    VALUES (@uuid, @serviceId, @patientHash, @episode, @cardType, @indicator, @met, @issuedAt)`);
  const insertSuggestion = db.prepare<[string, string, string]>(
    'INSERT OR IGNORE INTO issued_suggestion (uuid, card_uuid, loinc_json) VALUES (?, ?, ?)',
  );
  const findCard = db.prepare<[string, string], CardRow>(
    'SELECT uuid, patient_hash FROM issued_card WHERE uuid = ? AND service_id = ?',
  );
  const findSuggestion = db.prepare<[string, string], { loinc_json: string }>(
    'SELECT loinc_json FROM issued_suggestion WHERE uuid = ? AND card_uuid = ?',
  );
  const insertFeedback = db.prepare(`
    INSERT OR IGNORE INTO feedback (card_uuid, outcome, reason_system, reason_code, reason_display, has_comment, outcome_ms, received_at)
    VALUES (@card, @outcome, @system, @code, @display, @hasComment, @outcomeMs, @receivedAt)`);
  const insertAccepted = db.prepare<[string, string, string, string, number]>(
    'INSERT OR IGNORE INTO accepted_suggestion (suggestion_uuid, loinc, card_uuid, patient_hash, accepted_ms) VALUES (?, ?, ?, ?, ?)',
  );

  const recordIssued = (serviceId: string, hash: string, now: string, card: CdsCard, meta: CardMeta | undefined): void => {
    if (!card.uuid) return;
    insertCard.run({
      uuid: card.uuid,
      serviceId,
      patientHash: hash,
      episode: meta?.episode ?? 'none',
      cardType: meta?.cardType ?? 'unknown',
      indicator: card.indicator,
      met: JSON.stringify(meta?.met ?? []),
      issuedAt: now,
    });
    for (const suggestion of meta?.suggestions ?? []) {
      insertSuggestion.run(suggestion.uuid, card.uuid, JSON.stringify(suggestion.loinc));
    }
  };

  const filterAndRecordTx = db.transaction((serviceId: string, patientId: string, now: string, cards: CdsCard[]): CdsCard[] => {
    const nowMs = epochMs(now) ?? 0;
    const hash = patientHash(patientId);
    const pending = new Set(pendingLoinc.all(hash, nowMs - pendingMs).map((r) => r.loinc));
    const issued: CdsCard[] = [];
    for (const card of cards) {
      const meta = readCardMeta(card);
      let out: CdsCard | undefined = card;
      if (meta) {
        const row = lastOverride.get(serviceId, hash, meta.episode, meta.cardType, nowMs - suppressMs);
        const overridden: OverriddenPicture | undefined = row
          ? { tier: row.indicator as CardMeta['tier'], met: JSON.parse(row.met_json) as string[] }
          : undefined;
        out = isSuppressed(meta, overridden) ? undefined : dropPendingSuggestions(card, meta, pending);
      }
      if (!out) continue;
      recordIssued(serviceId, hash, now, out, readCardMeta(out));
      issued.push(out);
    }
    return issued;
  });

  const recordFeedbackTx = db.transaction((serviceId: string, item: FeedbackItem, receivedAt: string): FeedbackResult => {
    const card = findCard.get(item.card, serviceId);
    if (!card) return 'unknown-card';
    const receivedMs = epochMs(receivedAt) ?? 0;
    // The client's timestamp, but never later than when we received it.
    const outcomeMs = Math.min(epochMs(item.outcomeTimestamp) ?? receivedMs, receivedMs);
    const reason = item.overrideReason?.reason;
    const inserted = insertFeedback.run({
      card: card.uuid,
      outcome: item.outcome,
      system: reason?.system ?? null,
      code: reason?.code ?? null,
      display: reason?.display ?? null,
      hasComment: item.overrideReason?.userComment ? 1 : 0,
      outcomeMs,
      receivedAt,
    });
    if (item.outcome === 'accepted') {
      for (const { id } of item.acceptedSuggestions ?? []) {
        const suggestion = findSuggestion.get(id, card.uuid);
        if (!suggestion) continue;
        for (const loinc of JSON.parse(suggestion.loinc_json) as string[]) {
          insertAccepted.run(id, loinc, card.uuid, card.patient_hash, outcomeMs);
        }
      }
    }
    return inserted.changes > 0 ? 'recorded' : 'duplicate';
  });

  return {
    filterAndRecord({ serviceId, patientId, now, cards }) {
      if (cards.length === 0) return cards;
      try {
        return filterAndRecordTx(serviceId, patientId, now, cards);
      } catch (error) {
        options.onError?.(error);
        return cards;
      }
    },
    recordFeedback(serviceId, item, receivedAt) {
      return recordFeedbackTx(serviceId, item, receivedAt);
    },
    isReady() {
      if (!db.open) return false;
      try {
        getMeta.get('schema_version');
        return true;
      } catch {
        return false;
      }
    },
    close() {
      if (db.open) db.close();
    },
  };
}
