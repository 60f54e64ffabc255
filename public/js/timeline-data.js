// PatientTimeline (src/features/types.ts) -> what the charts draw. Pure functions, no DOM.

const DAY_MS = 86_400_000;

/**
 * One panel per analyte group; ferritin spans orders of magnitude, hence the log scale. `limits` names
 * the reference limit that matters for IEC-HS (high ferritin and enzymes, low fibrinogen and counts).
 */
export const PANELS = [
  { id: 'ferritin', title: 'Ferritin', analytes: ['ferritin'], log: true, limits: ['high'] },
  { id: 'fibrinogen', title: 'Fibrinogen', analytes: ['fibrinogen'], limits: ['low'] },
  { id: 'platelets', title: 'Platelets', analytes: ['platelets'], limits: ['low'] },
  { id: 'anc', title: 'Absolute neutrophil count', axisTitle: 'ANC', analytes: ['anc'], limits: ['low'] },
  { id: 'liver', title: 'AST / ALT', analytes: ['ast', 'alt'], limits: ['high'] },
  { id: 'creatinine', title: 'Creatinine', analytes: ['creatinine'], limits: ['high'] },
];

/** UCUM spellings shown the way clinicians write them. */
const UNIT_DISPLAY = { '10*3/uL': '×10³/µL', '10*9/L': '×10⁹/L', ug: 'µg', 'ug/L': 'µg/L', 'ug/mL': 'µg/mL', umol: 'µmol', 'umol/L': 'µmol/L' };

export function displayUnit(unit) {
  return UNIT_DISPLAY[unit] ?? unit;
}

export const ANALYTE_LABELS = {
  ferritin: 'Ferritin',
  fibrinogen: 'Fibrinogen',
  platelets: 'Platelets',
  anc: 'ANC',
  ast: 'AST',
  alt: 'ALT',
  creatinine: 'Creatinine',
};

export const TREATMENT_LABELS = {
  corticosteroid: 'Corticosteroid',
  anakinra: 'Anakinra',
  'il6-blockade': 'IL-6 blockade',
  ruxolitinib: 'Ruxolitinib',
  emapalumab: 'Emapalumab',
  etoposide: 'Etoposide',
};

/**
 * The x axis: fractional days after the infusion (day 0 = infusion day, so several results on one
 * day do not stack). Without an infusion the axis is days relative to the evaluation time.
 */
export function axisOf(timeline) {
  if (timeline.infusion) {
    const day0 = startOfUtcDay(timeline.infusion.epochMs);
    return { origin: day0, title: 'Days after infusion (day 0 = infusion day)', hasInfusion: true };
  }
  return { origin: timeline.nowEpochMs, title: 'Days relative to now (no infusion found)', hasInfusion: false };
}

function startOfUtcDay(epochMs) {
  return Math.floor(epochMs / DAY_MS) * DAY_MS;
}

export function dayOf(axis, epochMs) {
  return Math.round(((epochMs - axis.origin) / DAY_MS) * 100) / 100;
}

/** The limits drawn for a series: those of its most recent value that has any. */
export function referenceLimits(series) {
  for (let i = series.values.length - 1; i >= 0; i--) {
    const v = series.values[i];
    if (v.low !== undefined || v.high !== undefined) return { low: v.low, high: v.high, source: v.rangeSource ?? 'result' };
  }
  return undefined;
}

export function panelData(timeline, panel, axis) {
  const series = panel.analytes
    .map((analyte) => timeline.labs?.[analyte])
    .filter((s) => s && s.values.length > 0)
    .map((s) => ({
      analyte: s.analyte,
      label: ANALYTE_LABELS[s.analyte] ?? s.analyte,
      unit: displayUnit(s.unit),
      limits: referenceLimits(s),
      points: s.values
        .filter((v) => !panel.log || v.value > 0)
        .map((v) => ({
          x: dayOf(axis, v.epochMs),
          y: v.value,
          time: v.time,
          comparator: v.comparator,
          derived: Boolean(v.derived),
          flag: v.high !== undefined && v.value > v.high ? 'H' : v.low !== undefined && v.value < v.low ? 'L' : undefined,
        })),
    }));
  const units = [...new Set(series.map((s) => s.unit))];
  return { ...panel, series, unit: units.join(' / ') };
}

export function crsBands(timeline, axis, xMax) {
  return (timeline.crsEpisodes ?? [])
    .filter((e) => e.onset)
    .map((e) => ({
      from: dayOf(axis, Date.parse(e.onset)),
      to: e.abatement ? dayOf(axis, Date.parse(e.abatement)) : xMax,
      label: `CRS${e.grade ? ` grade ${e.grade}` : ''}${e.active ? ' (active)' : ''}`,
    }));
}

export function treatmentMarks(timeline, axis) {
  return (timeline.treatments ?? [])
    .filter((t) => t.time)
    .map((t) => ({
      x: dayOf(axis, Date.parse(t.time)),
      drug: t.drug,
      cls: t.class,
      classLabel: TREATMENT_LABELS[t.class] ?? t.class,
      kind: t.kind,
    }));
}

/** Shared x range of every panel: from a little before the first result (or day -3) to now. */
export function xRange(timeline, axis) {
  const xs = [];
  for (const s of Object.values(timeline.labs ?? {})) for (const v of s.values) xs.push(dayOf(axis, v.epochMs));
  for (const t of timeline.treatments ?? []) if (t.time) xs.push(dayOf(axis, Date.parse(t.time)));
  const now = dayOf(axis, timeline.nowEpochMs);
  const min = Math.floor(Math.min(axis.hasInfusion ? -3 : now - 14, ...xs));
  const max = Math.ceil(Math.max(now, ...xs)) + 1;
  return { min, max, now };
}
