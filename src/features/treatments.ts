/**
 * IEC-HS-relevant treatments: given (MedicationAdministration, any status but entered-in-error /
 * not-done) or ordered (MedicationRequest active / completed / draft). The drug is read from
 * medicationCodeableConcept, a contained Medication (`#id`), or the reference's display text.
 */
import type { MedicationAdministration, MedicationRequest } from 'fhir/r4';
import type { DataIssue, PatientData, Treatment } from './types.js';
import { matchTreatmentConcept, type TreatmentDrug } from '../terminology/index.js';
import { forEachResource, medicationConcepts, ref } from './fhir.js';
import { chronological, parseDayPrecise, type DayOf } from './time.js';

const ADMIN_IGNORED = new Set(['entered-in-error', 'not-done']);
const REQUEST_USED = new Set(['active', 'completed', 'draft']);

function drugOf(resource: MedicationAdministration | MedicationRequest): TreatmentDrug | undefined {
  for (const concept of medicationConcepts(resource)) {
    const hit = matchTreatmentConcept(concept);
    if (hit) return hit;
  }
  return undefined;
}

function treatment(
  drug: TreatmentDrug,
  kind: Treatment['kind'],
  time: string | undefined,
  status: string | undefined,
  source: string,
  dayOf: DayOf | undefined,
): Treatment {
  const t: Treatment = { class: drug.class, drug: drug.drug, kind, source };
  if (typeof status === 'string') t.status = status;
  if (typeof time === 'string') {
    t.time = time;
    const parsed = dayOf === undefined ? undefined : parseDayPrecise(time);
    if (parsed && dayOf) t.day = dayOf(time, parsed.epochMs);
  }
  return t;
}

export function findTreatments(data: PatientData, dayOf: DayOf | undefined, issues: DataIssue[]): Treatment[] {
  const out: Treatment[] = [];
  forEachResource(data.medicationAdministrations, 'MedicationAdministration', issues, (a) => {
    if (ADMIN_IGNORED.has(a.status)) return;
    const drug = drugOf(a);
    if (drug) out.push(treatment(drug, 'given', a.effectiveDateTime ?? a.effectivePeriod?.start, a.status, ref(a, 'MedicationAdministration'), dayOf));
  });
  forEachResource(data.medicationRequests, 'MedicationRequest', issues, (r) => {
    if (!REQUEST_USED.has(r.status)) return;
    const drug = drugOf(r);
    if (drug) out.push(treatment(drug, 'ordered', r.authoredOn, r.status, ref(r, 'MedicationRequest'), dayOf));
  });
  return out.sort((a, b) => chronological(a, b) || (a.drug < b.drug ? -1 : a.drug > b.drug ? 1 : 0));
}
