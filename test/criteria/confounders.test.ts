/**
 * Evaluation.confounders: active infection / relapse diagnoses that could explain the picture
 * (docs/clinical-basis.md#astct "after other causes (infection, disease progression) have been considered";
 * wording UNVERIFIED per docs/clinical-basis.md#astct). Windows are the threshold rows
 * `confounder.infection.daysBeforeInfusion` (7 d) and `confounder.relapse.fromDay` (1), both local rules.
 */
import { evaluate, thresholdRow } from '../../src/criteria/index.js';
import type { Diagnosis } from '../../src/features/types.js';
import { lab, timeAt, timeline } from './builders.js';

/** A dated diagnosis `day` days after the infusion (day 0 = 2024-03-01), at 08:00 UTC. */
function dx(kind: 'infection' | 'relapse', day: number, extra: Partial<Diagnosis> = {}): Partial<Diagnosis> {
  return { kind, day, time: timeAt(day, 8).time, active: true, term: kind === 'infection' ? 'sepsis' : 'ALL in relapse', ...extra };
}

const kindsOf = (diagnoses: Partial<Diagnosis>[], dayNow = 14, thresholds: Record<string, number> = {}) =>
  (evaluate(timeline({ dayNow, diagnoses }), { thresholds }).confounders ?? []).map((d) => [d.kind, d.day]);

describe('which diagnoses are confounders (local-rule windows)', () => {
  test.each([
    ['infection on day 12 (iechs-sepsis shape)', [dx('infection', 12)], [['infection', 12]]],
    ['infection on day -7: first day inside the 7-day pre-infusion window', [dx('infection', -7)], [['infection', -7]]],
    ['infection on day -8: outside the window (likely an unclosed old entry)', [dx('infection', -8)], []],
    ['infection on the evaluation day, before now', [dx('infection', 14)], [['infection', 14]]],
    ['infection resolved (not active)', [dx('infection', 12, { active: false })], []],
    ['infection without a usable date', [dx('infection', 12, { day: undefined, time: undefined })], []],
    ['relapse on day 1: first day counted as progression after infusion', [dx('relapse', 1)], [['relapse', 1]]],
    ['relapse on day 0: the indication for CAR-T, not progression', [dx('relapse', 0)], []],
    ['relapse long before infusion (C91.02 on the problem list, iechs-peds-all shape)', [dx('relapse', -600)], []],
    ['relapse on day 20, still active', [dx('relapse', 20)], [['relapse', 20]]],
    ['other kinds are never confounders', [dx('infection', 12, { kind: 'hlh' })], []],
    ['both, chronological', [dx('relapse', 9), dx('infection', 12)], [['relapse', 9], ['infection', 12]]],
  ] as const)('%s', (_name, diagnoses, expected) => {
    expect(kindsOf([...diagnoses], 20)).toEqual(expected);
  });

  test('a diagnosis dated later than now is not counted', () => {
    // now = day 14 at 12:00; the diagnosis is day 14 at 18:00.
    expect(kindsOf([{ ...dx('infection', 14), time: timeAt(14, 18).time }], 14)).toEqual([]);
  });

  test('not watched (no infusion, or past the watch window): no confounders', () => {
    expect(evaluate(timeline({ noInfusion: true, diagnoses: [dx('infection', 12)] })).confounders).toEqual([]);
    expect(kindsOf([dx('infection', 100)], 101)).toEqual([]);
  });

  test('the windows are configurable threshold rows, labelled local and unverified', () => {
    expect(kindsOf([dx('infection', -8)], 14, { 'confounder.infection.daysBeforeInfusion': 8 })).toEqual([['infection', -8]]);
    expect(kindsOf([dx('relapse', 0)], 14, { 'confounder.relapse.fromDay': 0 })).toEqual([['relapse', 0]]);
    for (const id of ['confounder.infection.daysBeforeInfusion', 'confounder.relapse.fromDay'] as const) {
      expect(thresholdRow(id)).toMatchObject({ kind: 'local', verified: false, unit: 'd' });
    }
    expect(() => evaluate(timeline(), { thresholds: { 'confounder.infection.daysBeforeInfusion': -1 } })).toThrow(/outside/);
  });

  test('confounders never change the IEC-HS picture or any criteria set (the syndrome can coexist with infection)', () => {
    // ASTCT picture present: ferritin 300 -> 9,000 after CRS resolved, fibrinogen 120 (as in astct.test.ts).
    const picture = { dayNow: 14, crs: [{ onsetDay: 2, abatementDay: 6, active: false }] };
    const labs = () => [lab('ferritin', 300, 0), lab('ferritin', 9000, 13), lab('fibrinogen', 120, 13)];
    const base = evaluate(timeline({ ...picture, labs: labs() }));
    const withBoth = evaluate(timeline({ ...picture, labs: labs(), diagnoses: [dx('infection', 12), dx('relapse', 10)] }));
    expect(base.iecHsPicture).toBe(true);
    expect(withBoth.confounders?.map((d) => d.kind)).toEqual(['relapse', 'infection']);
    const verdicts = (e: ReturnType<typeof evaluate>) => [e.iecHsPicture, e.severeOrganDysfunction, e.workupDue, e.assessments.map((a) => [a.id, a.status, a.summary])];
    expect(verdicts(withBoth)).toEqual(verdicts(base));
  });
});
