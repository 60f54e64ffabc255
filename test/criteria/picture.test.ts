/**
 * The engine's verdict (Evaluation.picture) on the ferritin course, counts, overlap with active CRS and
 * exposure class, table-driven, plus fast-check properties:
 * - a ferritin series that only falls after CRS resolution never yields a warning or critical tier;
 * - appending a value that continues a decline never raises the tier.
 * Ranges as builders.ts: ferritin ULN 300 (2x ULN = 600), fibrinogen LLN 200, AST ULN 40.
 */
import fc from 'fast-check';
import { evaluate } from '../../src/criteria/index.js';
import type { Evaluation, Tier } from '../../src/criteria/types.js';
import type { LabValue, Treatment } from '../../src/features/types.js';
import { lab, timeline, type TimelineOptions } from './builders.js';

const RANK: Readonly<Record<Tier, number>> = { none: 0, watch: 1, warning: 2, critical: 3 };

/** Labs that keep workup quiet and no organ sign (fresh on day `d`). */
function quiet(d: number): LabValue[] {
  return [
    lab('fibrinogen', 300, 0), lab('fibrinogen', 300, d),
    lab('ast', 25, 0), lab('ast', 25, d), lab('alt', 25, 0), lab('alt', 25, d),
    lab('bilirubinTotal', 0.6, d), lab('creatinine', 0.8, d), lab('ldh', 200, d), lab('inr', 1.0, d),
    lab('hemoglobin', 11, 0), lab('hemoglobin', 11, d), lab('triglycerides', 120, d), lab('sil2r', 500, d),
  ];
}
const recovering = (d: number): LabValue[] => [
  lab('platelets', 170, 0), lab('platelets', 40, 4), lab('platelets', 80, d - 2), lab('platelets', 110, d),
  lab('anc', 2.2, 0), lab('anc', 0.2, 4), lab('anc', 0.9, d - 2), lab('anc', 1.5, d),
];
const worsening = (d: number): LabValue[] => [
  lab('platelets', 170, 0), lab('platelets', 40, 4), lab('platelets', 80, d - 2), lab('platelets', 110, d),
  lab('anc', 2.2, 0), lab('anc', 0.2, 4), lab('anc', 1.9, d - 2), lab('anc', 0.8, d),
];
const ferritin = (points: readonly (readonly [number, number])[]): LabValue[] => points.map(([d, v]) => lab('ferritin', v, d));

function picture(opts: TimelineOptions) {
  const e = evaluate(timeline(opts));
  return { ...e.picture!, course: e.ferritinCourse, iecHs: e.iecHsPicture };
}

describe('ferritin course: judged on the latest value and its course (issue 12, local rules)', () => {
  const resolved = { crs: [{ onsetDay: 1, abatementDay: 6, active: false }] };
  const rows: [readonly (readonly [number, number])[], string, string][] = [
    [[[0, 280], [3, 8600], [6, 3900], [9, 1800], [12, 900], [14, 700]], 'falling-tail', 'falling steadily from the CRS peak'],
    [[[0, 280], [3, 8600], [8, 1300], [10, 900], [12, 1100], [13, 1400], [14, 1450]], 'new-rise', 'rising again >= 50% above a nadir after >= 25% improvement'],
    [[[0, 280], [12, 650], [13, 700], [14, 1100]], 'rapid-rise', '+57% in 24 h, both > ULN'],
    [[[0, 280], [3, 1000], [6, 800], [10, 760], [12, 790], [14, 800]], 'elevated-stable', 'plateau within 25% of its peak'],
    [[[0, 280], [3, 8600], [10, 1300], [12, 1250], [14, 1300]], 'falling-tail', 'plateau after a >= 25% fall from the peak: still the tail'],
    [[[0, 280], [3, 900], [14, 500]], 'normal', '500 < 2x ULN and < 2x baseline'],
    [[[14, 900]], 'single', 'one value since infusion'],
  ];
  test.each(rows)('%j -> %s (%s)', (points, pattern) => {
    const p = picture({ dayNow: 14, labs: [...ferritin(points), ...quiet(14), ...recovering(14)], ...resolved });
    expect(p.course?.pattern).toBe(pattern);
  });

  test('summary material: latest value, its day and the peak it falls from', () => {
    const p = picture({ dayNow: 14, labs: [...ferritin([[0, 280], [3, 8600], [9, 1800], [14, 700]]), ...quiet(14)], ...resolved });
    expect(p.course?.latest.value).toBe(700);
    expect(p.course?.latest.day).toBe(14);
    expect(p.course?.direction).toBe('falling');
    expect(p.course?.peak?.value).toBe(8600);
  });
});

