/**
 * FHIR access of the service: hook request -> PatientData (gather.ts), and a direct fetch by patient id
 * for the command line, which runs the same templates the CDS client would have prefetched.
 */
import type { FhirAccessLimits } from '../config/types.js';
import type { PatientData } from '../features/types.js';
import { gatherPatientData } from './gather.js';
import type { FetchFn } from './http.js';
import { defaultUrlPolicy, type OutboundUrlPolicy } from './urlPolicy.js';

export { gatherPatientData } from './gather.js';
export type { GatherInput, GatherDeps, GatherResult, ItemReport } from './gather.js';
export { defaultUrlPolicy, isSameOrigin, isLoopbackHost } from './urlPolicy.js';
export type { OutboundUrlPolicy, OutboundRequestContext, UrlDecision } from './urlPolicy.js';
export { FhirReadError } from './http.js';
export type { FetchFn } from './http.js';
export { REQUIRED_DATA_ITEMS, dataItemPolicy, emptyPatientData } from './dataItems.js';
export { addResource, patientDataFromBundle } from './bundle.js';
export { substituteTemplate, checkPrefetchTemplate } from './templates.js';

export interface FetchPatientDataOptions {
  fhirServer: string;
  accessToken?: string;
  patientId: string;
  limits: FhirAccessLimits;
  allowInsecureLoopback: boolean;
  /** Defaults to the global fetch. */
  fetch?: FetchFn;
  /** Defaults to the transport rule (https; http on loopback when allowed). */
  policy?: OutboundUrlPolicy;
  /** Prefetch templates to run (the service definition's `prefetch`, read once by the caller). */
  templates: Readonly<Record<string, string>>;
}

/**
 * Fetches one patient's data with the surveillance service's prefetch templates. Unlike a hook call it
 * does not fail on missing required items: `missing` lists every item that could not be read in full.
 */
export async function fetchPatientData(opts: FetchPatientDataOptions): Promise<{ data: PatientData; missing: string[] }> {
  const result = await gatherPatientData(
    {
      templates: opts.templates,
      context: { patientId: opts.patientId },
      fhirServer: opts.fhirServer,
      ...(opts.accessToken ? { accessToken: opts.accessToken } : {}),
    },
    {
      fetch: opts.fetch ?? fetch,
      limits: opts.limits,
      policy: opts.policy ?? defaultUrlPolicy({ allowInsecureLoopback: opts.allowInsecureLoopback }),
    },
  );
  return { data: result.data, missing: result.missing };
}
