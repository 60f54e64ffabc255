/**
 * One scenario description -> a FHIR R4 transaction Bundle (every entry `PUT Type/id`) and its
 * manifest entry (expected outcome per service, order-select cases with their draft orders).
 */
import type { Bundle, BundleEntry, FhirResource, Observation } from 'fhir/r4';
import type { OrderSelectCase, Scenario, ServiceExpectation } from '../../src/fixtures/manifest.js';
import {
  condition,
  draftLabOrder,
  draftMedicationOrder,
  infusionAdministration,
  infusionProcedure,
  labSeries,
  medAdministrations,
  pathologyResult,
  patient,
  type BuildContext,
} from './builders.js';
import { ScenarioClock } from './clock.js';
import { WORKUP_LOINC } from './codes.js';
import type { ExpectSpec, OrderCaseSpec, ScenarioSpec } from './model.js';

/** Base of every fullUrl; relative references (`Patient/x`) resolve against it to the Patient's fullUrl. */
export const FULL_URL_BASE = 'https://example.org/fhir';

/** FHIR id rule, and ours on top: never purely numeric (some servers reserve those for themselves). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function entry(resource: FhirResource): BundleEntry<FhirResource> {
  const id = resource.id;
  if (!id || !FHIR_ID.test(id) || /^\d+$/.test(id)) throw new Error(`bad resource id ${String(id)}`);
  const url = `${resource.resourceType}/${id}`;
  return { fullUrl: `${FULL_URL_BASE}/${url}`, resource, request: { method: 'PUT', url } };
}

function byTime(a: Observation, b: Observation): number {
  return (a.effectiveDateTime ?? '').localeCompare(b.effectiveDateTime ?? '');
}

export function scenarioBundle(spec: ScenarioSpec, ctx: BuildContext, mrn: string): Bundle<FhirResource> {
  const resources: FhirResource[] = [patient(ctx, spec.patient, mrn)];
  resources.push(...spec.diagnoses.map((d) => condition(ctx, d)));
  for (const infusion of spec.infusions) {
    if (infusion.recordedAs.includes('procedure')) resources.push(infusionProcedure(ctx, infusion));
    if (infusion.recordedAs.includes('administration')) resources.push(infusionAdministration(ctx, infusion));
  }
  const observations = spec.labs.flatMap((lab) => labSeries(ctx, lab));
  if (spec.temperatures) observations.push(...labSeries(ctx, { lab: 'temperature', points: spec.temperatures }));
  // Stable sort: same draw time keeps the order the scenario lists its labs in.
  resources.push(...observations.sort(byTime));
  resources.push(...(spec.meds ?? []).flatMap((m) => medAdministrations(ctx, m)));
  resources.push(...(spec.reports ?? []).map((r) => pathologyResult(ctx, r)));

  const entries = resources.map(entry);
  const urls = new Set<string>();
  for (const e of entries) {
    const url = e.request?.url ?? '';
    if (urls.has(url)) throw new Error(`${spec.id}: duplicate ${url}`);
    urls.add(url);
  }
  return { resourceType: 'Bundle', type: 'transaction', entry: entries };
}

function expectation(spec: ExpectSpec, withIl6: boolean): ServiceExpectation {
  const out: ServiceExpectation = { indicators: [...spec.indicators], iecHs: spec.iecHs };
  if (spec.workup?.length) out.workupLoinc = spec.workup.map((k) => WORKUP_LOINC[k]);
  if (spec.noWorkup?.length) out.noWorkupLoinc = spec.noWorkup.map((k) => WORKUP_LOINC[k]);
  if (withIl6) out.il6Warning = spec.il6Warning ?? false;
  if (spec.summaryIncludes?.length) out.summaryIncludes = [...spec.summaryIncludes];
  if (spec.summaryExcludes?.length) out.summaryExcludes = [...spec.summaryExcludes];
  return out;
}

function orderSelectCase(ctx: BuildContext, caseSpec: OrderCaseSpec, caseNo: number): OrderSelectCase {
  const authoredOn = ctx.clock.anchor;
  const idOf = (key: string) => `${ctx.patientId}-draft${caseNo}-${key}`;
  const resources: FhirResource[] = caseSpec.drafts.map((d) =>
    'lab' in d
      ? draftLabOrder(ctx, idOf(d.key), d.lab, authoredOn)
      : draftMedicationOrder(ctx, idOf(d.key), d.drug, d.dosage, d.route, authoredOn),
  );
  const selections = caseSpec.select.map((key) => {
    const r = resources.find((res) => res.id === idOf(key));
    if (!r) throw new Error(`${ctx.patientId}: order case "${caseSpec.name}" selects unknown draft ${key}`);
    return `${r.resourceType}/${r.id}`;
  });
  const draftOrders = { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) } as Bundle<FhirResource>;
  // The CDS Hooks sandbox sends draftOrders without Bundle.type; one case per such scenario mimics it.
  if (caseSpec.omitBundleType) delete (draftOrders as Partial<Bundle<FhirResource>>).type;
  return { name: caseSpec.name, selections, draftOrders, expect: expectation(caseSpec.expect, true) };
}

export interface BuiltScenario {
  scenario: Scenario;
  bundle: Bundle<FhirResource>;
}

export function buildScenario(spec: ScenarioSpec, anchor: string, ordinal: number): BuiltScenario {
  const ctx: BuildContext = {
    patientId: spec.id,
    clock: new ScenarioClock(anchor, spec.dayNow, spec.utcOffsetHours ?? 0, spec.nowOffsetHours ?? 0),
    sex: spec.patient.gender,
    rangeProfile: spec.rangeProfile ?? 'adult',
  };
  const mrn = `IECHS${String(ordinal).padStart(4, '0')}`;
  const bundle = scenarioBundle(spec, ctx, mrn);
  const scenario: Scenario = {
    id: spec.id,
    patientId: spec.id,
    file: `${spec.id}.json`,
    description: spec.description,
    ...(spec.nowOffsetHours ? { nowOffsetHours: spec.nowOffsetHours } : {}),
    expect: {
      'iec-hs-surveillance': expectation(spec.patientView, false),
      'iec-hs-order-select': spec.orderSelect.map((c, i) => orderSelectCase(ctx, c, i + 1)),
    },
  };
  return { scenario, bundle };
}
