/**
 * Which FHIR data a hook call needs, and what happens when an item cannot be had.
 *
 * Decision (also in README): the IEC-HS picture cannot be judged without the patient's labs, and "day N
 * after infusion" cannot be known without the infusion record, so those items are REQUIRED: when neither
 * prefetch nor the FHIR server yields them, the service answers 412 Precondition Failed (CDS Hooks 2.0).
 * Everything else only sharpens the picture (sex for reference ranges, CRS diagnoses, treatments given,
 * temperature): those items are OPTIONAL, and without them the answer is marked partial
 * (`CardContext.partialData.missing`) so the cards can say what was not seen.
 *
 * Items are keyed by prefetch key; the template's resource type says where the resources go.
 */
import type { PatientData } from '../features/types.js';

export type DataItemPolicy = 'required' | 'optional';

/**
 * Required prefetch keys. `procedures` and `medicationAdministrations` are both required because either may
 * hold the only definite infusion record (inpatient ICD-10-PCS procedure vs outpatient administration),
 * and some servers (Oracle Health) have no code filter on them, so neither can stand in for the other.
 */
export const REQUIRED_DATA_ITEMS: readonly string[] = ['labs', 'procedures', 'medicationAdministrations'];

export function dataItemPolicy(key: string): DataItemPolicy {
  return REQUIRED_DATA_ITEMS.includes(key) ? 'required' : 'optional';
}

/** PatientData list each searchable resource type fills. */
export const RESOURCE_TARGETS = {
  Observation: 'observations',
  Condition: 'conditions',
  Procedure: 'procedures',
  MedicationAdministration: 'medicationAdministrations',
  MedicationRequest: 'medicationRequests',
  DiagnosticReport: 'diagnosticReports',
} as const satisfies Record<string, Exclude<keyof PatientData, 'patient'>>;

export type SearchableType = keyof typeof RESOURCE_TARGETS;

/** Resource types a prefetch template may name (Patient is read, the others searched). */
export function isSupportedResourceType(type: string): type is SearchableType | 'Patient' {
  return type === 'Patient' || type in RESOURCE_TARGETS;
}

export function emptyPatientData(): PatientData {
  return {
    observations: [],
    conditions: [],
    procedures: [],
    medicationAdministrations: [],
    medicationRequests: [],
    diagnosticReports: [],
  };
}
