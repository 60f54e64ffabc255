/** Small, defensive readers for FHIR shapes shared by the feature modules (input may be anything). */
import type { CodeableConcept, Medication, MedicationAdministration, MedicationRequest } from 'fhir/r4';
import type { DataIssue } from './types.js';

/** Narrows a typed FHIR field to its object shape (JSON input may hold null or a primitive there). */
export function isObject<T>(x: T): x is Exclude<T, null | undefined | string | number | boolean> & object {
  return typeof x === 'object' && x !== null;
}

/** The array at `x`, or an empty one: prefetch may hold null, and FHIR JSON may be malformed. */
export function arrayOf<T>(x: T[] | null | undefined): T[] {
  return Array.isArray(x) ? x : [];
}

/** `Type/` prefixes, built once per type: `ref` then makes one string per call, not two. */
const PREFIXES = new Map<string, string>();

export function ref(resource: { id?: unknown } | undefined, type: string): string {
  const id = resource && typeof resource.id === 'string' ? resource.id : '(no id)';
  let prefix = PREFIXES.get(type);
  if (prefix === undefined) {
    prefix = `${type}/`;
    if (PREFIXES.size < 64) PREFIXES.set(type, prefix);
  }
  return prefix + id;
}

/**
 * Run `fn` on each object in `items`; a resource that makes it throw (malformed JSON in a shape the
 * types do not foresee) becomes an issue instead of failing the whole timeline.
 */
export function forEachResource<T extends { id?: unknown }>(
  items: T[] | null | undefined,
  type: string,
  issues: DataIssue[],
  fn: (item: T) => void,
): void {
  for (const item of arrayOf(items)) {
    if (!isObject(item)) continue;
    try {
      fn(item);
    } catch (e) {
      issues.push({ source: ref(item, type), reason: `could not read ${type}: ${(e as Error).message}` });
    }
  }
}

/** The first `code` of a CodeableConcept's codings, e.g. a clinicalStatus. */
export function firstCode(concept: CodeableConcept | undefined): string | undefined {
  for (const c of arrayOf(concept?.coding)) if (c && typeof c.code === 'string') return c.code;
  return undefined;
}

/**
 * The concepts naming a medication: `medicationCodeableConcept`, or a contained Medication (`#id`)
 * with its code and ingredient concepts, or just the reference's display text.
 */
export function medicationConcepts(resource: MedicationAdministration | MedicationRequest): CodeableConcept[] {
  if (isObject(resource.medicationCodeableConcept)) return [resource.medicationCodeableConcept];
  const reference = resource.medicationReference;
  if (!isObject(reference)) return [];
  const out: CodeableConcept[] = [];
  if (typeof reference.reference === 'string' && reference.reference.startsWith('#')) {
    const id = reference.reference.slice(1);
    const med = arrayOf(resource.contained).find((r): r is Medication => isObject(r) && r.resourceType === 'Medication' && r.id === id);
    if (med) {
      if (isObject(med.code)) out.push(med.code);
      for (const ing of arrayOf(med.ingredient)) if (isObject(ing?.itemCodeableConcept)) out.push(ing.itemCodeableConcept);
    }
  }
  if (typeof reference.display === 'string') out.push({ text: reference.display });
  return out;
}
