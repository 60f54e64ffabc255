/**
 * Censored results ("<5", ">100000") at cut-offs: a rule is met only when every value the result
 * stands for meets it, not met only when none does, otherwise undecidable. The comparator is shown in
 * the evidence. Cut-offs cited from the threshold table (docs/clinical-basis.md#astct, docs/clinical-basis.md#carhlh, docs/clinical-basis.md#hscore, docs/clinical-basis.md#hlh2004, docs/clinical-basis.md#ohi).
 */
import { assessAstct } from '../../src/criteria/astct.js';
import { assessCarHlh } from '../../src/criteria/carhlh.js';
import { compareValue } from '../../src/criteria/censored.js';
import { findRapidRise } from '../../src/criteria/ferritinTrend.js';
import { assessHlh2004 } from '../../src/criteria/hlh2004.js';
import { assessHlhLt } from '../../src/criteria/hlhLt.js';
import { assessHscore } from '../../src/criteria/hscore.js';
import { evaluate } from '../../src/criteria/index.js';
import { assessOhi } from '../../src/criteria/ohi.js';
import type { LabValue } from '../../src/features/types.js';
import { lab, timeline } from './builders.js';
import { criterionOf, run } from './helpers.js';

const censored = (v: LabValue, comparator: LabValue['comparator']): LabValue => ({ ...v, comparator });

describe('compareValue: interval logic', () => {
  test.each([
    // value, comparator, rule, cut, verdict
    [100_000, '>', '>', 10_000, true],
    [10_000, '>', '>', 10_000, true], // >10,000 is above 10,000
    [10_000, '>=', '>', 10_000, undefined], // could be exactly 10,000
    [10_000, '>=', '>=', 10_000, true],
    [500, '>', '>', 10_000, undefined], // some value above 500: may or may not exceed 10,000
    [150, '<', '<', 150, true], // "<150" fibrinogen satisfies "< 150"
    [150, '<=', '<', 150, undefined],
    [150, '<=', '<=', 150, true],
    [150, '<', '<=', 150, true],
    [200, '<', '<', 150, undefined],
    [5, '<', '>', 600, false], // "<5" never satisfies "> 2x ULN"
    [5, '<', '>', 5, false],
    [5, '<', '>', 4, undefined],
    [5, '<', '>=', 5, false],
    [100, '>', '<', 100, false],
    [100, '>', '<=', 100, false],
    [100, '>=', '<', 100, false],
    [100, '>=', '<=', 100, undefined],
    [601, undefined, '>', 600, true],
    [600, undefined, '>', 600, false],
    [600, undefined, '>=', 600, true],
  ] as const)('%p %s vs %s %p -> %p', (value, comparator, op, cut, verdict) => {
    expect(compareValue({ value, comparator }, op, cut)).toBe(verdict);
  });
});

