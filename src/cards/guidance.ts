/**
 * The management text cards show: one to three lines that know what is already running
 * (Evaluation.treatmentState). Text only: never a pre-filled medication order, never a dose, and no
 * IL-6 advice (IL-6 blockade is not IEC-HS-directed therapy). Treatment stance after Hines et al. 2023
 * (corticosteroids the cornerstone, with anakinra; ruxolitinib or emapalumab when refractory).
 */
import type { Evaluation } from '../criteria/types.js';
import { dueNotPending, overlapsCrs } from './tier.js';
import type { CardContext } from './context.js';
import { isTCellEngager, syndrome } from './wording.js';

function team(evaluation: Evaluation): string {
  return isTCellEngager(evaluation) ? 'the treating team' : 'the cellular therapy team';
}

/** The treatment line, by what is already running; without the engine's state, the general advice. */
function treatmentLine(evaluation: Evaluation): string {
  const state = evaluation.treatmentState;
  if (state?.refractoryTherapy) return `Refractory therapy is already running: review the response with ${team(evaluation)}.`;
  if (state?.anakinra) return `Already on anakinra${state.corticosteroid ? ' and corticosteroids' : ''}: if not improving, consider refractory options (ruxolitinib, emapalumab) with ${team(evaluation)}.`;
  if (state?.corticosteroid) return `Corticosteroids already running: consider escalating them and adding anakinra, with ${team(evaluation)}.`;
  if (state) return `Consider corticosteroids with anakinra (first line), with ${team(evaluation)}.`;
  return `Consider corticosteroids with anakinra (first line); ruxolitinib or emapalumab if refractory. Discuss with ${team(evaluation)}.`;
}

/** Next step for an alert (warning or critical). */
export function alertNextStep(evaluation: Evaluation): string[] {
  const lines = [treatmentLine(evaluation)];
  if (overlapsCrs(evaluation)) lines.push(`CRS is still active: keep managing it by its grade; the HLH-like features need ${syndrome(evaluation)}-directed therapy too.`);
  lines.push('Evaluate for infection and progression.');
  return lines;
}

/** Next step for a watch card, keyed by the engine's typed watch reasons. */
export function watchNextStep(evaluation: Evaluation, ctx: Pick<CardContext, 'pendingOrders'>): string[] {
  const lines: string[] = [];
  const reasons = evaluation.picture?.watchReasons ?? [];
  if (reasons.includes('ferritin-falling')) lines.push('Ferritin is elevated but falling: repeat ferritin, fibrinogen and blood counts to confirm the decline.');
  if (reasons.includes('ferritin-cytopenia-only')) lines.push('Ferritin with cytopenia but no specific sign: recheck fibrinogen and liver tests.');
  if (reasons.includes('organ-value') || (!evaluation.picture && evaluation.severeOrganDysfunction)) {
    lines.push(`A severe organ value without the ${syndrome(evaluation)} picture: review its cause.`);
  }
  if (dueNotPending(evaluation, ctx).length > 0) lines.push('Order the due labs with the buttons below.');
  return lines.slice(0, 3);
}

/** First-line alternatives named on the IL-6 order-select warning, aware of what is running. */
export function firstLineAlternatives(evaluation: Evaluation): string {
  return treatmentLine(evaluation);
}
