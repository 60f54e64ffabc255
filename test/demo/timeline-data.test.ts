/** public/js/timeline-data.js and orders.js: the pure parts of the page. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LabValue, PatientTimeline } from '../../src/features/types.js';

// The browser modules are untyped JavaScript, hence `any` here.
let data: any;
let orders: any;
beforeAll(async () => {
  data = await import(pathToFileURL(path.resolve('public/js/timeline-data.js')).href);
  orders = await import(pathToFileURL(path.resolve('public/js/orders.js')).href);
});

const INFUSION = Date.parse('2025-01-01T14:00:00Z');
const DAY = 86_400_000;

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

describe('timeline data for the charts', () => {
  it('x is fractional days from the start of the infusion day (day 0)', () => {
    const axis = data.axisOf(timeline());
    expect(axis.hasInfusion).toBe(true);
    expect(data.dayOf(axis, INFUSION)).toBeCloseTo(0.58, 2);
    expect(data.dayOf(axis, Date.parse('2025-01-10T06:00:00Z'))).toBe(9.25);
  });

  it('without an infusion the axis counts days relative to now', () => {
    const t = { ...timeline(), infusion: undefined };
    const axis = data.axisOf(t);
    expect(axis.hasInfusion).toBe(false);
    expect(data.dayOf(axis, t.nowEpochMs - 2 * DAY)).toBe(-2);
  });

  it('flags values outside their own limits, drops non-positive values on the log panel, draws the latest limits', () => {
    const t = timeline();
    const axis = data.axisOf(t);
    const ferritin = data.panelData(t, data.PANELS.find((p: any) => p.id === 'ferritin'), axis);
    expect(ferritin.unit).toBe('ng/mL');
    expect(ferritin.series[0].points.map((p: any) => [p.x, p.y, p.flag])).toEqual([[-2, 300, undefined], [9.25, 24000, 'H']]);
    expect(ferritin.series[0].limits).toEqual({ low: undefined, high: 336, source: 'default' });
    const fibrinogen = data.panelData(t, data.PANELS.find((p: any) => p.id === 'fibrinogen'), axis);
    expect(fibrinogen.series[0].points[0].flag).toBe('L');
    const liver = data.panelData(t, data.PANELS.find((p: any) => p.id === 'liver'), axis);
    expect(liver.series).toEqual([]);
  });

  it('CRS episodes become bands; an active one runs to the right edge', () => {
    const t = timeline();
    const axis = data.axisOf(t);
    expect(data.crsBands(t, axis, 12)).toEqual([
      { from: 1, to: 4, label: 'CRS grade 2' },
      { from: 9, to: 12, label: 'CRS (active)' },
    ]);
  });

  it('treatments become marks and the x range covers results, treatments and now', () => {
    const t = timeline();
    const axis = data.axisOf(t);
    expect(data.treatmentMarks(t, axis)).toEqual([{ x: 2.33, drug: 'tocilizumab', cls: 'il6-blockade', classLabel: 'IL-6 blockade', kind: 'given' }]);
    expect(data.xRange(t, axis)).toEqual({ min: -3, max: 12, now: 10.5 });
  });
});

describe('order-select context from the order panel', () => {
  const catalog = [
    { key: 'ferritin', kind: 'lab', label: 'Ferritin', resource: { resourceType: 'ServiceRequest', id: 'draft-ferritin', status: 'draft', intent: 'order', subject: { reference: 'Patient/unset' } } },
    { key: 'tocilizumab', kind: 'medication', label: 'Tocilizumab', resource: { resourceType: 'MedicationRequest', id: 'draft-tocilizumab', status: 'draft', intent: 'order', subject: { reference: 'Patient/unset' } } },
  ];

  it('draftOrders holds every draft for this patient, selections only the newly chosen, no Bundle.type', () => {
    const now = new Date('2025-01-11T12:00:00Z');
    const ctx = orders.orderSelectContext(catalog, ['ferritin', 'tocilizumab'], ['tocilizumab'], 'p1', now);
    expect(ctx.selections).toEqual(['MedicationRequest/draft-tocilizumab']);
    expect(ctx.draftOrders.type).toBeUndefined();
    expect(ctx.draftOrders.entry.map((e: any) => [e.resource.id, e.resource.subject.reference, e.resource.authoredOn])).toEqual([
      ['draft-ferritin', 'Patient/p1', '2025-01-11T12:00:00.000Z'],
      ['draft-tocilizumab', 'Patient/p1', '2025-01-11T12:00:00.000Z'],
    ]);
    expect(catalog[0]!.resource.subject.reference).toBe('Patient/unset'); // the catalog is not mutated
  });
});
