/**
 * One line: what the criteria lacked (typed MissingItem: analyte or item, with a reason); one more for
 * the labs already ordered and pending. Pending labs are never listed as missing or due.
 */
import type { Evaluation, MissingItem, MissingReason } from '../criteria/types.js';
import type { Analyte } from '../features/types.js';
import { WORKUP_PANEL } from '../terminology/index.js';
import { ANALYTE_LABEL } from './format.js';
import type { CardContext } from './context.js';
import { escapeMarkdown } from './markdown.js';
import { pendingAnalytes } from './pending.js';
import { siteTime } from './siteTime.js';
import { labName } from './workupSuggestions.js';

const REASON_TEXT: Record<MissingReason | 'due', string> = {
  due: 'no recent result',
  'never-resulted': 'none on file',
  stale: 'no recent result',
  unconvertible: 'unit not convertible',
  'not-fetched': 'not retrieved',
  'not-structured': 'not coded',
};

const ITEM_TEXT: Readonly<Record<string, string>> = {
  'crs-status': 'CRS status',
  hemophagocytosis: 'hemophagocytosis',
  organomegaly: 'organomegaly',
  splenomegaly: 'organomegaly',
  immunosuppression: 'known immunosuppression',
};

/** Names shown before "+N more" (the timeline app lists them all). */
const MAX_ITEMS = 4;

function itemName(item: MissingItem): string | undefined {
  if (item.analyte) return ANALYTE_LABEL[item.analyte];
  if (!item.item) return undefined;
  return ITEM_TEXT[item.item] ?? item.item.replace(/-/g, ' ');
}

/** Typed missing items of the sets that matter: every set on alerts, the ASTCT set on watch cards. */
function missingItems(evaluation: Evaluation, all: boolean): MissingItem[] {
  const sets = all ? evaluation.assessments : evaluation.assessments.filter((a) => a.id === 'astct-iec-hs');
  const typed = sets.flatMap((a) => a.criteria.flatMap((c) => c.missingItems ?? []));
  if (typed.length > 0) return typed;
  // Older engines: the typed analyte list only (prose is never parsed).
  return sets.flatMap((a) => a.missingAnalytes ?? []).map((analyte): MissingItem => ({ analyte, reason: 'stale' }));
}

/** `ferritin (09:12 EDT)` per pending order, in the order they were placed. */
function pendingText(ctx: Pick<CardContext, 'pendingOrders'>, timeZone: string | undefined): string[] {
  return (ctx.pendingOrders ?? []).map((o) => {
    const item = WORKUP_PANEL.find((i) => i.loinc === o.loinc);
    return `${item ? labName(item) : `LOINC ${escapeMarkdown(o.loinc)}`} (${siteTime(o.orderedAt, timeZone)})`;
  });
}

export function missingLine(evaluation: Evaluation, ctx: CardContext, all: boolean): string | undefined {
  const pending = pendingAnalytes(ctx);
  const byReason = new Map<string, string[]>();
  const seen = new Set<string>();
  const add = (name: string | undefined, reason: MissingReason | 'due', analyte?: Analyte): void => {
    if (!name || seen.has(name) || (analyte && pending.has(analyte))) return;
    seen.add(name);
    const text = REASON_TEXT[reason];
    byReason.set(text, [...(byReason.get(text) ?? []), name]);
  };
  for (const analyte of evaluation.workupDue) add(ANALYTE_LABEL[analyte], 'due', analyte);
  for (const item of missingItems(evaluation, all)) add(itemName(item), item.reason, item.analyte);
  // MAX_ITEMS names in all, then one "+N more" for the rest (groups that would show none are folded in).
  let budget = MAX_ITEMS;
  let more = 0;
  const groups: string[] = [];
  for (const [reason, names] of byReason) {
    if (budget <= 0) {
      more += names.length;
      continue;
    }
    const shown = names.slice(0, budget);
    more += names.length - shown.length;
    budget -= shown.length;
    groups.push(`${reason}: ${escapeMarkdown(shown.join(', '))}`);
  }
  if (more > 0) groups.push(`+${more} more`);
  // Each entry with its reason ("labs (next link on another origin not followed)"): the why matters.
  const notRetrieved = [...new Set(ctx.partialData?.missing ?? [])].slice(0, 4).map((entry) => escapeMarkdown(entry.length > 80 ? `${entry.slice(0, 79)}…` : entry));
  // First, so it survives when the size limit shortens this line.
  if (notRetrieved.length > 0) groups.unshift(`not retrieved: ${notRetrieved.join(', ')}`);
  return groups.length ? `**Missing:** ${groups.join('; ')}.` : undefined;
}

/** `**Ordered, pending:** ferritin (09:12 EDT).`: accepted suggestions still waiting for a result. */
export function pendingLine(evaluation: Evaluation, ctx: Pick<CardContext, 'pendingOrders'>): string | undefined {
  const ordered = pendingText(ctx, evaluation.timeline.timeZone);
  return ordered.length ? `**Ordered, pending:** ${ordered.slice(0, 6).join(', ')}.` : undefined;
}
