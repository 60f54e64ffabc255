/**
 * Confounders on the IEC-HS card: an active infection or relapse of the underlying malignancy recorded
 * around the infusion (Evaluation.confounders). The tier stays (IEC-HS can coexist with infection);
 * the card says plainly that the other cause has to be evaluated first (the ASTCT framework weighs
 * IEC-HS against other causes; Hines et al. 2023, doi:10.1016/j.jtct.2023.03.006).
 */
import type { Diagnosis } from '../features/types.js';
import type { Evaluation } from '../criteria/types.js';
import { formatDay } from './format.js';
import { escapeMarkdown } from './markdown.js';
import { syndrome } from './wording.js';

type ConfounderKind = 'infection' | 'relapse';

const FALLBACK_TERM: Record<ConfounderKind, string> = { infection: 'infection', relapse: 'disease in relapse' };

/** Charted text longer than this is cut in the detail (the evidence is one click away in the chart). */
const CHARTED_TEXT_MAX = 40;

function ofKind(evaluation: Evaluation, kind: ConfounderKind): Diagnosis[] {
  return (evaluation.confounders ?? []).filter((d) => d.kind === kind);
}

/** First diagnosis per term, in the (chronological) order the criteria layer returned them. */
function firstPerTerm(diagnoses: Diagnosis[], kind: ConfounderKind): Diagnosis[] {
  const seen = new Set<string>();
  return diagnoses.filter((d) => {
    const term = d.term ?? FALLBACK_TERM[kind];
    if (seen.has(term)) return false;
    seen.add(term);
    return true;
  });
}

/** `sepsis, charted as "E. coli bacteremia with sepsis", from day 12`: the code's term, the charted words, the day. */
function describe(d: Diagnosis, kind: ConfounderKind): string {
  const term = d.term ?? FALLBACK_TERM[kind];
  const charted = d.display?.trim();
  const shown =
    charted && charted.toLowerCase() !== term.toLowerCase()
      ? `, charted as "${escapeMarkdown(charted.length > CHARTED_TEXT_MAX ? `${charted.slice(0, CHARTED_TEXT_MAX - 1).trimEnd()}…` : charted)}"`
      : '';
  return `${escapeMarkdown(term)}${shown}, from day ${formatDay(d.day)}`;
}

/**
 * One verdict line naming the other causes on record (first two terms per kind), or undefined. The
 * windows that chose them are the engine's; the card only words the result.
 */
export function confounderVerdict(evaluation: Evaluation): string | undefined {
  const infections = firstPerTerm(ofKind(evaluation, 'infection'), 'infection').slice(0, 2);
  const relapses = firstPerTerm(ofKind(evaluation, 'relapse'), 'relapse').slice(0, 2);
  if (infections.length === 0 && relapses.length === 0) return undefined;
  const parts: string[] = [];
  if (infections.length > 0) parts.push(`**Active infection on record** (${infections.map((d) => describe(d, 'infection')).join('; ')})`);
  if (relapses.length > 0) parts.push(`**Disease progression on record** (${relapses.map((d) => describe(d, 'relapse')).join('; ')})`);
  return `${parts.join('; ')}: it can mimic or drive this picture; evaluate before attributing it to ${syndrome(evaluation)}.`;
}

/** `sepsis on record`, `disease progression on record`, or both; undefined without confounders. */
export function confounderSummaryPhrase(evaluation: Evaluation): string | undefined {
  const infection = ofKind(evaluation, 'infection')[0];
  const relapse = ofKind(evaluation, 'relapse')[0];
  const named = [
    ...(infection ? [infection.term ?? FALLBACK_TERM.infection] : []),
    ...(relapse ? ['disease progression'] : []),
  ];
  return named.length > 0 ? `${named.join(' and ')} on record` : undefined;
}
