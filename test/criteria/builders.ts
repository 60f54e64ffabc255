/**
 * Small builders for criteria tests: timelines written directly (not through buildTimeline), in the
 * canonical units the features layer produces, with typical adult reference ranges (docs/clinical-basis.md#reference-ranges).
 */
import type { Analyte, CrsEpisode, Diagnosis, LabSeries, LabValue, PatientTimeline } from '../../src/features/types.js';

export const DAY_MS = 86_400_000;
/** Infusion at 10:00 UTC; labs default to 06:00, so a day-0 lab is the pre-infusion baseline. */
export const INFUSION_ISO = '2024-03-01T10:00:00.000Z';
const INFUSION_MS = Date.parse(INFUSION_ISO);
const DAY0_START_MS = Date.parse('2024-03-01T00:00:00.000Z');

export const UNIT: Partial<Record<Analyte, string>> = {
  ferritin: 'ng/mL', fibrinogen: 'mg/dL', triglycerides: 'mg/dL', ast: 'U/L', alt: 'U/L', bilirubinTotal: 'mg/dL',
  bilirubinDirect: 'mg/dL', ldh: 'U/L', creatinine: 'mg/dL', platelets: '10*9/L', anc: '10*9/L', wbc: '10*9/L',
  hemoglobin: 'g/dL', sil2r: 'U/mL', inr: '{INR}', pt: 's', aptt: 's', temperature: 'Cel', crp: 'mg/L',
};

export const RANGE: Partial<Record<Analyte, [number, number]>> = {
  ferritin: [20, 300], fibrinogen: [200, 400], triglycerides: [0, 150], ast: [10, 40], alt: [7, 40],
  bilirubinTotal: [0.3, 1.2], bilirubinDirect: [0, 0.3], ldh: [120, 250], creatinine: [0.6, 1.2],
  platelets: [150, 400], anc: [1.8, 7.7], wbc: [4, 11], hemoglobin: [12, 16], sil2r: [137, 838],
  inr: [0.9, 1.1], pt: [11, 13.5], aptt: [25, 35],
};

export function timeAt(day: number, hour = 6): { time: string; epochMs: number } {
  const epochMs = DAY0_START_MS + day * DAY_MS + hour * 3_600_000;
  return { time: new Date(epochMs).toISOString(), epochMs };
}

let counter = 0;

export interface LabOptions {
  hour?: number;
  /** `null` removes the limit. */
  low?: number | null;
  high?: number | null;
  unit?: string;
}

export function lab(analyte: Analyte, value: number, day: number, opts: LabOptions = {}): LabValue {
  const { time, epochMs } = timeAt(day, opts.hour ?? 6);
  const range = RANGE[analyte];
  const low = opts.low === null ? undefined : opts.low ?? range?.[0];
  const high = opts.high === null ? undefined : opts.high ?? range?.[1];
  const unit = opts.unit ?? UNIT[analyte] ?? '1';
  const v: LabValue = {
    analyte, value, unit, time, epochMs, day: Math.floor((epochMs - DAY0_START_MS) / DAY_MS),
    original: { value, unit }, source: `Observation/${analyte}-${++counter}`,
  };
  if (low !== undefined) v.low = low;
  if (high !== undefined) v.high = high;
  if (low !== undefined || high !== undefined) v.rangeSource = 'default';
  return v;
}

export interface TimelineOptions {
  dayNow?: number;
  hourNow?: number;
  labs?: LabValue[];
  crs?: Partial<CrsEpisode>[];
  diagnoses?: Partial<Diagnosis>[];
  noInfusion?: boolean;
  product?: string;
}

/** Groups labs into series; baseline = last value at or before the infusion time. */
export function timeline(opts: TimelineOptions = {}): PatientTimeline {
  const dayNow = opts.dayNow ?? 10;
  const { time: now, epochMs: nowEpochMs } = timeAt(dayNow, opts.hourNow ?? 12);
  const labs: Partial<Record<Analyte, LabSeries>> = {};
  for (const v of [...(opts.labs ?? [])].sort((a, b) => a.epochMs - b.epochMs)) {
    const series = (labs[v.analyte] ??= { analyte: v.analyte, unit: v.unit, values: [] });
    series.values.push(v);
    if (!opts.noInfusion && v.epochMs <= INFUSION_MS) series.baseline = v;
  }
  if (opts.noInfusion) for (const s of Object.values(labs)) for (const v of s.values) delete v.day;
  const infusion = opts.noInfusion
    ? undefined
    : { time: INFUSION_ISO, epochMs: INFUSION_MS, product: opts.product ?? 'axicabtagene ciloleucel', evidence: 'Procedure' as const, strength: 'definite' as const, source: 'Procedure/inf-1' };
  return {
    patientId: 'p1',
    sex: 'female',
    now,
    nowEpochMs,
    infusions: infusion ? [infusion] : [],
    ...(infusion ? { infusion, dayNow } : {}),
    labs,
    crsEpisodes: (opts.crs ?? []).map((e, i) => ({ active: false, source: `Condition/crs-${i}`, ...e })),
    diagnoses: (opts.diagnoses ?? []).map((d, i) => ({ kind: 'hemophagocytosis', active: true, source: `Condition/dx-${i}`, ...d })),
    treatments: [],
    issues: [],
  };
}
