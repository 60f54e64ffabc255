/** Builders shared by the protocol tests: config, a recording engine, sample patient data, requests. */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Bundle, FhirResource, Observation, Patient, Procedure } from 'fhir/r4';
import type { CdsCard } from '../../../src/cards/cdsHooks.js';
import { defaultConfig } from '../../../src/config/defaults.js';
import type { AppConfig } from '../../../src/config/types.js';
import type { CardMemory, FeedbackItem, FeedbackResult } from '../../../src/feedback/types.js';
import type { FetchFn } from '../../../src/fhir/http.js';
import { createApp, type AppDeps } from '../../../src/server/app.js';
import type { Engine, EngineInput } from '../../../src/server/engine.js';
import { createLogger } from '../../../src/server/logger.js';

export const PATIENT_ID = 'pat-1';
export const FIXED_NOW = new Date('2026-03-15T12:00:00Z');
export const plainFetch: FetchFn = (url, init) => fetch(url, init);

export function testConfig(patch: (c: AppConfig) => void = () => undefined): AppConfig {
  const c = defaultConfig('test');
  c.fhir.requestTimeoutMs = 500;
  c.fhir.budgetMs = 1500;
  c.fhir.retries = 1;
  patch(c);
  return c;
}

export const CARD: CdsCard = {
  uuid: '7d1f9a38-0000-4000-8000-000000000001',
  summary: 'Test card',
  indicator: 'info',
  source: { label: 'test engine' },
  suggestions: [{ label: 'Order ferritin', uuid: '7d1f9a38-0000-4000-8000-000000000002', actions: [{ type: 'create', description: 'draft ferritin', resource: { resourceType: 'ServiceRequest', status: 'draft', intent: 'proposal', subject: { reference: 'Patient/pat-1' } } }] }],
  selectionBehavior: 'at-most-one',
};

/** An engine that records its input and answers one fixed card. */
export function recordingEngine(cards: CdsCard[] = [CARD]): { engine: Engine; calls: EngineInput[] } {
  const calls: EngineInput[] = [];
  return {
    calls,
    engine: (input) => {
      calls.push(input);
      return cards;
    },
  };
}

/** Captures log lines (JSON) for assertions on what is and is not logged. */
export function captureLog(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

export function buildApp(deps: Partial<AppDeps> = {}): ReturnType<typeof createApp> {
  return createApp({
    config: deps.config ?? testConfig(),
    logger: deps.logger ?? createLogger({ level: 'silent' }),
    now: () => FIXED_NOW,
    fetch: plainFetch,
    engine: recordingEngine().engine,
    ...deps,
  });
}

/** In-memory card memory with the contract's semantics (idempotent per card and outcome). */
export function memoryCardMemory(): CardMemory & { feedback: { serviceId: string; item: FeedbackItem }[]; issued: CdsCard[] } {
  const feedback: { serviceId: string; item: FeedbackItem }[] = [];
  const issued: CdsCard[] = [];
  const seen = new Set<string>();
  return {
    feedback,
    issued,
    pendingOrders: async () => [],
    filterAndRecord: async ({ cards }) => {
      issued.push(...cards);
      return cards;
    },
    async recordFeedback(_scope, serviceId, item): Promise<FeedbackResult> {
      const key = `${item.card} ${item.outcome}`;
      if (seen.has(key)) return 'duplicate';
      seen.add(key);
      feedback.push({ serviceId, item });
      return issued.some((c) => c.uuid === item.card) ? 'recorded' : 'unknown-card';
    },
    isReady: () => true,
    close: async () => undefined,
  };
}

// ---- sample patient -------------------------------------------------------------------------------

export const patient: Patient = { resourceType: 'Patient', id: PATIENT_ID, gender: 'female', birthDate: '1970-01-01' };

export function labObservation(id: string, loinc: string, value: number, unit: string, time: string): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
    subject: { reference: `Patient/${PATIENT_ID}` },
    effectiveDateTime: time,
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  };
}

export const infusion: Procedure = {
  resourceType: 'Procedure',
  id: 'proc-1',
  status: 'completed',
  code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '0540T' }], text: 'CAR-T cell infusion' },
  subject: { reference: `Patient/${PATIENT_ID}` },
  performedDateTime: '2026-03-01T10:00:00Z',
};

export const ferritin = labObservation('obs-ferritin-1', '2276-4', 12000, 'ng/mL', '2026-03-12T06:00:00Z');

export function allResources(): FhirResource[] {
  return [patient, ferritin, infusion];
}

export function searchset(resources: FhirResource[], next?: string): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: resources.map((resource) => ({ resource })),
    ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
  };
}

/** Every prefetch key of our services, filled from the sample patient. */
export function fullPrefetch(): Record<string, FhirResource | null> {
  return {
    patient,
    labs: searchset([ferritin]),
    temperature: searchset([]),
    conditions: searchset([]),
    procedures: searchset([infusion]),
    medicationAdministrations: searchset([]),
    medicationRequests: searchset([]),
    diagnosticReports: searchset([]),
  };
}

export function patientViewRequest(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hook: 'patient-view',
    hookInstance: randomUUID(),
    context: { userId: 'Practitioner/prac-1', patientId: PATIENT_ID },
    prefetch: fullPrefetch(),
    ...patch,
  };
}

export function orderSelectRequest(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hook: 'order-select',
    hookInstance: randomUUID(),
    context: {
      userId: 'Practitioner/prac-1',
      patientId: PATIENT_ID,
      selections: ['ServiceRequest/sr-1'],
      // No Bundle.type, as the sandbox sends it.
      draftOrders: {
        resourceType: 'Bundle',
        entry: [{ resource: { resourceType: 'ServiceRequest', id: 'sr-1', status: 'draft', intent: 'order', subject: { reference: `Patient/${PATIENT_ID}` }, code: { coding: [{ system: 'http://loinc.org', code: '2276-4' }] } } }],
      },
    },
    prefetch: fullPrefetch(),
    ...patch,
  };
}
