/**
 * Synthetic CAR-T patients of any size for the benchmark: an IEC-HS-like course (CRS days 2-7, then
 * ferritin climbing, fibrinogen falling) with N laboratory Observations spread over days -7..+20, every
 * analyte the engine reads, LOINC codes and canonical units from src/terminology.
 * Deterministic: the same (id, count, now) gives the same bundle.
 */
import type { Bundle, BundleEntry, FhirResource, Observation } from 'fhir/r4';
import type { Analyte } from '../src/features/types.js';
import { CANONICAL_UNIT, LAB_LOINC, SYSTEM } from '../src/terminology/index.js';

const DAY_MS = 86_400_000;

/** Typical value and reference range per analyte, and how it moves on an IEC-HS course (factor at day 14). */
const COURSE: Partial<Record<Analyte, { base: number; low?: number; high?: number; day14: number }>> = {
  ferritin: { base: 400, low: 30, high: 400, day14: 60 },
  fibrinogen: { base: 350, low: 200, high: 400, day14: 0.3 },
  triglycerides: { base: 150, high: 150, day14: 2.2 },
  ast: { base: 25, low: 10, high: 40, day14: 9 },
  alt: { base: 25, low: 7, high: 56, day14: 6 },
  bilirubinTotal: { base: 0.6, low: 0.1, high: 1.2, day14: 3 },
  ldh: { base: 200, low: 140, high: 280, day14: 6 },
  creatinine: { base: 0.9, low: 0.6, high: 1.2, day14: 1.8 },
  platelets: { base: 180, low: 150, high: 400, day14: 0.15 },
  anc: { base: 3.5, low: 1.5, high: 8, day14: 0.2 },
  wbc: { base: 6, low: 4, high: 11, day14: 0.3 },
  hemoglobin: { base: 11, low: 12, high: 16, day14: 0.7 },
  crp: { base: 5, high: 10, day14: 20 },
  inr: { base: 1.0, low: 0.8, high: 1.2, day14: 1.6 },
  aptt: { base: 30, low: 25, high: 35, day14: 1.4 },
  pt: { base: 12, low: 11, high: 13.5, day14: 1.5 },
  ddimer: { base: 400, high: 500, day14: 8 },
  temperature: { base: 36.9, day14: 1.05 },
};
const ANALYTES = Object.keys(COURSE) as Analyte[];

export interface SyntheticPatientOptions {
  id: string;
  observations: number;
  /** "Now" of the scenario: the infusion is 14 days before it. */
  now: Date;
}

function courseOf(analyte: Analyte): NonNullable<(typeof COURSE)[Analyte]> {
  const c = COURSE[analyte];
  if (!c) throw new Error(`no synthetic course for ${analyte}`);
  return c;
}

function valueOn(analyte: Analyte, day: number): number {
  const c = courseOf(analyte);
  // Flat before day 0, a bump during CRS (days 2-7), then towards the day-14 factor.
  const progress = day <= 0 ? 0 : Math.min(1, day / 14);
  const factor = 1 + (c.day14 - 1) * progress;
  return Number((c.base * factor).toPrecision(4));
}

function observation(opts: SyntheticPatientOptions, analyte: Analyte, index: number, time: number, infusion: number): Observation {
  const c = courseOf(analyte);
  const day = Math.floor((time - infusion) / DAY_MS);
  const vital = analyte === 'temperature';
  const unit = CANONICAL_UNIT[analyte];
  return {
    resourceType: 'Observation',
    id: `${opts.id}-obs-${index}`,
    status: 'final',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/observation-category',
            code: vital ? 'vital-signs' : 'laboratory',
          },
        ],
      },
    ],
    code: { coding: [{ system: SYSTEM.loinc, code: LAB_LOINC[analyte][0] ?? '' }] },
    subject: { reference: `Patient/${opts.id}` },
    effectiveDateTime: new Date(time).toISOString(),
    issued: new Date(time + 3 * 3_600_000).toISOString(),
    valueQuantity: { value: valueOn(analyte, day), unit, system: 'http://unitsofmeasure.org', code: unit },
    ...(c.low !== undefined || c.high !== undefined
      ? {
          referenceRange: [
            {
              ...(c.low !== undefined ? { low: { value: c.low, unit, system: 'http://unitsofmeasure.org', code: unit } } : {}),
              ...(c.high !== undefined ? { high: { value: c.high, unit, system: 'http://unitsofmeasure.org', code: unit } } : {}),
            },
          ],
        }
      : {}),
  };
}

/** A transaction Bundle (PUT with client ids) holding the patient, infusion, CRS and N Observations. */
export function syntheticPatientBundle(opts: SyntheticPatientOptions): Bundle {
  const now = opts.now.getTime();
  const infusion = now - 14 * DAY_MS;
  const start = infusion - 7 * DAY_MS;
  const span = now - start - 3_600_000;
  const resources: FhirResource[] = [
    {
      resourceType: 'Patient',
      id: opts.id,
      name: [{ family: 'Bench', given: ['Synthetic'] }],
      gender: 'female',
      birthDate: '1961-04-02',
    },
    {
      resourceType: 'Procedure',
      id: `${opts.id}-infusion`,
      status: 'completed',
      code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '0540T' }], text: 'CAR-T cell infusion' },
      subject: { reference: `Patient/${opts.id}` },
      performedDateTime: new Date(infusion).toISOString(),
    },
    {
      resourceType: 'Condition',
      id: `${opts.id}-crs`,
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] },
      code: { coding: [{ system: SYSTEM.icd10cm, code: 'D89.832' }], text: 'Cytokine release syndrome, grade 2' },
      subject: { reference: `Patient/${opts.id}` },
      onsetDateTime: new Date(infusion + 2 * DAY_MS).toISOString(),
      abatementDateTime: new Date(infusion + 7 * DAY_MS).toISOString(),
    },
  ];
  for (let i = 0; i < opts.observations; i++) {
    const analyte = ANALYTES[i % ANALYTES.length] ?? 'ferritin';
    const time = start + Math.floor((span * i) / opts.observations);
    resources.push(observation(opts, analyte, i, time, infusion));
  }
  const entry: BundleEntry[] = resources.map((resource) => ({
    fullUrl: `${resource.resourceType}/${resource.id}`,
    resource,
    request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
  }));
  return { resourceType: 'Bundle', type: 'transaction', entry };
}
