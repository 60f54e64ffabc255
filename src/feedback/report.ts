/**
 * Acceptance and override rates from the card memory: per card type, and per override reason.
 * Rates are over cards issued, so ignored cards (never reported by clients) lower both rates.
 */
import type Database from 'better-sqlite3';

export interface CardTypeStats {
  serviceId: string;
  cardType: string;
  issued: number;
  accepted: number;
  overridden: number;
  acceptanceRate: number;
  overrideRate: number;
}

export interface OverrideReasonStats {
  serviceId: string;
  cardType: string;
  /** `system|code`, or `(none)` when no reason was picked. */
  reason: string;
  display: string;
  count: number;
  /** Share of this card type's overrides. */
  share: number;
  /** How many of them carried a free-text comment (the text itself is not stored). */
  withComment: number;
}

export interface FeedbackReport {
  cardTypes: CardTypeStats[];
  overrideReasons: OverrideReasonStats[];
}

const rate = (part: number, whole: number): number => (whole > 0 ? part / whole : 0);

export function buildFeedbackReport(db: Database.Database): FeedbackReport {
  const types = db
    .prepare<[], { service_id: string; card_type: string; issued: number; accepted: number; overridden: number }>(`
      SELECT c.service_id, c.card_type, COUNT(*) AS issued,
        SUM(EXISTS (SELECT 1 FROM feedback f WHERE f.card_uuid = c.uuid AND f.outcome = 'accepted')) AS accepted,
        SUM(EXISTS (SELECT 1 FROM feedback f WHERE f.card_uuid = c.uuid AND f.outcome = 'overridden')) AS overridden
      FROM issued_card c GROUP BY c.service_id, c.card_type ORDER BY c.service_id, c.card_type`)
    .all();
  const reasons = db
    .prepare<[], { service_id: string; card_type: string; reason: string; display: string; count: number; with_comment: number }>(`
      SELECT c.service_id, c.card_type,
        COALESCE(f.reason_system || '|' || f.reason_code, '(none)') AS reason,
        COALESCE(MAX(f.reason_display), '(no reason given)') AS display,
        COUNT(*) AS count, SUM(f.has_comment) AS with_comment
      FROM feedback f JOIN issued_card c ON c.uuid = f.card_uuid
      WHERE f.outcome = 'overridden'
      GROUP BY c.service_id, c.card_type, reason ORDER BY c.service_id, c.card_type, count DESC, reason`)
    .all();
  const cardTypes = types.map((t) => ({
    serviceId: t.service_id,
    cardType: t.card_type,
    issued: t.issued,
    accepted: t.accepted,
    overridden: t.overridden,
    acceptanceRate: rate(t.accepted, t.issued),
    overrideRate: rate(t.overridden, t.issued),
  }));
  const overridesByType = new Map(cardTypes.map((t) => [`${t.serviceId}/${t.cardType}`, t.overridden]));
  const overrideReasons = reasons.map((r) => ({
    serviceId: r.service_id,
    cardType: r.card_type,
    reason: r.reason,
    display: r.display,
    count: r.count,
    share: rate(r.count, overridesByType.get(`${r.service_id}/${r.card_type}`) ?? 0),
    withComment: r.with_comment,
  }));
  return { cardTypes, overrideReasons };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function formatFeedbackReport(report: FeedbackReport): string {
  const lines = ['Card outcomes per card type (rates over cards issued)', ''];
  if (report.cardTypes.length === 0) lines.push('  no cards recorded');
  for (const t of report.cardTypes) {
    lines.push(
      `  ${t.serviceId} / ${t.cardType}: issued ${t.issued}, accepted ${t.accepted} (${pct(t.acceptanceRate)}), ` +
        `overridden ${t.overridden} (${pct(t.overrideRate)})`,
    );
  }
  lines.push('', 'Override reasons (share of the card type\'s overrides)', '');
  if (report.overrideReasons.length === 0) lines.push('  no overrides recorded');
  for (const r of report.overrideReasons) {
    lines.push(
      `  ${r.serviceId} / ${r.cardType}: ${r.display} [${r.reason}]: ${r.count} (${pct(r.share)})` +
        (r.withComment > 0 ? `, ${r.withComment} with a comment` : ''),
    );
  }
  return `${lines.join('\n')}\n`;
}
