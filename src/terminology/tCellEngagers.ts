/**
 * Bispecific T-cell engagers: their own exposure class (product decision, issue 12).
 * Day 0 is the first (step-up) dose. Matched by RxNorm clinical-drug CUI and NDC product code where
 * the codes were checked, and by generic or brand name otherwise.
 *
 * Code provenance (openFDA NDC directory, read 2026-12; api.fda.gov/drug/ndc.json):
 * - teclistamab (Tecvayli), NDC 57894-449: RxCUIs 2619432, 2619438, 2619441, 2619444 (VERIFIED).
 * - blinatumomab (Blincyto), NDC 55513-160: RxCUIs 1597262, 1597267 (VERIFIED).
 * - elranatamab (Elrexfio), NDC 0069-4494: openFDA lists no RxCUI; NDC VERIFIED, RxCUI none.
 * - talquetamab, epcoritamab, glofitamab, mosunetuzumab, tarlatamab: no code read; matched by name
 *   only (UNVERIFIED codes are deliberately not guessed).
 */
import type { CodeableConcept, Coding } from 'fhir/r4';
import { CodeIndex } from './codeIndex.js';
import { codingsOf, SYSTEM, systemKeyOf, type SystemKey } from './systems.js';

export interface EngagerProduct {
  /** Ingredient name, lower case (what cards print). */
  generic: string;
  brand: string;
}

const E = {
  teclistamab: { generic: 'teclistamab', brand: 'Tecvayli' },
  elranatamab: { generic: 'elranatamab', brand: 'Elrexfio' },
  talquetamab: { generic: 'talquetamab', brand: 'Talvey' },
  epcoritamab: { generic: 'epcoritamab', brand: 'Epkinly' },
  glofitamab: { generic: 'glofitamab', brand: 'Columvi' },
  mosunetuzumab: { generic: 'mosunetuzumab', brand: 'Lunsumio' },
  blinatumomab: { generic: 'blinatumomab', brand: 'Blincyto' },
  tarlatamab: { generic: 'tarlatamab', brand: 'Imdelltra' },
} as const satisfies Record<string, EngagerProduct>;

export const T_CELL_ENGAGERS: readonly EngagerProduct[] = Object.values(E);

const CODED: readonly (readonly [SystemKey, string, EngagerProduct])[] = [
  ['rxnorm', '2619432', E.teclistamab],
  ['rxnorm', '2619438', E.teclistamab],
  ['rxnorm', '2619441', E.teclistamab],
  ['rxnorm', '2619444', E.teclistamab],
  ['rxnorm', '1597262', E.blinatumomab],
  ['rxnorm', '1597267', E.blinatumomab],
  ['ndc', '57894-449', E.teclistamab],
  ['ndc', '0069-4494', E.elranatamab],
  ['ndc', '55513-160', E.blinatumomab],
];
const INDEX = new CodeIndex<EngagerProduct>(CODED);

/** `system|code` tokens of the coded engager products, for administration searches (the census); NDC left out as for CAR-T. */
export function tCellEngagerSearchTokens(): string[] {
  return CODED.filter(([system]) => system !== 'ndc').map(([system, code]) => `${SYSTEM[system]}|${code}`);
}

/** Generic names (with or without the FDA four-letter suffix, e.g. "teclistamab-cqyv") and brands. */
const BY_NAME = new Map<string, EngagerProduct>(T_CELL_ENGAGERS.flatMap((p) => [[p.generic, p] as const, [p.brand.toLowerCase(), p] as const]));
const NAME_PATTERN = new RegExp(`\\b(${[...BY_NAME.keys()].join('|')})\\b`, 'i');

export function matchEngagerCoding(coding: Coding | undefined): EngagerProduct | undefined {
  if (!coding || typeof coding.code !== 'string') return undefined;
  if (systemKeyOf(coding.system) === 'ndc') {
    const parts = coding.code.trim().split('-');
    return parts.length >= 2 ? INDEX.get('ndc', `${parts[0]}-${parts[1]}`) : undefined;
  }
  return INDEX.match(coding);
}

export function matchEngagerName(text: string | undefined): EngagerProduct | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  const m = NAME_PATTERN.exec(text);
  return m?.[1] ? BY_NAME.get(m[1].toLowerCase()) : undefined;
}

/** The engager a medication concept names: codes first, then names in its text and displays. */
export function matchEngagerConcept(concept: CodeableConcept | undefined): EngagerProduct | undefined {
  if (!concept) return undefined;
  for (const coding of codingsOf(concept)) {
    const hit = matchEngagerCoding(coding);
    if (hit) return hit;
  }
  const byText = matchEngagerName(concept.text);
  if (byText) return byText;
  for (const coding of codingsOf(concept)) {
    const hit = matchEngagerName(coding?.display);
    if (hit) return hit;
  }
  return undefined;
}