describe('criteria with censored results', () => {
  test('">100000" ferritin in the CRS phase satisfies CARTOX "> 10,000" and shows the comparator', () => {
    const a = run(assessCarHlh, timeline({ dayNow: 10, labs: [censored(lab('ferritin', 100_000, 3), '>')] }));
    const c = criterionOf(a, 'carhlh-ferritin');
    expect(c.status).toBe('met');
    expect(c.evidence[0]?.value?.comparator).toBe('>');
    expect(a.summary).toContain('>100,000 ng/mL');
  });

  test('">5000" ferritin cannot decide HLH-LT ">= 10,000": insufficient data, not "not met"', () => {
    const c = criterionOf(run(assessHlhLt, timeline({ dayNow: 10, labs: [censored(lab('ferritin', 5000, 3), '>')] })), 'hlhlt-ferritin');
    expect(c.status).toBe('insufficient-data');
    expect(c.missing[0]).toMatch(/censored/);
  });

  test('"<150" fibrinogen satisfies ASTCT "< 150" (UNVERIFIED) and HLH-LT "< 150"', () => {
    const labs = [censored(lab('fibrinogen', 150, 11), '<')];
    const astctFib = criterionOf(run(assessAstct, timeline({ dayNow: 12, labs })), 'astct-fibrinogen');
    expect(astctFib.status).toBe('met');
    expect(astctFib.evidence[0]?.value?.comparator).toBe('<');
    expect(criterionOf(run(assessHlhLt, timeline({ dayNow: 12, labs })), 'hlhlt-fibrinogen').status).toBe('met');
  });

  test('"<=150" fibrinogen meets HLH-2004 "<= 150 mg/dL"; "<200" cannot decide it', () => {
    const met = criterionOf(run(assessHlh2004, timeline({ dayNow: 12, labs: [censored(lab('fibrinogen', 150, 11), '<=')] })), 'hlh2004-tg-fibrinogen');
    expect(met.status).toBe('met');
    const open = criterionOf(run(assessHlh2004, timeline({ dayNow: 12, labs: [censored(lab('fibrinogen', 200, 11), '<')] })), 'hlh2004-tg-fibrinogen');
    expect(open.status).toBe('insufficient-data');
  });

  test('"<5" ferritin does not satisfy the ASTCT key "> 2x ULN" (ULN 300)', () => {
    const c = criterionOf(run(assessAstct, timeline({ dayNow: 12, labs: [censored(lab('ferritin', 5, 11), '<')] })), 'astct-ferritin');
    expect(c.status).toBe('not-met');
  });

  test('">2000" ferritin cannot decide "> 2x ULN" (600): insufficient data with the comparator shown', () => {
    const c = criterionOf(run(assessAstct, timeline({ dayNow: 12, labs: [censored(lab('ferritin', 400, 11), '>')] })), 'astct-ferritin');
    expect(c.status).toBe('insufficient-data');
    expect(c.evidence[0]?.value?.comparator).toBe('>');
  });

  test('">100000" ferritin satisfies OHI "> 1,000"; HScore gives it the > 6,000 band (50 points)', () => {
    const labs = [censored(lab('ferritin', 100_000, 11), '>')];
    expect(criterionOf(run(assessOhi, timeline({ dayNow: 12, labs })), 'ohi-ferritin').status).toBe('met');
    expect(criterionOf(run(assessHscore, timeline({ dayNow: 12, labs })), 'hscore-ferritin').points).toBe(50);
  });

  test('HScore: ">6000" ferritin is in the > 6,000 band (strict edge, docs/clinical-basis.md#hscore)', () => {
    const c = criterionOf(run(assessHscore, timeline({ dayNow: 12, labs: [censored(lab('ferritin', 6000, 11), '>')] })), 'hscore-ferritin');
    expect(c.points).toBe(50);
  });

  test('HScore: ">3000" ferritin spans the 35 and 50 point bands: a range, not a guess', () => {
    const a = run(assessHscore, timeline({ dayNow: 12, labs: [censored(lab('ferritin', 3000, 11), '>')] }));
    const c = criterionOf(a, 'hscore-ferritin');
    expect(c.status).toBe('insufficient-data');
    expect(c.points).toBe(35);
    expect(a.score?.possibleRange?.max).toBeGreaterThanOrEqual(50);
  });

  test('severity: "<100" fibrinogen is below the critical cut-off (local rule, 100 mg/dL)', () => {
    const ev = evaluate(timeline({ dayNow: 12, labs: [censored(lab('fibrinogen', 100, 12, { hour: 8 }), '<')] }));
    expect(ev.severeOrganDysfunction).toBe(true);
  });

  test('rapid rise: ">100000" may end a rise but never start one; "<x" never ends one', () => {
    const a = lab('ferritin', 40_000, 10, { hour: 6 });
    const b = lab('ferritin', 100_000, 11, { hour: 6 });
    expect(findRapidRise([a, censored(b, '>')], 0.5, 48 * 3_600_000)?.to.comparator).toBe('>');
    expect(findRapidRise([censored(a, '>'), b], 0.5, 48 * 3_600_000)).toBeUndefined();
    expect(findRapidRise([a, censored(b, '<')], 0.5, 48 * 3_600_000)).toBeUndefined();
  });
});
