/**
 * The card memory over either database (src/feedback/sql.ts): what was issued, what clinicians did with
 * it, and what that means for the next hook call. Every row and every lookup carries the caller's
 * issuer and tenant; overrides are further scoped by user or encounter (configurable). Patients, users
 * and encounters are stored only as HMACs.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { CdsCard } from '../cards/cdsHooks.js';
import type { CardMeta } from '../cards/cardMeta.js';
import { dropPendingSuggestions, isSuppressed } from './suppression.js';
import type { SqlDatabase, SqlQueries, SqlValue } from './sql.js';
import type { CallerScope, CardMemory, CardRules, FeedbackItem, FeedbackResult, HookScope, PendingOrder, SuppressScope } from './types.js';
import { HOUR_MS } from '../terminology/time.js';

export interface CardMemoryOptions {
  /** Card logic from src/cards (`CARD_RULES`), passed in by the composition root. */
  cards: CardRules;
  /** Hours an overridden card type stays hidden for the patient episode (unless the picture worsens). */
  suppressHours: number;
  /** Hours an accepted lab suggestion counts as a pending order and is not suggested again. Default 24. */
  pendingHours?: number;
  /** Whose view an override hides the card from. Default 'user'. */
  suppressScope?: SuppressScope;
  /**
   * Key of the HMACs. Without it a random key is generated and kept in the database, which keeps raw
   * ids out of it but lets anyone holding the database test guessed ids: pass a key in production.
   */
  hmacKey?: string | Buffer;
  /** Called when the store fails during a hook call (cards are then sent unfiltered). */
  onError?: (error: unknown) => void;
  /** uuid of override notice cards; default crypto.randomUUID. */
  newId?: () => string;
  /** Interval of the readiness ping, ms. Default 5000. */
  pingIntervalMs?: number;
}

const DEFAULT_PENDING_HOURS = 24;
/** Ids whose HMAC is remembered (dropped all at once when full: a bound, not a cache policy). */
const HMAC_MEMO_SIZE = 4096;