describe('tier (critical / warning / watch / none) decided by the engine', () => {
  const resolved = { crs: [{ onsetDay: 1, abatementDay: 6, active: false }] };
  const risingAgain = ferritin([[0, 280], [3, 8600], [8, 1300], [10, 900], [12, 1400], [14, 2200]]);
  const plateau = ferritin([[0, 280], [3, 1000], [6, 800], [10, 760], [12, 790], [14, 800]]);
  const falling = ferritin([[0, 280], [3, 8600], [6, 3900], [9, 1800], [12, 900], [14, 700]]);

  test.each([
    ['falling tail + fibrinogen < 150: still a watch', [...falling, ...quiet(14), lab('fibrinogen', 120, 14), ...recovering(14)], 'watch', ['ferritin-falling']],
    ['rising again + worsening counts: warning (ferritin rise is the specific sign)', [...risingAgain, ...quiet(14), ...worsening(14)], 'warning', []],
    ['rising again + recovering counts: no core sign, watch', [...risingAgain, ...quiet(14), ...recovering(14)], 'watch', ['ferritin-rising']],
    ['plateau + worsening counts only: watch (ferritin + cytopenia alone)', [...plateau, ...quiet(14), ...worsening(14)], 'watch', ['ferritin-cytopenia-only']],
    ['plateau + fibrinogen < LLN (190 < 200): warning', [...plateau, ...quiet(14), lab('fibrinogen', 190, 14), ...recovering(14)], 'warning', []],
    ['plateau + AST > 5x ULN: critical (AST grade 3)', [...plateau, ...quiet(14), lab('ast', 240, 14), ...recovering(14)], 'critical', []],
    ['plateau + fibrinogen 90 (< 100): critical', [...plateau, ...quiet(14), lab('fibrinogen', 90, 14), ...recovering(14)], 'critical', []],
  ] as const)('%s', (_name, labs, tier, reasons) => {
    const p = picture({ dayNow: 14, labs: [...labs], ...resolved });
    expect(p.tier).toBe(tier);
    for (const r of reasons) expect(p.watchReasons).toContain(r);
    expect(p.overlappingCrs).toBe(false);
  });

  test('HLH-like features during active CRS alert, labelled as overlapping (PRWCC HLH-LT met)', () => {
    const labs = [
      ...ferritin([[0, 400], [2, 2600], [3, 9800], [4, 21000], [5, 34000], [6, 52000]]),
      lab('fibrinogen', 320, 0), lab('fibrinogen', 120, 6), lab('ast', 25, 0), lab('ast', 330, 6), lab('alt', 25, 0), lab('alt', 200, 6),
      lab('bilirubinTotal', 0.8, 6), lab('creatinine', 0.9, 6), lab('inr', 1.2, 6), ...worsening(6),
    ];
    const p = picture({ dayNow: 6, labs, crs: [{ onsetDay: 2, active: true, grade: 3 }] });
    expect(p.tier).toBe('critical');
    expect(p.overlappingCrs).toBe(true);
    expect(['hlh-lt', 'carhlh', 'astct-iec-hs']).toContain(p.rule);
  });

  test('plain active CRS (rising ferritin, no organ sign) does not alert', () => {
    const labs = [...ferritin([[0, 300], [2, 900], [3, 1900], [4, 3400]]), ...quiet(4)];
    const p = picture({ dayNow: 4, labs, crs: [{ onsetDay: 2, active: true, grade: 2 }] });
    expect(RANK[p.tier]).toBeLessThan(RANK.warning);
  });
});

