/**
 * The one-line info card an overriding user sees instead of silence (issue 13). The card memory
 * (src/feedback) decides that a card is suppressed for this user; this module owns the wording.
 * Contract between the cards and feedback work: keep the signature.
 */
import type { CdsCard } from './cdsHooks.js';
import { siteTime } from './siteTime.js';
import { SUMMARY_MAX_CHARS } from './summary.js';

export interface OverrideNotice {
  /** When the override was recorded, ISO 8601. */
  overriddenAt: string;
  /** The override reason's display or the user's comment, when given. */
  reason?: string;
  /** Site IANA time zone to print the time in. */
  timeZone?: string;
  /** Who the suppression applies to (configuration; default user). Additive. */
  scope?: 'user' | 'encounter' | 'patient';
}

const SCOPE_TEXT: Record<NonNullable<OverrideNotice['scope']>, string> = {
  user: 'Hidden for you only: other clinicians still see this alert.',
  encounter: 'Hidden for everyone in this encounter.',
  patient: "Hidden for everyone who opens this patient's chart.",
};

/** `You overrode this at 02:14 EST (reason); it returns if worse`: the reason is cut, never the promise. */
export function overrideNoticeSummary(notice: OverrideNotice): string {
  const head = `You overrode this at ${siteTime(notice.overriddenAt, notice.timeZone)}`;
  const tail = '; it returns if worse';
  const reason = notice.reason?.replace(/\s+/g, ' ').trim();
  if (!reason) return head + tail;
  const room = SUMMARY_MAX_CHARS - head.length - tail.length - 3;
  const shown = reason.length <= room ? reason : `${reason.slice(0, Math.max(0, room - 1)).trimEnd()}…`;
  return `${head} (${shown})${tail}`;
}

export function overrideNoticeCard(suppressed: CdsCard, notice: OverrideNotice, newId: () => string): CdsCard {
  return {
    uuid: newId(),
    summary: overrideNoticeSummary(notice),
    detail: `${SCOPE_TEXT[notice.scope ?? 'user']} It comes back if the picture gets worse.`,
    indicator: 'info',
    source: suppressed.source,
    ...(suppressed.links ? { links: suppressed.links } : {}),
  };
}
