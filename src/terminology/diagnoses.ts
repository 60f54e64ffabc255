/**
 * Diagnosis and finding codes (docs/terminology.md#diagnoses): CRS, ICANS, complication of immune effector
 * cellular therapy, HLH / MAS, hemophagocytosis, splenomegaly, and the two confounders IEC-HS is
 * diagnosed against (docs/clinical-basis.md#astct): infection (sepsis, bacteremia, candidemia) and relapse of the
 * underlying malignancy ("in relapse" leaves of docs/terminology.md#underlying-disease). ICD-10-CM is matched by prefix
 * (docs/terminology.md#icd-prefix), so new leaves and 7th characters (T80.82XA/XD/XS) are picked up, with
 * or without the dot.
 */
import type { CodeableConcept, Coding } from 'fhir/r4';
/** What a coded diagnosis means to the engine. */
export type DiagnosisKind =
  | 'crs'
  | 'icans'
  | 'iec-complication'
  | 'hlh'
  | 'mas'
  | 'hemophagocytosis'
  | 'splenomegaly'
  /** Sepsis, bacteremia, candidemia: a confounder IEC-HS is diagnosed against (docs/clinical-basis.md#astct). */
  | 'infection'
  /** Underlying malignancy coded "in relapse": disease progression, the other confounder. */
  | 'relapse'
  /** Known underlying immunosuppression (HScore item). No code set yet: entered by a clinician in the app. Additive. */
  | 'immunosuppression';

import { HEMOPHAGOCYTOSIS_FINDING, findingAffirmed } from './negation.js';
import { CodeIndex } from './codeIndex.js';
import { codingsOf, normalizeCode, systemKeyOf } from './systems.js';
import type { CodeStatus } from './loinc.js';

export interface DiagnosisCode {
  kind: DiagnosisKind;
  display: string;
  status: CodeStatus;
  /** Short clinical term for card text ("sepsis", "ALL in relapse"); set on confounder codes. */
  term?: string;
}

export interface DiagnosisMatch extends DiagnosisCode {
  /** Grade carried by the code itself (CRS D89.831-D89.835, ICANS G92.01-G92.05). */
  grade?: number;
}

const ICD_PREFIXES: readonly (readonly [string, DiagnosisCode])[] = [
  ['D89.83', { kind: 'crs', display: 'Cytokine release syndrome', status: 'V2' }],
  ['G92.0', { kind: 'icans', display: 'Immune effector cell-associated neurotoxicity syndrome', status: 'V2' }],
  ['T80.82', { kind: 'iec-complication', display: 'Complication of immune effector cellular therapy', status: 'V2' }],
  ['D76.1', { kind: 'hlh', display: 'Hemophagocytic lymphohistiocytosis', status: 'V2' }],
  ['D76.2', { kind: 'hlh', display: 'Hemophagocytic syndrome, infection-associated', status: 'V2' }],
  // D76.3 "Other histiocytosis syndromes": the reference lists it with the HLH family used for screening.
  ['D76.3', { kind: 'hlh', display: 'Other histiocytosis syndromes', status: 'V2' }],
  // Not in docs/terminology.md: ICD-10-CM splenomegaly codes, UNVERIFIED.
  ['R16.1', { kind: 'splenomegaly', display: 'Splenomegaly, not elsewhere classified', status: 'UNVERIFIED' }],
  ['R16.2', { kind: 'splenomegaly', display: 'Hepatomegaly with splenomegaly, not elsewhere classified', status: 'UNVERIFIED' }],

  // Infection (confounder). None of these is in docs/terminology.md: standard ICD-10-CM categories, UNVERIFIED.
  // A40/A41 as 3-character prefixes take every leaf (A41.51 E. coli sepsis, A41.9 unspecified).
  ['A40', { kind: 'infection', display: 'Streptococcal sepsis', term: 'sepsis', status: 'UNVERIFIED' }],
  ['A41', { kind: 'infection', display: 'Other sepsis', term: 'sepsis', status: 'UNVERIFIED' }],
  ['R65.20', { kind: 'infection', display: 'Severe sepsis without septic shock', term: 'severe sepsis', status: 'UNVERIFIED' }],
  ['R65.21', { kind: 'infection', display: 'Severe sepsis with septic shock', term: 'septic shock', status: 'UNVERIFIED' }],
  ['R78.81', { kind: 'infection', display: 'Bacteremia', term: 'bacteremia', status: 'UNVERIFIED' }],
  ['B37.7', { kind: 'infection', display: 'Candidal sepsis', term: 'candidemia', status: 'UNVERIFIED' }],

  // Relapse of the underlying malignancy (confounder): the "in relapse" leaves of the §3.3 families.
  // Lymphoma categories C81-C88 have no "in relapse" leaf (only "in remission", FY2025), so relapsed
  // lymphoma is not codable here and stays invisible to this check.
  ['C91.02', { kind: 'relapse', display: 'Acute lymphoblastic leukemia, in relapse', term: 'ALL in relapse', status: 'V2' }],
  ['C90.02', { kind: 'relapse', display: 'Multiple myeloma in relapse', term: 'myeloma in relapse', status: 'V2' }],
  // §3.3 lists C91.12 among the CLL leaves (titles not seen): V2 by the family pattern.
  ['C91.12', { kind: 'relapse', display: 'Chronic lymphocytic leukemia of B-cell type in relapse', term: 'CLL in relapse', status: 'V2' }],
  // AML (C92.0-) is not in docs/terminology.md: UNVERIFIED.
  ['C92.02', { kind: 'relapse', display: 'Acute myeloblastic leukemia, in relapse', term: 'AML in relapse', status: 'UNVERIFIED' }],
];

