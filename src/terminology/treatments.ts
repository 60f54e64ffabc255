/**
 * Treatment ingredients (RxNorm TTY=IN, docs/terminology.md#treatments) mapped to the engine's TreatmentClass.
 * Orders are usually coded at clinical-drug level (SCD/SBD), which no ingredient CUI matches, so
 * ingredient and brand names in the concept's text and displays are matched as well.
 */
import type { CodeableConcept } from 'fhir/r4';
export type TreatmentClass =
  | 'corticosteroid'
  | 'anakinra'
  | 'il6-blockade'
  | 'ruxolitinib'
  | 'emapalumab'
  | 'etoposide';

import { CodeIndex } from './codeIndex.js';
import type { CodeStatus } from './loinc.js';
import { codingsOf } from './systems.js';

export interface TreatmentDrug {
  drug: string;
  class: TreatmentClass;
  /** RxNorm ingredient CUI, when docs/terminology.md gives one. */
  rxcui?: string;
  status: CodeStatus;
  /** Brand names (lower case). Not in docs/terminology.md: general knowledge, UNVERIFIED. */
  brands?: readonly string[];
}

export const TREATMENT_DRUGS: readonly TreatmentDrug[] = [
  { drug: 'dexamethasone', class: 'corticosteroid', rxcui: '3264', status: 'V2', brands: ['decadron'] },
  { drug: 'methylprednisolone', class: 'corticosteroid', rxcui: '6902', status: 'V', brands: ['solu-medrol', 'medrol'] },
  { drug: 'prednisone', class: 'corticosteroid', rxcui: '8640', status: 'V' },
  { drug: 'hydrocortisone', class: 'corticosteroid', rxcui: '5492', status: 'V2', brands: ['solu-cortef'] },
  { drug: 'anakinra', class: 'anakinra', rxcui: '72435', status: 'V', brands: ['kineret'] },
  { drug: 'tocilizumab', class: 'il6-blockade', rxcui: '612865', status: 'V', brands: ['actemra'] },
  { drug: 'siltuximab', class: 'il6-blockade', rxcui: '1535218', status: 'V', brands: ['sylvant'] },
  { drug: 'ruxolitinib', class: 'ruxolitinib', rxcui: '1193326', status: 'V', brands: ['jakafi'] },
  // Emapalumab: ingredient CUI not found (docs/terminology.md#treatments); matched by name only.
  { drug: 'emapalumab', class: 'emapalumab', status: 'UNVERIFIED', brands: ['gamifant'] },
  { drug: 'etoposide', class: 'etoposide', rxcui: '4179', status: 'V', brands: ['vepesid', 'etopophos'] },
];

const RX_INDEX = new CodeIndex<TreatmentDrug>(
  TREATMENT_DRUGS.flatMap((d) => (d.rxcui ? [['rxnorm', d.rxcui, d] as const] : [])),
);

const BY_NAME = new Map<string, TreatmentDrug>(
  TREATMENT_DRUGS.flatMap((d) => [d.drug, ...(d.brands ?? [])].map((n) => [n, d] as const)),
);
/** One alternation compiled once; `\b` keeps "prednisone" from matching inside other words. */
const NAME_PATTERN = new RegExp(`\\b(${[...BY_NAME.keys()].map((n) => n.replace('-', '\\-')).join('|')})\\b`, 'i');

export function matchTreatmentName(text: string | undefined): TreatmentDrug | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  const m = NAME_PATTERN.exec(text);
  return m?.[1] === undefined ? undefined : BY_NAME.get(m[1].toLowerCase());
}

/** The treatment a medication concept names: RxNorm ingredient code first, then names. */
export function matchTreatmentConcept(concept: CodeableConcept | undefined): TreatmentDrug | undefined {
  if (!concept) return undefined;
  for (const coding of codingsOf(concept)) {
    const hit = RX_INDEX.match(coding);
    if (hit) return hit;
  }
  const byText = matchTreatmentName(concept.text);
  if (byText) return byText;
  for (const coding of codingsOf(concept)) {
    const hit = matchTreatmentName(coding?.display);
    if (hit) return hit;
  }
  return undefined;
}
