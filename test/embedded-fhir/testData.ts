/** Small synthetic bundles for the embedded FHIR tests (the scenario fixtures are tested elsewhere). */
import type { Bundle, BundleEntry, FhirResource, Observation } from 'fhir/r4';

export const LOINC = 'http://loinc.org';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
/** Ferritin, fibrinogen, platelets: the codes rotate so code-list searches have known answers. */
export const ROTATING_CODES = ['2276-4', '3255-7', '777-3'] as const;

export function putEntry(resource: FhirResource & { id: string }): BundleEntry {
  return { resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } };
}

export function labObservation(patientId: string, index: number, start = Date.UTC(2024, 0, 1)): Observation & { id: string } {
  const code = ROTATING_CODES[index % ROTATING_CODES.length] as string;
  return {
    resourceType: 'Observation',
    id: `${patientId}-lab-${index}`,
    status: 'final',
    category: [{ coding: [{ system: OBS_CATEGORY, code: 'laboratory' }] }],
    code: { coding: [{ system: LOINC, code }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: new Date(start + index * 3_600_000).toISOString(),
    valueQuantity: { value: 100 + index, unit: 'ng/mL', system: 'http://unitsofmeasure.org', code: 'ng/mL' },
  };
}

/** One patient with `labs` laboratory Observations and one vital-sign Observation, as a PUT transaction. */
export function patientBundle(patientId: string, labs: number): Bundle {
  const entry: BundleEntry[] = [putEntry({ resourceType: 'Patient', id: patientId, name: [{ family: 'Test', given: ['Pat'] }] })];
  for (let i = 0; i < labs; i++) entry.push(putEntry(labObservation(patientId, i)));
  entry.push(
    putEntry({
      resourceType: 'Observation',
      id: `${patientId}-temp`,
      status: 'final',
      category: [{ coding: [{ system: OBS_CATEGORY, code: 'vital-signs' }] }],
      code: { coding: [{ system: LOINC, code: '8310-5' }] },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: '2024-01-02T08:00:00Z',
      valueQuantity: { value: 38.9, unit: 'Cel', system: 'http://unitsofmeasure.org', code: 'Cel' },
    }),
  );
  return { resourceType: 'Bundle', type: 'transaction', entry };
}
