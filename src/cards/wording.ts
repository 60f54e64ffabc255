/**
 * Words that depend on the exposure class and on the engine's verdict. Cellular therapy (CAR-T) cards
 * speak of IEC-HS; T-cell engager cards speak of an "HLH-like syndrome after T-cell engager therapy"
 * and never say CAR-T or IEC-HS (the term is reserved for cellular therapies).
 */
import type { AssessmentId, Evaluation } from '../criteria/types.js';
import { escapeMarkdown } from './markdown.js';

/** Product names come from the EHR: cut so a runaway display cannot crowd out the card. */
const PRODUCT_MAX = 40;

export function isTCellEngager(evaluation: Evaluation): boolean {
  return (evaluation.exposure?.class ?? evaluation.timeline.infusion?.exposure) === 't-cell-engager';
}

/** Plain-text product name (escape before markdown), when known. */
export function productName(evaluation: Evaluation): string | undefined {
  const raw = (evaluation.exposure?.product ?? evaluation.timeline.infusion?.product)?.trim();
  if (!raw) return undefined;
  return raw.length > PRODUCT_MAX ? `${raw.slice(0, PRODUCT_MAX - 1).trimEnd()}…` : raw;
}

/** `IEC-HS` or `HLH-like syndrome`: the name of what we watch for. */
export function syndrome(evaluation: Evaluation): string {
  return isTCellEngager(evaluation) ? 'HLH-like syndrome' : 'IEC-HS';
}

/** `after CAR-T` or `after T-cell engager therapy (teclistamab)`; plain text. */
export function therapyPhrase(evaluation: Evaluation): string {
  if (!isTCellEngager(evaluation)) return 'after CAR-T';
  const product = productName(evaluation);
  return `after T-cell engager therapy${product ? ` (${product})` : ''}`;
}

/** `day 11 after CAR-T`; plain text. */
export function dayPhrase(evaluation: Evaluation): string {
  const day = evaluation.timeline.dayNow;
  return day === undefined ? therapyPhrase(evaluation) : `day ${day} ${therapyPhrase(evaluation)}`;
}

/** Short names of the criteria sets as cards print them. */
export function assessmentName(id: AssessmentId, evaluation: Evaluation): string {
  switch (id) {
    case 'astct-iec-hs':
      return isTCellEngager(evaluation) ? 'ASTCT framework (Hines 2023)' : 'ASTCT IEC-HS framework';
    case 'carhlh':
      return 'CARTOX carHLH';
    case 'hlh-lt':
      return 'PRWCC HLH-LT';
    case 'hscore':
      return 'HScore';
    case 'hlh-2004':
      return 'HLH-2004';
    case 'ohi':
      return 'OHI';
  }
}

/** Markdown-safe product name. */
export function productMarkdown(evaluation: Evaluation): string | undefined {
  const product = productName(evaluation);
  return product ? escapeMarkdown(product) : undefined;
}
