/**
 * Code system URIs (docs/terminology.md#systems) and the variants seen in the wild, folded to one key per
 * terminology so that matching is on (system key, code). Built once at module load.
 */
import type { CodeableConcept, Coding } from 'fhir/r4';

export type SystemKey = 'loinc' | 'snomed' | 'icd10cm' | 'icd10pcs' | 'rxnorm' | 'cpt' | 'hcpcs' | 'ndc' | 'ucum';

/** The preferred FHIR `system` URI per terminology, for anything we emit (e.g. draft ServiceRequests). */
export const SYSTEM = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  icd10pcs: 'http://www.cms.gov/Medicare/Coding/ICD10',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cpt: 'http://www.ama-assn.org/go/cpt',
  /** UNVERIFIED (docs/terminology.md#systems: seen only in code maps). */
  hcpcs: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  ndc: 'http://hl7.org/fhir/sid/ndc',
  ucum: 'http://unitsofmeasure.org',
} as const satisfies Record<SystemKey, string>;

/**
 * Accepted spellings. docs/terminology.md#systems lists the ICD-10-PCS THO URI and the HCPCS OID; the other OIDs
 * are the standard HL7 OIDs for these terminologies. `http://hl7.org/fhir/sid/icd-10` (WHO ICD-10) is
 * folded into ICD-10-CM because the codes we match (D76.x, T80.8x) share their stem there.
 */
const VARIANTS: Record<SystemKey, readonly string[]> = {
  loinc: ['urn:oid:2.16.840.1.113883.6.1'],
  snomed: ['urn:oid:2.16.840.1.113883.6.96', 'http://snomed.info/id'],
  icd10cm: ['urn:oid:2.16.840.1.113883.6.90', 'http://hl7.org/fhir/sid/icd-10-us', 'http://hl7.org/fhir/sid/icd-10'],
  icd10pcs: ['urn:oid:2.16.840.1.113883.6.4', 'http://terminology.hl7.org/CodeSystem/icd10PCS', 'http://www.icd10data.com/icd10pcs'],
  rxnorm: ['urn:oid:2.16.840.1.113883.6.88'],
  cpt: ['urn:oid:2.16.840.1.113883.6.12'],
  hcpcs: ['urn:oid:2.16.840.1.113883.6.285', 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets'],
  ndc: ['urn:oid:2.16.840.1.113883.6.69'],
  ucum: ['urn:oid:2.16.840.1.113883.6.8'],
};

/** Lower-case, no trailing slash, http for https: tolerant of the usual hand-typed differences. */
function foldUri(uri: string): string {
  let s = uri.trim().toLowerCase();
  if (s.endsWith('/')) s = s.slice(0, -1);
  if (s.startsWith('https://')) s = 'http://' + s.slice(8);
  return s;
}

const exact = new Map<string, SystemKey>();
const folded = new Map<string, SystemKey>();
for (const key of Object.keys(SYSTEM) as SystemKey[]) {
  for (const uri of [SYSTEM[key], ...VARIANTS[key]]) {
    exact.set(uri, key);
    folded.set(foldUri(uri), key);
  }
}
/** Results of folding unknown URIs, so each distinct spelling is folded once. */
const foldCache = new Map<string, SystemKey | null>();

/**
 * A concept's codings. Data from an EHR's prefetch or a client's draft orders may carry a `coding`
 * that is not a list (one object, a string): it reads as no codings, where iterating it threw (for a
 * draft order, a 500 from order-select).
 */
export function codingsOf(concept: CodeableConcept | undefined): readonly (Coding | undefined)[] {
  const codings: unknown = concept?.coding;
  return Array.isArray(codings) ? (codings as (Coding | undefined)[]) : [];
}

/** The terminology a `Coding.system` belongs to, or undefined when it is not one we match on. */
export function systemKeyOf(system: string | undefined): SystemKey | undefined {
  if (typeof system !== 'string' || !system) return undefined;
  const hit = exact.get(system);
  if (hit) return hit;
  let cached = foldCache.get(system);
  if (cached === undefined) {
    cached = folded.get(foldUri(system)) ?? null;
    if (foldCache.size < 10_000) foldCache.set(system, cached);
  }
  return cached ?? undefined;
}

/** Codes compare without the ICD dot, case-insensitively, ignoring surrounding space. */
export function normalizeCode(key: SystemKey, code: string): string {
  const trimmed = code.trim();
  if (key === 'icd10cm' || key === 'icd10pcs' || key === 'hcpcs' || key === 'cpt') {
    return trimmed.replace('.', '').toUpperCase();
  }
  return trimmed;
}