const SNOMED: readonly (readonly [string, DiagnosisCode])[] = [
  ['710027002', { kind: 'crs', display: 'Cytokine release syndrome', status: 'V' }],
  ['234437005', { kind: 'hlh', display: 'Hemophagocytic lymphohistiocytosis', status: 'V2' }],
  ['190959006', { kind: 'hlh', display: 'Hemophagocytic lymphohistiocytosis due to infection', status: 'V2' }],
  ['430478003', { kind: 'mas', display: 'Macrophage activation syndrome', status: 'V2' }],
  // Not in docs/terminology.md: SNOMED CT splenomegaly, UNVERIFIED. No SNOMED concept for hemophagocytosis
  // (finding) or ICANS was found (docs/terminology.md#unverified-codes), so none is coded here.
  ['16294009', { kind: 'splenomegaly', display: 'Splenomegaly', status: 'UNVERIFIED' }],
  // Not in docs/terminology.md: SNOMED CT Sepsis (disorder), UNVERIFIED.
  ['91302008', { kind: 'infection', display: 'Sepsis', term: 'sepsis', status: 'UNVERIFIED' }],
];

const ICD_INDEX = new CodeIndex<DiagnosisCode>(ICD_PREFIXES.map(([code, entry]) => ['icd10cm', code, entry] as const));
const SNOMED_INDEX = new CodeIndex<DiagnosisCode>(SNOMED.map(([code, entry]) => ['snomed', code, entry] as const));

/** CRS D89.83[1-5] and ICANS G92.0[1-5]: the character after the stem is the grade; 9 / 0 = unspecified. */
function gradeOf(kind: DiagnosisKind, normalized: string): number | undefined {
  const stemLength = kind === 'crs' ? 5 : kind === 'icans' ? 4 : -1;
  if (stemLength < 0 || normalized.length <= stemLength) return undefined;
  const digit = normalized.charCodeAt(stemLength) - 48;
  return digit >= 1 && digit <= 5 ? digit : undefined;
}

/** Cheap pre-check (no allocation): does any coding use a terminology diagnoses are coded in? */
export function mayCarryDiagnosis(concept: CodeableConcept | undefined): boolean {
  for (const c of codingsOf(concept)) {
    const key = systemKeyOf(c?.system);
    if (key === 'snomed' || key === 'icd10cm') return true;
  }
  return false;
}

export function matchDiagnosisCoding(coding: Coding | undefined): DiagnosisMatch | undefined {
  if (!coding || typeof coding.code !== 'string') return undefined;
  const key = systemKeyOf(coding.system);
  if (key === 'snomed') return SNOMED_INDEX.match(coding);
  if (key !== 'icd10cm') return undefined;
  const hit = ICD_INDEX.matchPrefix(coding);
  if (!hit) return undefined;
  const grade = gradeOf(hit.kind, normalizeCode(key, coding.code));
  return grade === undefined ? hit : { ...hit, grade };
}

/**
 * All distinct kinds a concept carries (a Condition may be coded SNOMED + ICD-10-CM, or carry both
 * CRS and HLH). Per kind, a coding with a grade wins over one without.
 */
export function matchDiagnosisConcept(concept: CodeableConcept | undefined): DiagnosisMatch[] {
  const out: DiagnosisMatch[] = [];
  for (const coding of codingsOf(concept)) {
    const hit = matchDiagnosisCoding(coding);
    if (!hit) continue;
    const i = out.findIndex((m) => m.kind === hit.kind);
    const seen = out[i];
    if (!seen) out.push(hit);
    else if (seen.grade === undefined && hit.grade !== undefined) out[i] = hit;
  }
  return out;
}

/**
 * LOINC codes of marrow / pathology reports. As DiagnosticReport.code they are searched by the
 * `diagnosticReports` prefetch; as Observation.code (narrative pathology Observations) they ride on
 * the `labs` prefetch, so the HTTP data paths and the CLI read the same data.
 */
export const PATHOLOGY_REPORT_LOINC: readonly string[] = ['33721-2', '48807-2', '11526-1'];

/** Bone-marrow / pathology report codes (docs/terminology.md#pathology-reports), as DiagnosticReport code or category. */
const PATHOLOGY_REPORT = new CodeIndex<true>([
  ['loinc', '33721-2', true], // Bone marrow Pathology biopsy report (V)
  ['loinc', '48807-2', true], // Bone marrow aspiration report (V)
  ['loinc', '11526-1', true], // Pathology study (V2)
  ['snomed', '721631001', true], // Bone marrow pathology biopsy report, record artifact (V2)
]);

export function isPathologyReport(concept: CodeableConcept | undefined): boolean {
  for (const coding of codingsOf(concept)) if (PATHOLOGY_REPORT.match(coding)) return true;
  return false;
}

/** Some mention of hemophagocytosis in `text` is affirmed (scoped negation, negation.ts). */
export function mentionsHemophagocytosis(text: string): boolean {
  return findingAffirmed(text, HEMOPHAGOCYTOSIS_FINDING);
}
