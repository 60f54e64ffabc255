/**
 * Small builders for Evaluation objects, so card tests do not depend on the features/criteria
 * implementations. Times are fixed: infusion 2026-05-01T08:00Z, "now" = infusion + `day` days.
 */
import type { Analyte, CrsEpisode, LabSeries, LabValue, PatientTimeline, Treatment } from '../../src/features/types.js';
import type { Assessment, AssessmentId, CriterionResult, CriterionStatus, Evaluation, OrganGrade } from '../../src/criteria/types.js';

export const INFUSION = '2026-05-01T08:00:00Z';
const INFUSION_MS = Date.parse(INFUSION);
const DAY_MS = 86_400_000;

export const isoAt = (day: number, hours = 0): string => new Date(INFUSION_MS + day * DAY_MS + hours * 3_600_000).toISOString();

const UNITS: Partial<Record<Analyte, { unit: string; low?: number; high?: number }>> = {
  ferritin: { unit: 'ng/mL', low: 24, high: 336 },
  fibrinogen: { unit: 'mg/dL', low: 200, high: 400 },
  ast: { unit: 'U/L', low: 10, high: 40 },
  alt: { unit: 'U/L', low: 7, high: 56 },
  platelets: { unit: '10*3/uL', low: 150, high: 400 },
  triglycerides: { unit: 'mg/dL', high: 150 },
  creatinine: { unit: 'mg/dL', low: 0.6, high: 1.3 },
};

let sourceCounter = 0;

export function lab(analyte: Analyte, value: number, day: number, hours = 0, extra: Partial<LabValue> = {}): LabValue {
  const u = UNITS[analyte] ?? { unit: '1' };
  const time = isoAt(day, hours);
  return {
    analyte,
    value,
    unit: u.unit,
    time,
    epochMs: Date.parse(time),
    day: Math.floor((Date.parse(time) - INFUSION_MS) / DAY_MS),
    low: u.low,
    high: u.high,
    rangeSource: 'result',
    original: { value, unit: u.unit },
    source: `Observation/${analyte}-${++sourceCounter}`,
    ...extra,
  };
}

/** A series from [day, value] pairs; the baseline is the last value at or before day 0. */
export function series(analyte: Analyte, points: [number, number][]): LabSeries {
  const values = points.map(([day, value]) => lab(analyte, value, day));
  const baseline = values.filter((v) => (v.day ?? 1) <= 0).at(-1);
  return { analyte, unit: values[0]?.unit ?? '1', values, baseline };
}

export interface TimelineOptions {
  day?: number;
  infused?: boolean;
  product?: string;
  labs?: LabSeries[];
  crs?: CrsEpisode[];
  treatments?: Treatment[];
}

export function timeline(o: TimelineOptions = {}): PatientTimeline {
  const day = o.day ?? 11;
  const now = isoAt(day, 2);
  const infusion =
    o.infused === false
      ? undefined
      : { time: INFUSION, epochMs: INFUSION_MS, product: o.product, evidence: 'Procedure' as const, strength: 'definite' as const, source: 'Procedure/inf-1' };
  return {
    patientId: 'p1',
    sex: 'female',
    now,
    nowEpochMs: Date.parse(now),
    infusions: infusion ? [infusion] : [],
    infusion,
    dayNow: infusion ? day : undefined,
    labs: Object.fromEntries((o.labs ?? []).map((s) => [s.analyte, s])),
    crsEpisodes: o.crs ?? [],
    diagnoses: [],
    treatments: o.treatments ?? [],
    issues: [],
  };
}

export function criterion(id: string, status: CriterionStatus, extra: Partial<CriterionResult> = {}): CriterionResult {
  return { id, label: id.replace(/-/g, ' '), status, evidence: [], missing: [], thresholds: [], ...extra };
}

export function assessment(id: AssessmentId, status: CriterionStatus, extra: Partial<Assessment> = {}): Assessment {
  return {
    id,
    name: id.toUpperCase(),
    source: { label: id, citation: `${id} citation`, url: 'https://example.org/guideline', verified: id !== 'astct-iec-hs' },
    status,
    summary: `${id}: ${status}`,
    criteria: [],
    missing: [],
    ...extra,
  };
}

export interface EvaluationOptions extends TimelineOptions {
  watched?: boolean;
  picture?: boolean;
  severe?: boolean;
  workupDue?: Analyte[];
  organGrades?: OrganGrade[];
  assessments?: Assessment[];
  /** Extra met criterion ids in the ASTCT set (changes the severity signature). */
  extraMet?: string[];
}

/** Ferritin rising from 1,500 at baseline to 12,400 on day 11 (x8.3), fibrinogen falling. */
export function defaultLabs(day = 11): LabSeries[] {
  return [
    series('ferritin', [[-1, 1500], [day - 2, 4200], [day, 12400]]),
    series('fibrinogen', [[-1, 380], [day, 140]]),
  ];
}

export function astctAssessment(picture: boolean, tl: PatientTimeline, extraMet: string[] = []): Assessment {
  const ferritin = tl.labs.ferritin;
  const latest = ferritin?.values.at(-1);
  const key = criterion('ferritin-key', picture ? 'met' : ferritin ? 'not-met' : 'insufficient-data', {
    label: 'Ferritin > 2x ULN and rising',
    thresholds: ['astct.ferritin.ulnMultiple'],
    evidence: latest ? [{ label: 'Latest ferritin', analyte: 'ferritin', value: latest, baseline: ferritin?.baseline }] : [],
    missing: ferritin ? [] : ['ferritin'],
  });
  return assessment('astct-iec-hs', picture ? 'met' : key.status, {
    name: 'ASTCT IEC-HS framework',
    criteria: [key, criterion('crs-timing', picture ? 'met' : 'not-met'), ...extraMet.map((id) => criterion(id, 'met'))],
    missing: key.missing,
  });
}

export function evaluation(o: EvaluationOptions = {}): Evaluation {
  const tl = timeline({ labs: o.labs ?? defaultLabs(o.day ?? 11), ...o });
  const picture = o.picture ?? false;
  const severe = o.severe ?? false;
  const organGrades =
    o.organGrades ??
    (severe ? [{ analyte: 'ast' as const, grade: 3, value: lab('ast', 650, tl.dayNow ?? 0), threshold: 'ctcae.transaminase.uln.g3' }] : []);
  return {
    timeline: tl,
    watched: o.watched ?? tl.infusion !== undefined,
    watchReason: tl.infusion ? `Day ${tl.dayNow} after infusion` : 'No immune effector cell therapy found',
    assessments: o.assessments ?? [
      astctAssessment(picture, tl, o.extraMet),
      assessment('carhlh', 'not-met'),
      assessment('hscore', 'insufficient-data', { score: { value: 120, max: 337, probability: 0.05, label: 'HScore' }, missing: ['triglycerides'] }),
    ],
    iecHsPicture: picture,
    organGrades,
    severeOrganDysfunction: severe,
    workupDue: o.workupDue ?? [],
  };
}

/** Deterministic uuid generator for exact comparisons. */
export function sequentialIds(prefix = 'id'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}
