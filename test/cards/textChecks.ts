/**
 * What card text must never contain: evidence tables, internal document names, developer notes,
 * "UNVERIFIED" labels (the threshold status line says it once, in words), bare H/L flags.
 */
import type { CdsCard } from '../../src/cards/cdsHooks.js';

const FORBIDDEN: [RegExp, string][] = [
  [/^\s*\|.*\|\s*$/m, 'a markdown table row'],
  [/UNVERIFIED/, '"UNVERIFIED" label'],
  [/clinical(-verification)?\.md|cds-hooks\.md|terminology\.md|DESIGN\.md|code-style-anchors|\.\.\/shared|reference\//i, 'an internal document'],
  [/tables were not read|not read in full|full text unread|recalled|developer|TODO|FIXME/i, 'a developer note'],
  [/\d (?:[a-zA-Zµ/%³⁹×0-9*]+ )?[HL]\b(?![-a-z])/, 'a bare H/L flag'],
];

export function internalTextProblems(card: CdsCard): string[] {
  const text = `${card.summary}\n${card.detail ?? ''}\n${(card.links ?? []).map((l) => l.label).join('\n')}`;
  return FORBIDDEN.flatMap(([pattern, what]) => {
    const hit = text.match(pattern);
    return hit ? [`${what}: ${hit[0]}`] : [];
  });
}
