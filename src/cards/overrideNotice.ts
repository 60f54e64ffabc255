/**
 * The one-line info card an overriding user sees instead of silence (issue 13). The card memory
 * (src/feedback) decides that a card is suppressed for this user; this module owns the wording.
 * Contract between the cards and feedback work: keep the signature.
 */
import type { CdsCard } from './cdsHooks.js';

export interface OverrideNotice {
  /** When the override was recorded, ISO 8601. */
  overriddenAt: string;
  /** The override reason's display or the user's comment, when given. */
  reason?: string;
  /** Site IANA time zone to print the time in. */
  timeZone?: string;
}

export function overrideNoticeCard(suppressed: CdsCard, notice: OverrideNotice, newId: () => string): CdsCard {
  const at = new Date(notice.overriddenAt).toLocaleTimeString('en-US', {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    ...(notice.timeZone ? { timeZone: notice.timeZone } : {}),
    timeZoneName: 'short',
  });
  const reason = notice.reason ? ` (${notice.reason})` : '';
  return {
    uuid: newId(),
    summary: `You overrode this at ${at}${reason}; it returns if worse`.slice(0, 139),
    indicator: 'info',
    source: suppressed.source,
    ...(suppressed.links ? { links: suppressed.links } : {}),
  };
}
