/** Small pieces every scenario uses: diagnoses, the infusion, draft orders and common expectations. */
import type { Coding } from 'fhir/r4';
import { crsCodes, type ProductKey } from '../codes.js';
import type { DiagnosisSpec, DraftSpec, ExpectSpec, InfusionSpec, LabSpec } from '../model.js';

/** A CRS episode: ICD-10-CM D89.83<grade> + SNOMED 710027002; resolved when it has an abatement day. */
export function crs(grade: 1 | 2 | 3 | 4, onsetDay: number, abatementDay?: number, name = 'crs'): DiagnosisSpec {
  return {
    name,
    codes: crsCodes(grade),
    text: `Cytokine release syndrome, grade ${grade}`,
    onsetDay,
    ...(abatementDay !== undefined ? { abatementDay } : {}),
  };
}

/** A long-standing problem-list diagnosis (the underlying disease). */
export function problem(name: string, codes: readonly Coding[], text: string, onsetDay = -400): DiagnosisSpec {
  return { name, codes, text, onsetDay, category: 'problem-list-item' };
}

export function infusion(
  product: ProductKey,
  recordedAs: InfusionSpec['recordedAs'] = ['procedure', 'administration'],
  day = 0,
): InfusionSpec {
  return { day, product, recordedAs };
}

/** Every lab of a scenario without a printed reference range. */
export function withoutRanges(labs: readonly LabSpec[]): LabSpec[] {
  return labs.map((lab) => ({ ...lab, range: 'none' }));
}

export const DRAFT = {
  ferritin: { key: 'ferritin', lab: 'ferritin' },
  fibrinogen: { key: 'fibrinogen', lab: 'fibrinogen' },
  tocilizumab: { key: 'tocilizumab', drug: 'tocilizumab', dosage: 'Tocilizumab 8 mg/kg IV once (max 800 mg)', route: 'iv' },
  dexamethasone: { key: 'dexamethasone', drug: 'dexamethasone', dosage: 'Dexamethasone 10 mg IV every 6 hours', route: 'iv' },
  methylprednisolone: { key: 'methylprednisolone', drug: 'methylprednisolone', dosage: 'Methylprednisolone 1 g IV daily for 3 days', route: 'iv' },
  anakinra: { key: 'anakinra', drug: 'anakinra', dosage: 'Anakinra 100 mg subcutaneously every 6 hours', route: 'sc' },
} as const satisfies Record<string, DraftSpec>;

/** No card at all. */
export const NO_CARDS: ExpectSpec = { indicators: [], iecHs: false, il6Warning: false };

/** order-select: an IL-6 blocker selected while the picture is IEC-HS without active CRS. */
export const IL6_WARNING: ExpectSpec = { indicators: ['warning'], iecHs: true, il6Warning: true };
