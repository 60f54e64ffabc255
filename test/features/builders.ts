/** Small FHIR resource builders for feature tests (R4 shapes, only the fields a test needs). */
import type { Condition, MedicationAdministration, MedicationRequest, Observation, Procedure } from 'fhir/r4';
import type { PatientData } from '../../src/features/types.js';

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
export const CPT = 'http://www.ama-assn.org/go/cpt';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const UCUM = 'http://unitsofmeasure.org';

export function emptyData(over: Partial<PatientData> = {}): PatientData {
  return {
    observations: [],
    conditions: [],
    procedures: [],
    medicationAdministrations: [],
    medicationRequests: [],
    diagnosticReports: [],
    ...over,
  };
}

export function lab(
  id: string,
  loinc: string,
  value: number,
  unit: string | undefined,
  time: string,
  over: Partial<Observation> = {},
): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: LOINC, code: loinc }] },
    effectiveDateTime: time,
    valueQuantity: unit === undefined ? { value } : { value, unit, system: UCUM, code: unit },
    ...over,
  };
}

export function carTProcedure(id: string, time: string, over: Partial<Procedure> = {}): Procedure {
  return {
    resourceType: 'Procedure',
    id,
    status: 'completed',
    subject: { reference: 'Patient/p1' },
    code: { coding: [{ system: CPT, code: '38228' }] },
    performedDateTime: time,
    ...over,
  };
}

export function condition(id: string, system: string, code: string, over: Partial<Condition> = {}): Condition {
  return {
    resourceType: 'Condition',
    id,
    subject: { reference: 'Patient/p1' },
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: { coding: [{ system, code }] },
    ...over,
  };
}

export function administration(id: string, rxcui: string | undefined, text: string | undefined, time: string, over: Partial<MedicationAdministration> = {}): MedicationAdministration {
  return {
    resourceType: 'MedicationAdministration',
    id,
    status: 'completed',
    subject: { reference: 'Patient/p1' },
    medicationCodeableConcept: {
      ...(rxcui ? { coding: [{ system: RXNORM, code: rxcui }] } : {}),
      ...(text ? { text } : {}),
    },
    effectiveDateTime: time,
    ...over,
  };
}

export function request(id: string, text: string, authoredOn: string, over: Partial<MedicationRequest> = {}): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    medicationCodeableConcept: { text },
    authoredOn,
    ...over,
  };
}