function epochMs(iso: string): number | undefined {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

interface OverrideRow {
  indicator: string;
  met_json: string;
  user_hash: string;
  outcome_ms: number;
  reason_display: string | null;
}

/** The key of the HMACs: configured, else the random one kept in `meta` (created once, by whichever instance comes first). */
async function hmacKeyOf(db: SqlDatabase, configured: string | Buffer | undefined): Promise<string | Buffer> {
  if (configured !== undefined) return configured;
  await db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', ['hmac_key', randomBytes(32).toString('hex')]);
  const [row] = await db.all<{ value: string }>('SELECT value FROM meta WHERE key = ?', ['hmac_key']);
  if (!row) throw new Error('card memory: no HMAC key');
  return Buffer.from(row.value, 'hex');
}

/** Expects a migrated database (src/feedback/migrations.ts); takes ownership of it (close() closes it). */
export async function createCardMemory(db: SqlDatabase, options: CardMemoryOptions): Promise<CardMemory> {
  const key = await hmacKeyOf(db, options.hmacKey);
  // The patient hash is the HMAC of the id alone (as in schema version 1), users and encounters are prefixed.
  // Remembered for the ids seen lately: each hook call hashed its patient twice, its user and encounter once.
  const hmacs = new Map<string, string>();
  const hmac = (text: string): string => {
    let hex = hmacs.get(text);
    if (hex === undefined) {
      hex = createHmac('sha256', key).update(text).digest('hex');
      if (hmacs.size >= HMAC_MEMO_SIZE) hmacs.clear();
      hmacs.set(text, hex);
    }
    return hex;
  };
  const patientHash = (id: string): string => hmac(id);
  const keyed = (kind: string, id: string | undefined): string => (id ? hmac(`${kind}\u0000${id}`) : '');
  const suppressMs = options.suppressHours * HOUR_MS;
  const pendingMs = (options.pendingHours ?? DEFAULT_PENDING_HOURS) * HOUR_MS;
  const scope = options.suppressScope ?? 'user';
  const newId = options.newId ?? randomUUID;

  let ready = await db.ping();
  const timer = setInterval(() => {
    void db.ping().then((ok) => {
      ready = ok;
    });
  }, options.pingIntervalMs ?? 5_000);
  timer.unref();
  let closed = false;
  const failed = (error: unknown): void => {
    ready = false;
    options.onError?.(error);
  };

  /** The suppression scope's extra condition: the overriding user's or encounter's cards only. */
  const scopeFilter = (userHash: string, encounterHash: string): { sql: string; params: SqlValue[] } => {
    if (scope === 'user') return { sql: ' AND c.user_hash = ?', params: [userHash] };
    if (scope === 'encounter') return { sql: ' AND c.encounter_hash = ?', params: [encounterHash] };
    return { sql: '', params: [] };
  };

  const pendingLoinc = (tx: SqlQueries, s: CallerScope, hash: string, sinceMs: number) =>
    tx.all<{ loinc: string; accepted_ms: number }>(
      'SELECT loinc, MAX(accepted_ms) AS accepted_ms FROM accepted_suggestion WHERE issuer = ? AND tenant = ? AND patient_hash = ? AND accepted_ms >= ? GROUP BY loinc ORDER BY loinc',
      [s.issuer, s.tenant, hash, sinceMs],
    );

  const record = async (tx: SqlQueries, serviceId: string, s: HookScope, hashes: { patient: string; user: string; encounter: string }, now: string, card: CdsCard, meta: CardMeta | undefined): Promise<void> => {
    if (!card.uuid) return;
    await tx.run(
      `INSERT INTO issued_card (uuid, issuer, tenant, service_id, patient_hash, user_hash, encounter_hash, episode, card_type, indicator, met_json, issued_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [card.uuid, s.issuer, s.tenant, serviceId, hashes.patient, hashes.user, hashes.encounter, meta?.episode ?? 'none', meta?.cardType ?? 'unknown', card.indicator, JSON.stringify(meta?.met ?? []), now],
    );
    for (const suggestion of meta?.suggestions ?? []) {
      await tx.run('INSERT INTO issued_suggestion (uuid, card_uuid, loinc_json) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [suggestion.uuid, card.uuid, JSON.stringify(suggestion.loinc)]);
    }
  };

  return {
    async pendingOrders({ scope: s, now }): Promise<PendingOrder[]> {
      try {
        const rows = await db.read((q) => pendingLoinc(q, s, patientHash(s.patientId), (epochMs(now) ?? 0) - pendingMs));
        return rows.map((r) => ({ loinc: r.loinc, orderedAt: new Date(Number(r.accepted_ms)).toISOString() }));
      } catch (error) {
        failed(error);
        return [];
      }
    },

    async filterAndRecord({ scope: s, serviceId, now, cards, timeZone }) {
      if (cards.length === 0) return cards;
      const nowMs = epochMs(now) ?? 0;
      const hashes = { patient: patientHash(s.patientId), user: keyed('user', s.userId), encounter: keyed('encounter', s.encounterId ?? (s.userId ? `user:${s.userId}` : undefined)) };
      const filter = scopeFilter(hashes.user, hashes.encounter);
      try {
        return await db.transaction(async (tx) => {
          const pending = new Set((await pendingLoinc(tx, s, hashes.patient, nowMs - pendingMs)).map((r) => r.loinc));
          const issued: CdsCard[] = [];
          for (const card of cards) {
            const meta = options.cards.readCardMeta(card);
            let out: CdsCard | undefined = card;
            if (meta) {
              const [row] = await tx.all<OverrideRow>(
                `SELECT c.indicator, c.met_json, c.user_hash, f.outcome_ms, f.reason_display
                 FROM feedback f JOIN issued_card c ON c.uuid = f.card_uuid
                 WHERE f.outcome = 'overridden' AND c.issuer = ? AND c.tenant = ? AND c.service_id = ? AND c.patient_hash = ?
                   AND c.episode = ? AND c.card_type = ? AND f.outcome_ms >= ?${filter.sql}
                 ORDER BY f.outcome_ms DESC LIMIT 1`,
                [s.issuer, s.tenant, serviceId, hashes.patient, meta.episode, meta.cardType, nowMs - suppressMs, ...filter.params],
              );
              const overridden = row ? { tier: row.indicator as CardMeta['tier'], met: JSON.parse(row.met_json) as string[] } : undefined;
              if (row && isSuppressed(options.cards, meta, overridden)) {
                // The one who overrode it is told so instead of silence; wider scopes hide it from others.
                if (row.user_hash === hashes.user) {
                  const reason = row.reason_display ?? undefined;
                  issued.push(options.cards.overrideNoticeCard(card, { overriddenAt: new Date(Number(row.outcome_ms)).toISOString(), ...(reason ? { reason } : {}), ...(timeZone ? { timeZone } : {}) }, newId));
                }
                continue;
              }
              out = dropPendingSuggestions(options.cards, card, meta, pending);
            }
            if (!out) continue;
            await record(tx, serviceId, s, hashes, now, out, options.cards.readCardMeta(out));
            issued.push(out);
          }
          return issued;
        });
      } catch (error) {
        failed(error);
        return cards;
      }
    },

    async recordFeedback(s: CallerScope, serviceId: string, item: FeedbackItem, receivedAt: string): Promise<FeedbackResult> {
      const result = await db.transaction(async (tx): Promise<FeedbackResult> => {
        const [card] = await tx.all<{ uuid: string; patient_hash: string }>(
          'SELECT uuid, patient_hash FROM issued_card WHERE uuid = ? AND service_id = ? AND issuer = ? AND tenant = ?',
          [item.card, serviceId, s.issuer, s.tenant],
        );
        if (!card) return 'unknown-card';
        const receivedMs = epochMs(receivedAt) ?? 0;
        // The client's timestamp, but never later than when we received it.
        const outcomeMs = Math.min(epochMs(item.outcomeTimestamp) ?? receivedMs, receivedMs);
        const reason = item.overrideReason?.reason;
        const inserted = await tx.run(
          `INSERT INTO feedback (card_uuid, outcome, reason_system, reason_code, reason_display, has_comment, outcome_ms, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          [card.uuid, item.outcome, reason?.system ?? null, reason?.code ?? null, reason?.display ?? null, item.overrideReason?.userComment ? 1 : 0, outcomeMs, receivedAt],
        );
        if (item.outcome === 'accepted') {
          for (const { id } of item.acceptedSuggestions ?? []) {
            const [suggestion] = await tx.all<{ loinc_json: string }>('SELECT loinc_json FROM issued_suggestion WHERE uuid = ? AND card_uuid = ?', [id, card.uuid]);
            if (!suggestion) continue;
            for (const loinc of JSON.parse(suggestion.loinc_json) as string[]) {
              await tx.run(
                'INSERT INTO accepted_suggestion (suggestion_uuid, loinc, card_uuid, patient_hash, accepted_ms, issuer, tenant) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
                [id, loinc, card.uuid, card.patient_hash, outcomeMs, s.issuer, s.tenant],
              );
            }
          }
        }
        return inserted > 0 ? 'recorded' : 'duplicate';
      });
      ready = true;
      return result;
    },

    isReady: () => ready && !closed,

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await db.close();
    },
  };
}
