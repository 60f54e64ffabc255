/**
 * FHIR resources -> PatientData without any I/O: sorting resources by type, and splitting one patient
 * out of a Bundle. Pure and browser-safe (no node imports): the CLI, the SMART app bundle, tests and
 * the bench share it.
 */
import type { Bundle, FhirResource, Patient } from 'fhir/r4';
import type { PatientData } from '../features/types.js';
import { RESOURCE_TARGETS, emptyPatientData, type SearchableType } from './dataItems.js';

/** Adds one resource to the list its type fills; the first Patient wins; other types are dropped. */
export function addResource(data: PatientData, resource: FhirResource): void {
  if (resource.resourceType === 'Patient') {
    data.patient ??= resource;
    return;
  }
  const target = RESOURCE_TARGETS[resource.resourceType as SearchableType] as (typeof RESOURCE_TARGETS)[SearchableType] | undefined;
  if (target) (data[target] as FhirResource[]).push(resource);
}

export function isResource(value: unknown): value is FhirResource {
  return typeof value === 'object' && value !== null && typeof (value as { resourceType?: unknown }).resourceType === 'string';
}

function referencesPatient(resource: FhirResource, refs: ReadonlySet<string>): boolean {
  const holder = resource as { subject?: { reference?: string }; patient?: { reference?: string } };
  const ref = holder.subject?.reference ?? holder.patient?.reference;
  if (!ref) return false;
  if (refs.has(ref)) return true;
  // Absolute references: https://host/fhir/Patient/123
  const match = /(?:^|\/)(Patient\/[^/]+)$/.exec(ref);
  const target = match?.[1];
  return target !== undefined && refs.has(target);
}

/**
 * Splits a FHIR Bundle into one patient's PatientData (entries may reference the patient by `urn:uuid`,
 * relative or absolute reference). Without `patientId` the bundle must hold exactly one Patient.
 * Throws an Error whose message says what is wrong with the bundle.
 */
export function patientDataFromBundle(bundle: unknown, patientId?: string): { data: PatientData; patientId: string } {
  const b = bundle as Bundle<FhirResource> | null;
  if (!b || typeof b !== 'object' || b.resourceType !== 'Bundle') throw new Error('the file is not a FHIR Bundle (resourceType must be "Bundle")');
  const entries = (Array.isArray(b.entry) ? b.entry : []).flatMap((e) =>
    e && isResource(e.resource) ? [{ resource: e.resource, ...(e.fullUrl ? { fullUrl: e.fullUrl } : {}) }] : [],
  );
  const patients = entries.filter((e) => e.resource.resourceType === 'Patient');
  const chosen = patientId ? patients.find((e) => e.resource.id === patientId) : patients.length === 1 ? patients[0] : undefined;
  if (!chosen) {
    const ids = patients.map((e) => e.resource.id ?? '(no id)').join(', ') || 'none';
    throw new Error(patientId ? `no Patient/${patientId} in the bundle (patients: ${ids})` : `the bundle holds ${patients.length} patients (${ids}); choose one with --patient`);
  }
  const patient = chosen.resource as Patient;
  const id = patient.id ?? patientId ?? 'unknown';
  const refs = new Set([`Patient/${id}`, ...(chosen.fullUrl ? [chosen.fullUrl] : [])]);
  const data: PatientData = { ...emptyPatientData(), patient };
  for (const { resource } of entries) if (resource.resourceType !== 'Patient' && referencesPatient(resource, refs)) addResource(data, resource);
  return { data, patientId: id };
}
