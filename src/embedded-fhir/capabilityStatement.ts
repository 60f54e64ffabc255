/**
 * The CapabilityStatement served at `GET /metadata` (the router has no route for it; the sandbox
 * client opens a "Change FHIR Server" modal when it fails). It lists the resource types the CDS
 * services and fixtures use, each with the search parameters the embedded server can match.
 */
import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4';
import { searchParamsOf } from './definitions.js';
import { MATCHABLE_TYPES } from './searchQuery.js';

/** Resource types the fixtures hold and the services read or suggest. */
export const SUPPORTED_RESOURCE_TYPES = [
  'Patient',
  'Practitioner',
  'Encounter',
  'Observation',
  'DiagnosticReport',
  'Condition',
  'Procedure',
  'MedicationAdministration',
  'MedicationRequest',
  'MedicationStatement',
  'Medication',
  'ServiceRequest',
  'AllergyIntolerance',
  'Specimen',
] as const;

export function buildCapabilityStatement(fhirBase: string, date: string): CapabilityStatement {
  const resource: CapabilityStatementRestResource[] = SUPPORTED_RESOURCE_TYPES.map((type) => ({
    type,
    interaction: ['read', 'vread', 'update', 'create', 'delete', 'search-type', 'history-instance'].map((code) => ({
      code: code as 'read',
    })),
    versioning: 'versioned',
    updateCreate: true,
    searchParam: Object.entries(searchParamsOf(type) ?? {})
      .filter(([, p]) => MATCHABLE_TYPES.has(p.type))
      .map(([name, p]) => ({ name, type: p.type, ...(p.url ? { definition: p.url } : {}) })),
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    kind: 'instance',
    software: { name: 'iec-hs embedded FHIR server (@medplum/fhir-router 4.5.2, in memory)' },
    implementation: {
      description: 'In-memory FHIR R4 test and demo server. Not for patient data: nothing is persisted or validated, transactions are not atomic.',
      url: fhirBase,
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        resource,
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
      },
    ],
  };
}
