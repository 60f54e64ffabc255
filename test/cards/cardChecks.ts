/**
 * Checks every card test runs: the server's CDS Hooks response validator (conformance lines 22-31,
 * invariants cds-resp-1..7) plus this service's own rules: the IEC-HS summary rule (after T-cell
 * engager therapy: "HLH-like syndrome", never IEC-HS or CAR-T), draft ServiceRequests only, and never
 * an IL-6 blocker in any action.
 */
import type { CdsCard } from '../../src/cards/cdsHooks.js';
import type { Evaluation } from '../../src/criteria/types.js';
import { checkCdsResponse } from '../../src/server/schemas/response.js';

const IL6_PATTERN = /tocilizumab|siltuximab|actemra|sylvant|612865|1535218/i;

export function cardProblems(cards: CdsCard[], evaluation: Evaluation): string[] {
  const problems = checkCdsResponse({ cards });
  const picture = evaluation.picture ? ['critical', 'warning'].includes(evaluation.picture.tier) : evaluation.iecHsPicture;
  const tce = (evaluation.exposure?.class ?? evaluation.timeline.infusion?.exposure) === 't-cell-engager';
  const name = tce ? 'HLH-like syndrome' : 'IEC-HS';
  cards.forEach((card, i) => {
    const interruptive = card.indicator !== 'info';
    if (interruptive && card.summary.includes(name) !== picture) {
      problems.push(`card ${i}: ${card.indicator} card ${picture ? 'without' : 'with'} ${name} in its summary`);
    }
    if (tce && /IEC-HS|CAR-?T/.test(`${card.summary}\n${card.detail ?? ''}`)) problems.push(`card ${i}: T-cell engager card says IEC-HS or CAR-T`);
    for (const suggestion of card.suggestions ?? []) {
      for (const action of suggestion.actions ?? []) {
        const text = JSON.stringify(action);
        if (IL6_PATTERN.test(text)) problems.push(`card ${i}: an action names an IL-6 blocker`);
        if (action.resource?.resourceType !== 'ServiceRequest') problems.push(`card ${i}: action creates ${action.resource?.resourceType}`);
      }
    }
  });
  if (cards.filter((c) => c.indicator !== 'info').length > 1) problems.push('more than one interruptive card');
  return problems;
}

export function expectValidCards(cards: CdsCard[], evaluation: Evaluation): void {
  expect(cardProblems(cards, evaluation)).toEqual([]);
}
