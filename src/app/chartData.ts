/**
 * Evaluation -> what the charts draw. Pure (no DOM): panels, points with flags, CRS bands, treatment
 * marks, and lines for the thresholds of criteria that were met. Threshold values come from the
 * resolved threshold table (site overrides included), never from this file.
 */
import { ANALYTE_NAME } from '../criteria/format.js';
import type { ThresholdId, Thresholds } from '../criteria/thresholds.js';
import type { Assessment, Evaluation } from '../criteria/types.js';
import type { Analyte, LabSeries, PatientTimeline, TreatmentClass } from '../features/types.js';
import { displayUnit, flagOf, num, type Flag } from './format.js';
import { DAY_MS } from '../terminology/time.js';

/** Short names of the sets, as clinicians say them. */
export const SET_SHORT_NAME: Readonly<Record<Assessment['id'], string>> = {
  'astct-iec-hs': 'ASTCT IEC-HS',
  carhlh: 'CarHLH',
  'hlh-lt': 'HLH-LT',
  hscore: 'HScore',
  'hlh-2004': 'HLH-2004',
  ohi: 'OHI',
};

export interface PanelSpec {
  id: string;
  title: string;
  analytes: Analyte[];
  log?: boolean;
  /** Linear axis starts at the data, not at zero (temperature). */
  notZeroBased?: boolean;
  /** Which reference limit matters for this picture (high ferritin and enzymes, low counts). */
  limit: 'high' | 'low';
}

export const PANELS: readonly PanelSpec[] = [
  { id: 'ferritin', title: 'Ferritin', analytes: ['ferritin'], log: true, limit: 'high' },
  { id: 'fibrinogen', title: 'Fibrinogen', analytes: ['fibrinogen'], limit: 'low' },
  { id: 'temperature', title: 'Temperature', analytes: ['temperature'], notZeroBased: true, limit: 'high' },
  { id: 'crp', title: 'C-reactive protein', analytes: ['crp'], limit: 'high' },
  { id: 'ldh', title: 'LDH', analytes: ['ldh'], limit: 'high' },
  { id: 'triglycerides', title: 'Triglycerides', analytes: ['triglycerides'], limit: 'high' },
  { id: 'platelets', title: 'Platelets', analytes: ['platelets'], limit: 'low' },
  { id: 'anc', title: 'Absolute neutrophil count', analytes: ['anc'], limit: 'low' },
  { id: 'liver', title: 'AST / ALT', analytes: ['ast', 'alt'], limit: 'high' },
  { id: 'creatinine', title: 'Creatinine', analytes: ['creatinine'], limit: 'high' },
];

/** Thresholds drawn as lines when a criterion applying them is met: absolute values or multiples of the ULN. */
const THRESHOLD_LINES: readonly { id: ThresholdId; analyte: Analyte; kind: 'absolute' | 'ulnMultiple' }[] = [
  { id: 'astct.ferritin.ulnMultiple', analyte: 'ferritin', kind: 'ulnMultiple' },
  { id: 'carhlh.ferritin', analyte: 'ferritin', kind: 'absolute' },
  { id: 'hlhlt.ferritin', analyte: 'ferritin', kind: 'absolute' },
  { id: 'hlh2004.ferritin', analyte: 'ferritin', kind: 'absolute' },
  { id: 'astct.fibrinogen', analyte: 'fibrinogen', kind: 'absolute' },
  { id: 'hlhlt.fibrinogen', analyte: 'fibrinogen', kind: 'absolute' },
  { id: 'hlh2004.fibrinogen', analyte: 'fibrinogen', kind: 'absolute' },
  { id: 'astct.triglycerides', analyte: 'triglycerides', kind: 'absolute' },
  { id: 'hlh2004.triglycerides', analyte: 'triglycerides', kind: 'absolute' },
  { id: 'astct.ldh.ulnMultiple', analyte: 'ldh', kind: 'ulnMultiple' },
  { id: 'astct.transaminase.ulnMultiple', analyte: 'ast', kind: 'ulnMultiple' },
  { id: 'hlh2004.fever', analyte: 'temperature', kind: 'absolute' },
];

export interface Axis {
  /** Epoch ms of x = 0: the start of the infusion day in the site time zone (else now). */
  origin: number;
  title: string;
  hasInfusion: boolean;
}

export interface ChartPoint {
  x: number;
  y: number;
  epochMs: number;
  comparator?: string;
  flag: Flag;
  derived: boolean;
}

export interface ChartSeries {
  analyte: Analyte;
  label: string;
  unit: string;
  limit?: { value: number; which: 'high' | 'low'; source: 'result' | 'default' };
  points: ChartPoint[];
}

export interface ThresholdLine {
  value: number;
  label: string;
}

export interface PanelData {
  spec: PanelSpec;
  unit: string;
  series: ChartSeries[];
  lines: ThresholdLine[];
}

export interface CrsBand {
  from: number;
  to: number;
  label: string;
}

export interface TreatmentMark {
  x: number;
  drug: string;
  cls: TreatmentClass;
  kind: 'given' | 'ordered';
}

/** x = 0 at local midnight of the infusion day, so day numbers match the site's calendar days. */
export function axisOf(timeline: PatientTimeline, offsetMs: (epochMs: number) => number): Axis {
  if (timeline.infusion) {
    const ms = timeline.infusion.epochMs;
    const local = ms + offsetMs(ms);
    const origin = Math.floor(local / DAY_MS) * DAY_MS - offsetMs(ms);
    return { origin, title: 'Days after infusion (day 0 = infusion day)', hasInfusion: true };
  }
  return { origin: timeline.nowEpochMs, title: 'Days relative to now (no infusion found)', hasInfusion: false };
}

