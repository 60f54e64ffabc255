/**
 * Reads one patient's data from the EHR's FHIR server with the user's SMART token (fhirclient), using
 * the same queries the CDS service prefetches (hooks/iec-hs-surveillance.json, bundled at build time).
 * Nothing is sent to the CDS service. A query that fails (e.g. a scope the EHR did not grant) is
 * reported as not read; the page then says which data it lacks.
 */
import type { Patient } from 'fhir/r4';
import type FHIR from 'fhirclient/lib/entry/browser.js';
import type { PatientData } from '../features/types.js';
// The pure FHIR modules only (src/fhir/index.ts would pull in the HTTP reader).
import { addResource, isResource } from '../fhir/bundle.js';
import { emptyPatientData } from '../fhir/dataItems.js';
import surveillance from '../../hooks/iec-hs-surveillance.json' with { type: 'json' };

/** Pages followed per query: bounded so a huge record cannot hang the page. */
const MAX_PAGES = 50;
const QUERY_TIMEOUT_MS = 30_000;

export interface LoadedData {
  data: PatientData;
  /** Prefetch keys whose query failed, with the reason. */
  notRead: { item: string; reason: string }[];
  /** FHIR requests made (for the status line and tests). */
  requests: number;
}

/** The client FHIR.oauth2.ready() resolves to. */
export type SmartClient = Awaited<ReturnType<typeof FHIR.oauth2.ready>>;

export async function loadPatientData(client: SmartClient, patientId: string): Promise<LoadedData> {
  const data = emptyPatientData();
  const notRead: LoadedData['notRead'] = [];
  let requests = 0;
  const templates: Record<string, string> = surveillance.prefetch;
  await Promise.all(
    Object.entries(templates).map(async ([item, template]) => {
      const url = template.replaceAll('{{context.patientId}}', encodeURIComponent(patientId));
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), QUERY_TIMEOUT_MS);
      try {
        requests++;
        const result: unknown = await client.request({ url, signal: controller.signal }, { pageLimit: MAX_PAGES, flat: true });
        const resources = Array.isArray(result) ? result : [result];
        for (const r of resources) if (isResource(r)) addResource(data, r);
      } catch (e) {
        notRead.push({ item, reason: e instanceof Error ? e.message.slice(0, 200) : 'request failed' });
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  if (!data.patient) {
    try {
      // By id, not client.patient.read(): a census launch names the patient without a launch context.
      const patient = await client.request<Patient>(`Patient/${encodeURIComponent(patientId)}`);
      requests++;
      if (isResource(patient)) data.patient = patient;
    } catch {
      // The banner falls back to the id.
    }
  }
  return { data, notRead, requests };
}
