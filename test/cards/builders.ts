/**
 * Small builders for Evaluation objects, so card tests do not depend on the features/criteria
 * implementations. Times are fixed: infusion 2026-05-01T08:00Z, "now" = infusion + `day` days.
 */
import type { Analyte, CrsEpisode, Diagnosis, ExposureClass, LabSeries, LabValue, PatientTimeline, Treatment } from '../../src/features/types.js';
import type {
  Assessment,
  AssessmentId,
  CriterionResult,
  CriterionStatus,
  Evaluation,
  FerritinCourse,
  OrganGrade,
  Picture,
  Tier,
  TreatmentState,
} from '../../src/criteria/types.js';

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
  diagnoses?: Diagnosis[];
  /** Exposure class of the infusion (contract, issue 12). */
  exposure?: ExposureClass;
  /** Site IANA time zone (contract, issue 12). */
  timeZone?: string;
}

export function timeline(o: TimelineOptions = {}): PatientTimeline {
  const day = o.day ?? 11;
  const now = isoAt(day, 2);
  const infusion =
    o.infused === false
      ? undefined
      : {
          time: INFUSION,
          epochMs: INFUSION_MS,
          product: o.product,
          evidence: 'Procedure' as const,
          strength: 'definite' as const,
          source: 'Procedure/inf-1',
          ...(o.exposure ? { exposure: o.exposure } : {}),
        };
  return {
    patientId: 'p1',
    sex: 'female',
    now,
    nowEpochMs: Date.parse(now),
    infusions: infusion ? [infusion] : [],
    infusion,
    dayNow: infusion ? day : undefined,
    labs: Object.fromEntries((o.labs ?? []).map((s) => [s.analyte, s])),
    ...(o.timeZone ? { timeZone: o.timeZone } : {}),
    crsEpisodes: o.crs ?? [],
    diagnoses: o.diagnoses ?? [],
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
  /**
   * The engine's typed verdict (contract, issue 12). Default: derived from `picture`/`severe`/`workupDue`
   * the way the engine reports it. `legacy: true` leaves every typed field out (an old engine).
   */
  tier?: Tier;
  overlappingCrs?: boolean;
  specificSigns?: string[];
  watchReasons?: string[];
  rule?: Picture['rule'];
  course?: FerritinCourse | null;
  treatmentState?: TreatmentState;
  worstOrgan?: OrganGrade | null;
  legacy?: boolean;
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

/** The ferritin course of a series as the engine reports it: latest, previous, direction, a pattern. */
export function courseOf(s: LabSeries | undefined, pattern?: FerritinCourse['pattern']): FerritinCourse | undefined {
  const latest = s?.values.at(-1);
  if (!s || !latest) return undefined;
  const previous = s.values.at(-2);
  const direction = !previous ? 'single' : latest.value > previous.value ? 'rising' : latest.value < previous.value ? 'falling' : 'stable';
  const peak = s.values.reduce((a, b) => (b.value > a.value ? b : a));
  return { latest, ...(previous ? { previous } : {}), peak, direction, pattern: pattern ?? (direction === 'falling' ? 'falling-tail' : direction === 'single' ? 'single' : 'new-rise') };
}

export function evaluation(o: EvaluationOptions = {}): Evaluation {
  const tl = timeline({ labs: o.labs ?? defaultLabs(o.day ?? 11), ...o });
  const picture = o.picture ?? false;
  const severe = o.severe ?? false;
  const organGrades =
    o.organGrades ??
    (severe ? [{ analyte: 'ast' as const, grade: 3, value: lab('ast', 650, tl.dayNow ?? 0), threshold: 'ctcae.transaminase.uln.g3' }] : []);
  const workupDue = o.workupDue ?? [];
  const tier: Tier = o.tier ?? (picture ? (severe ? 'critical' : 'warning') : severe || workupDue.length > 0 || (o.watchReasons?.length ?? 0) > 0 ? 'watch' : 'none');
  const watchReasons = o.watchReasons ?? (tier === 'watch' ? [...(workupDue.length ? ['workup-due'] : []), ...(severe ? ['organ-value'] : [])] : []);
  const worst = o.worstOrgan === null ? undefined : (o.worstOrgan ?? (severe ? organGrades[0] : undefined));
  const course = o.course === null ? undefined : (o.course ?? courseOf(tl.labs.ferritin));
  const typed: Partial<Evaluation> = o.legacy
    ? {}
    : {
        picture: {
          tier,
          ...(picture || o.rule ? { rule: o.rule ?? ('astct-iec-hs' as const) } : {}),
          overlappingCrs: o.overlappingCrs ?? (picture && tl.crsEpisodes.some((e) => e.active)),
          specificSigns: o.specificSigns ?? [],
          watchReasons,
        },
        ...(course ? { ferritinCourse: course } : {}),
        ...(worst ? { worstOrgan: worst } : {}),
        ...(o.treatmentState ? { treatmentState: o.treatmentState } : {}),
        ...(o.exposure ? { exposure: { class: o.exposure, ...(o.product ? { product: o.product } : {}) } } : {}),
      };
  return {
    ...typed,
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
    workupDue,
  };
}

/** Deterministic uuid generator for exact comparisons. */
export function sequentialIds(prefix = 'id'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}