export function dayOf(axis: Axis, epochMs: number): number {
  return Math.round(((epochMs - axis.origin) / DAY_MS) * 100) / 100;
}

function limitOf(series: LabSeries, which: 'high' | 'low'): ChartSeries['limit'] {
  for (let i = series.values.length - 1; i >= 0; i--) {
    const v = series.values[i];
    const value = v?.[which];
    if (v && value !== undefined && value > 0) return { value, which, source: v.rangeSource ?? 'result' };
  }
  return undefined;
}

/** Ids of thresholds applied by met criteria, with the names of the sets they fired in. */
export function firedThresholds(evaluation: Evaluation): Map<string, string[]> {
  const fired = new Map<string, string[]>();
  for (const assessment of evaluation.assessments) {
    for (const criterion of assessment.criteria) {
      if (criterion.status !== 'met') continue;
      // A set's criterion may share thresholds across analytes ("triglycerides and/or fibrinogen"):
      // a line is drawn only for the analytes whose values the met criterion actually cites.
      const analytes = new Set(criterion.evidence.map((e) => e.value?.analyte ?? e.analyte));
      for (const id of criterion.thresholds) {
        const line = THRESHOLD_LINES.find((l) => l.id === id);
        if (line && !analytes.has(line.analyte)) continue;
        const sets = fired.get(id) ?? [];
        const name = SET_SHORT_NAME[assessment.id];
        if (!sets.includes(name)) sets.push(name);
        fired.set(id, sets);
      }
    }
  }
  return fired;
}

function thresholdLines(series: ChartSeries[], fired: Map<string, string[]>, thresholds: Thresholds): ThresholdLine[] {
  // One line per value: "150 mg/dL (ASTCT IEC-HS, HLH-LT, HLH-2004)".
  const byValue = new Map<number, { text: string; unit: string; sets: string[] }>();
  for (const line of THRESHOLD_LINES) {
    const sets = fired.get(line.id);
    const s = series.find((x) => x.analyte === line.analyte);
    if (!sets || !s) continue;
    const setting = thresholds[line.id];
    let value: number;
    let text = '';
    if (line.kind === 'ulnMultiple') {
      const uln = s.limit?.which === 'high' ? s.limit.value : undefined;
      if (uln === undefined) continue;
      value = setting * uln;
      text = `${setting}× ULN = `;
    } else {
      value = setting;
    }
    const entry = byValue.get(value) ?? { text, unit: s.unit, sets: [] };
    for (const set of sets) if (!entry.sets.includes(set)) entry.sets.push(set);
    byValue.set(value, entry);
  }
  return [...byValue.entries()].map(([value, e]) => ({ value, label: `${e.text}${num(value)} ${e.unit} (${e.sets.join(', ')})` }));
}

export function panelData(timeline: PatientTimeline, spec: PanelSpec, axis: Axis, fired: Map<string, string[]>, thresholds: Thresholds): PanelData {
  const series: ChartSeries[] = [];
  for (const analyte of spec.analytes) {
    const s = timeline.labs[analyte];
    if (!s || s.values.length === 0) continue;
    const limit = limitOf(s, spec.limit);
    series.push({
      analyte,
      label: ANALYTE_NAME[analyte],
      unit: displayUnit(s.unit),
      ...(limit ? { limit } : {}),
      points: s.values
        .filter((v) => !spec.log || v.value > 0)
        .map((v) => ({
          x: dayOf(axis, v.epochMs),
          y: v.value,
          epochMs: v.epochMs,
          ...(v.comparator ? { comparator: v.comparator } : {}),
          flag: flagOf(v),
          derived: Boolean(v.derived),
        })),
    });
  }
  const unit = [...new Set(series.map((s) => s.unit))].join(' / ');
  return { spec, unit, series, lines: thresholdLines(series, fired, thresholds) };
}

export function crsBands(timeline: PatientTimeline, axis: Axis, xMax: number): CrsBand[] {
  const bands: CrsBand[] = [];
  for (const e of timeline.crsEpisodes) {
    if (!e.onset) continue;
    const from = dayOf(axis, Date.parse(e.onset));
    const to = e.abatement ? dayOf(axis, Date.parse(e.abatement)) : xMax;
    bands.push({ from, to, label: `CRS${e.grade ? ` grade ${e.grade}` : ''}${e.active ? ' (active)' : ''}` });
  }
  return bands;
}

export function treatmentMarks(timeline: PatientTimeline, axis: Axis): TreatmentMark[] {
  const marks: TreatmentMark[] = [];
  for (const t of timeline.treatments) {
    if (!t.time) continue;
    marks.push({ x: dayOf(axis, Date.parse(t.time)), drug: t.drug, cls: t.class, kind: t.kind });
  }
  return marks;
}

/** Shared x range: a little before the first result (at least day -3) to now. */
export function xRange(timeline: PatientTimeline, axis: Axis): { min: number; max: number; now: number } {
  const xs: number[] = [];
  for (const s of Object.values(timeline.labs)) for (const v of s?.values ?? []) xs.push(dayOf(axis, v.epochMs));
  for (const t of timeline.treatments) if (t.time) xs.push(dayOf(axis, Date.parse(t.time)));
  const now = dayOf(axis, timeline.nowEpochMs);
  const min = Math.floor(Math.min(axis.hasInfusion ? -3 : now - 14, ...xs));
  const max = Math.ceil(Math.max(now, ...xs)) + 1;
  return { min, max, now };
}