describe('properties (fast-check)', () => {
  /** Other labs drawn from a pool that includes every specific sign. */
  const extras = fc.subarray(['fibrinogen-low', 'ast-high', 'worsening', 'hemophagocytosis'] as const);
  function extraLabs(kinds: readonly string[], d: number): { labs: LabValue[]; diagnoses: TimelineOptions['diagnoses'] } {
    const labs = [...quiet(d), ...(kinds.includes('worsening') ? worsening(d) : recovering(d))];
    if (kinds.includes('fibrinogen-low')) labs.push(lab('fibrinogen', 110, d));
    if (kinds.includes('ast-high')) labs.push(lab('ast', 260, d));
    return { labs, diagnoses: kinds.includes('hemophagocytosis') ? [{ kind: 'hemophagocytosis', day: d - 1, active: true }] : [] };
  }

  test('a ferritin series that only falls after CRS resolution never yields a warning', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 8 }), // CRS resolves on this day
        fc.integer({ min: 1000, max: 80000 }), // peak, on the day before resolution
        fc.array(fc.double({ min: 0.01, max: 0.6, noNaN: true }), { minLength: 1, maxLength: 10 }), // daily falls
        extras,
        (resolveDay, peak, falls, kinds) => {
          const points: [number, number][] = [[0, 280], [resolveDay - 1, peak]];
          let v = peak;
          falls.forEach((f, i) => {
            v = Math.max(1, v * (1 - f));
            points.push([resolveDay + i, Math.round(v * 100) / 100]);
          });
          const dayNow = resolveDay + falls.length;
          const { labs, diagnoses } = extraLabs(kinds, dayNow);
          const p = picture({ dayNow, labs: [...ferritin(points), ...labs], diagnoses, crs: [{ onsetDay: 1, abatementDay: resolveDay, active: false }] });
          return RANK[p.tier] <= RANK.watch;
        },
      ),
      { numRuns: 150 },
    );
  });

  test('appending a value that continues a decline never raises the tier', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 100, max: 60000 }), { minLength: 2, maxLength: 10 }),
        fc.double({ min: 0.01, max: 0.9, noNaN: true }),
        fc.double({ min: 0.01, max: 0.9, noNaN: true }),
        extras,
        fc.boolean(),
        (walk, lastFall, nextFall, kinds, crsActive) => {
          // A walk ending in a decline (last < previous), then one more value lower still.
          const prev = walk[walk.length - 1] ?? 1000;
          const last = Math.max(1, Math.round(prev * (1 - lastFall)));
          const next = Math.max(0.5, Math.round(last * (1 - nextFall) * 100) / 100);
          if (!(next < last)) return true;
          const points: [number, number][] = [[0, 280], ...walk.map((w, i): [number, number] => [i + 1, w]), [walk.length + 1, last]];
          const dayNow = walk.length + 3;
          const { labs, diagnoses } = extraLabs(kinds, dayNow - 2);
          const crs = [{ onsetDay: 1, active: crsActive, ...(crsActive ? {} : { abatementDay: 2 }) }];
          const before = picture({ dayNow, labs: [...ferritin(points), ...labs], diagnoses, crs });
          const after = picture({ dayNow, labs: [...ferritin([...points, [walk.length + 2, next]]), ...labs], diagnoses, crs });
          return RANK[after.tier] <= RANK[before.tier];
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('typed criterion annotations (role, missingItems, resolvedThresholds)', () => {
  test('roles, resolved local thresholds and an unconvertible lab named as such', () => {
    const tl = timeline({ dayNow: 14, labs: [...ferritin([[0, 280], [12, 790], [14, 800]]), lab('ast', 25, 14), lab('alt', 25, 14)] });
    tl.unconvertibleLabs = {
      fibrinogen: [{ analyte: 'fibrinogen', time: tl.now, epochMs: tl.nowEpochMs - 3_600_000, original: { value: 7.6, unit: 'umol/L' }, source: 'Observation/fib', reason: 'no molecular weight' }],
    };
    const e = evaluate(tl, { thresholds: { 'ferritin.course.stableFraction': 0.2 } });
    const astct = e.assessments.find((a) => a.id === 'astct-iec-hs');
    const key = astct?.criteria.find((c) => c.id === 'astct-ferritin');
    expect(key?.role).toBe('key');
    expect(key?.resolvedThresholds).toContainEqual({ id: 'ferritin.course.stableFraction', value: 0.2, unit: 'fraction', verified: false, local: true });
    expect(astct?.criteria.find((c) => c.id === 'astct-timing')?.role).toBe('timing');
    expect(astct?.criteria.find((c) => c.id === 'astct-ldh')?.role).toBe('supportive');
    const fib = astct?.criteria.find((c) => c.id === 'astct-fibrinogen');
    expect(fib?.role).toBe('core');
    expect(fib?.missingItems).toContainEqual({ analyte: 'fibrinogen', reason: 'unconvertible' });
    expect(fib?.missing[0]).toMatch(/cannot be converted/);
    expect(e.workupDue).not.toContain('fibrinogen');
    expect(astct?.criteria.find((c) => c.id === 'astct-hemophagocytosis')?.missingItems).toContainEqual({ item: 'hemophagocytosis', reason: 'not-structured' });
    expect(e.exposure).toEqual({ class: 'cellular', product: 'axicabtagene ciloleucel' });
    expect(e.treatmentState).toEqual({ corticosteroid: false, anakinra: false, refractoryTherapy: false, il6Blockade: false });
  });
});

describe('treatment state: what is running now (threshold treatment.currentHours, local rule, 48 h)', () => {
  // Evaluation at day 10 12:00 UTC (builders.timeline default).
  const at = (day: number, hour: number): string => new Date(Date.parse('2024-03-01T00:00:00.000Z') + day * 86_400_000 + hour * 3_600_000).toISOString();
  const withTreatments = (treatments: Treatment[]): Evaluation => {
    const tl = timeline({ dayNow: 10 });
    tl.treatments = treatments;
    return evaluate(tl);
  };
  const dex = (time: string, kind: Treatment['kind'] = 'given', status?: string): Treatment => ({
    class: 'corticosteroid', drug: 'dexamethasone', time, kind, ...(status ? { status } : {}), source: 'MedicationAdministration/dex',
  });

  it.each([
    ['dexamethasone given for CRS on day 3 is not running on day 10', [dex(at(3, 8))], false],
    ['given 47 h before: running', [dex(at(8, 13))], true],
    ['given 49 h before: not running', [dex(at(8, 11))], false],
    ['an active order: running', [dex(at(9, 8), 'ordered', 'active')], true],
    ['a completed order: not running', [dex(at(9, 8), 'ordered', 'completed')], false],
  ] as const)('%s', (_label, treatments, running) => {
    expect(withTreatments([...treatments]).treatmentState?.corticosteroid).toBe(running);
  });

  it('anakinra given yesterday counts as running; the window is configurable', () => {
    const tl = timeline({ dayNow: 10 });
    tl.treatments = [{ class: 'anakinra', drug: 'anakinra', time: at(9, 12), kind: 'given', source: 'MedicationAdministration/ana' }];
    expect(evaluate(tl).treatmentState?.anakinra).toBe(true);
    expect(evaluate(tl, { thresholds: { 'treatment.currentHours': 12 } }).treatmentState?.anakinra).toBe(false);
  });
});
