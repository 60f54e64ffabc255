/**
 * src/app/chartData.ts: the pure part of the timeline charts (the one chart implementation; the demo's
 * /timeline.html launches the SMART app). Cases carried over from the old demo chart code's tests.
 */
import { PANELS, axisOf, crsBands, dayOf, panelData, treatmentMarks, xRange, type PanelSpec } from '../../src/app/chartData.js';
import { resolveThresholds } from '../../src/criteria/thresholds.js';
import type { LabValue, PatientTimeline } from '../../src/features/types.js';

const INFUSION = Date.parse('2025-01-01T14:00:00Z');
const DAY = 86_400_000;
const UTC = (): number => 0;

function lab(analyte: LabValue['analyte'], dayOffsetMs: number, value: number, extra: Partial<LabValue> = {}): LabValue {
  const epochMs = Date.parse('2025-01-01T00:00:00Z') + dayOffsetMs;
  return { analyte, value, unit: 'ng/mL', time: new Date(epochMs).toISOString(), epochMs, original: { value }, source: 'Observation/x', ...extra };
}

function timeline(): PatientTimeline {
  return {
    sex: 'male',
    now: '2025-01-11T12:00:00Z',
    nowEpochMs: Date.parse('2025-01-11T12:00:00Z'),
    infusions: [],
    infusion: { time: '2025-01-01T14:00:00Z', epochMs: INFUSION, evidence: 'Procedure', strength: 'definite', source: 'Procedure/p' },
    labs: {
      ferritin: {
        analyte: 'ferritin',
        unit: 'ng/mL',
        values: [
          lab('ferritin', -2 * DAY, 300, { high: 400, rangeSource: 'result' }),
          lab('ferritin', 9 * DAY + 6 * 3_600_000, 24000, { high: 336, rangeSource: 'default' }),
          lab('ferritin', 10 * DAY, 0, { comparator: '<' }), // not drawable on a log axis
        ],
      },
      fibrinogen: { analyte: 'fibrinogen', unit: 'mg/dL', values: [lab('fibrinogen', 10 * DAY, 120, { low: 200, high: 400 })] },
    },
    crsEpisodes: [
      { onset: '2025-01-02T00:00:00Z', abatement: '2025-01-05T00:00:00Z', grade: 2, active: false, source: 'Condition/c1' },
      { onset: '2025-01-10T00:00:00Z', active: true, source: 'Condition/c2' },
    ],
    diagnoses: [],
    treatments: [{ class: 'il6-blockade', drug: 'tocilizumab', time: '2025-01-03T08:00:00Z', kind: 'given', source: 'MedicationAdministration/t' }],
    issues: [],
  };
}

function spec(id: string): PanelSpec {
  const found = PANELS.find((p) => p.id === id);
  if (!found) throw new Error(`no panel ${id}`);
  return found;
}

const thresholds = resolveThresholds();

describe('timeline chart data (SMART app)', () => {
  it('x is fractional days from the start of the infusion day (day 0)', () => {
    const axis = axisOf(timeline(), UTC);
    expect(axis.hasInfusion).toBe(true);
    expect(dayOf(axis, INFUSION)).toBeCloseTo(0.58, 2);
    expect(dayOf(axis, Date.parse('2025-01-10T06:00:00Z'))).toBe(9.25);
  });

  it('day 0 starts at the site\'s local midnight, not UTC midnight', () => {
    // UTC-5: the infusion at 14:00 UTC is 09:00 local; day 0 starts at 05:00 UTC.
    const axis = axisOf(timeline(), () => -5 * 3_600_000);
    expect(dayOf(axis, INFUSION)).toBeCloseTo(0.38, 2);
  });

  it('without an infusion the axis counts days relative to now', () => {
    const t = { ...timeline(), infusion: undefined } as PatientTimeline;
    const axis = axisOf(t, UTC);
    expect(axis.hasInfusion).toBe(false);
    expect(dayOf(axis, t.nowEpochMs - 2 * DAY)).toBe(-2);
  });

  it('flags values outside their own limits, drops non-positive values on the log panel, draws the latest limits', () => {
    const t = timeline();
    const axis = axisOf(t, UTC);
    const ferritin = panelData(t, spec('ferritin'), axis, new Map(), thresholds);
    expect(ferritin.unit).toBe('ng/mL');
    expect(ferritin.series[0]?.points.map((p) => [p.x, p.y, p.flag])).toEqual([[-2, 300, undefined], [9.25, 24000, 'high']]);
    expect(ferritin.series[0]?.limit).toEqual({ value: 336, which: 'high', source: 'default' });
    expect(ferritin.lines).toEqual([]); // no met criterion fired a ferritin threshold
    const fibrinogen = panelData(t, spec('fibrinogen'), axis, new Map(), thresholds);
    expect(fibrinogen.series[0]?.points[0]?.flag).toBe('low');
    expect(fibrinogen.series[0]?.limit).toEqual({ value: 200, which: 'low', source: 'result' });
    expect(panelData(t, spec('liver'), axis, new Map(), thresholds).series).toEqual([]);
  });

  it('a fired ULN-multiple threshold is drawn at its multiple of the latest ULN', () => {
    const t = timeline();
    const fired = new Map([['astct.ferritin.ulnMultiple', ['ASTCT IEC-HS']]]);
    const ferritin = panelData(t, spec('ferritin'), axisOf(t, UTC), fired, thresholds);
    expect(ferritin.lines.map((l) => l.value)).toEqual([thresholds['astct.ferritin.ulnMultiple'] * 336]);
  });

  it('CRS episodes become bands; an active one runs to the right edge', () => {
    const t = timeline();
    expect(crsBands(t, axisOf(t, UTC), 12)).toEqual([
      { from: 1, to: 4, label: 'CRS grade 2' },
      { from: 9, to: 12, label: 'CRS (active)' },
    ]);
  });

  it('treatments become marks and the x range covers results, treatments and now', () => {
    const t = timeline();
    const axis = axisOf(t, UTC);
    expect(treatmentMarks(t, axis)).toEqual([{ x: 2.33, drug: 'tocilizumab', cls: 'il6-blockade', kind: 'given' }]);
    expect(xRange(t, axis)).toEqual({ min: -3, max: 12, now: 10.5 });
  });
});
