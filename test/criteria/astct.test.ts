import { assessAstct } from '../../src/criteria/astct.js';
import { evaluate } from '../../src/criteria/index.js';
import type { LabValue } from '../../src/features/types.js';
import { lab, timeline, type TimelineOptions } from './builders.js';
import { criterionOf, run } from './helpers.js';

const astct = (opts: TimelineOptions, overrides: Record<string, number> = {}) => run(assessAstct, timeline({ dayNow: 12, ...opts }), overrides);
const status = (labs: LabValue[], id: string, opts: TimelineOptions = {}, overrides: Record<string, number> = {}) =>
  criterionOf(astct({ labs, ...opts }, overrides), id).status;

describe('ASTCT key ferritin criterion (docs/clinical-basis.md#astct, UNVERIFIED numbers)', () => {
  test.each([
    [[lab('ferritin', 600, 11)], 'not-met', 'docs/clinical-basis.md#astct ferritin = 2 x ULN (300) -> not > 2x ULN'],
    [[lab('ferritin', 601, 11)], 'met', 'docs/clinical-basis.md#astct ferritin > 2 x ULN'],
    [[lab('ferritin', 400, 0, { high: null }), lab('ferritin', 800, 11, { high: null })], 'not-met', 'docs/clinical-basis.md#astct = 2 x baseline -> not met'],
    [[lab('ferritin', 400, 0, { high: null }), lab('ferritin', 801, 11, { high: null })], 'met', 'docs/clinical-basis.md#astct > 2 x baseline'],
    [[lab('ferritin', 5000, 0)], 'insufficient-data', 'docs/clinical-basis.md#astct baseline only, no ferritin since infusion'],
    [[lab('ferritin', 5000, 11, { high: null })], 'insufficient-data', 'no reference range and no baseline: cannot judge'],
    [[lab('ferritin', 5000, 2)], 'insufficient-data', 'value older than the 7-day lookback'],
  ] as const)('%#: %s (%s)', (labs, expected, _ref) => {
    expect(status([...labs], 'astct-ferritin')).toBe(expected);
  });

  test('no infusion: insufficient data, infusion date missing', () => {
    const a = run(assessAstct, timeline({ noInfusion: true, labs: [lab('ferritin', 9000, 11)] }));
    expect(criterionOf(a, 'astct-ferritin').missing).toContain('immune effector cell infusion (none on record)');
  });
});

describe('ASTCT "rapidly rising ferritin" (LOCAL RULE: >= +50% within 48 h, both > ULN)', () => {
  // ULN 300; values kept <= 2x ULN so only the rise can fire.
  test.each([
    [400, 0, 600, 24, 'met', 'rise of exactly +50% in 24 h'],
    [400, 0, 599, 24, 'not-met', 'rise just under +50%'],
    [400, 0, 600, 48, 'met', 'exactly 48 h apart'],
    [400, 0, 600, 49, 'not-met', '49 h apart: outside the window'],
    [300, 0, 450, 24, 'not-met', 'earlier value not above ULN'],
  ] as const)('%p -> %p after %p h... %s (%s)', (from, _d, to, hours, expected, _ref) => {
    const labs = [lab('ferritin', from, 9, { hour: 6 }), lab('ferritin', to, 9 + Math.floor((6 + hours) / 24), { hour: (6 + hours) % 24 })];
    expect(status(labs, 'astct-ferritin')).toBe(expected);
  });

  test('the evidence names the local rule and the rise', () => {
    const c = criterionOf(astct({ labs: [lab('ferritin', 400, 10), lab('ferritin', 600, 11)] }), 'astct-ferritin');
    expect(c.evidence[0]?.label).toMatch(/rising \+50% in 24 h \(local rule: >= \+50% within 48 h, both > ULN\)/);
    expect(c.verified).toBe(false);
  });

  test('overriding the rule changes the outcome', () => {
    const labs = [lab('ferritin', 400, 10), lab('ferritin', 500, 11)];
    expect(status(labs, 'astct-ferritin')).toBe('not-met');
    expect(status(labs, 'astct-ferritin', {}, { 'astct.ferritin.rapidRise.fraction': 0.25 })).toBe('met');
  });
});

describe('ASTCT timing vs CRS (docs/clinical-basis.md#astct-timing)', () => {
  const high = [lab('ferritin', 5000, 11)];
  test.each([
    [{}, 12, 'met', 'no CRS on record: IEC-HS is independent of CRS'],
    [{ onsetDay: 2, abatementDay: 7, active: false }, 12, 'met', 'CRS resolved'],
    [{ onsetDay: 8, active: true }, 12, 'not-met', 'CRS active, no rebound'],
    [{ onsetDay: 2, active: true }, 16, 'met', 'CRS coded active 14 days after onset: treated as resolving (local rule)'],
    [{ onsetDay: 2, active: true }, 15, 'not-met', 'CRS coded active 13 days after onset'],
  ] as const)('%p at day %p -> %p (%s)', (episode, dayNow, expected, _ref) => {
    const crs = Object.keys(episode).length ? [{ ...episode }] : [];
    const labs = [lab('ferritin', 5000, dayNow - 1)];
    expect(status(dayNow === 12 ? high : labs, 'astct-timing', { crs, dayNow })).toBe(expected);
  });

  // Worsening after initial improvement (LOCAL RULE): >= 25% fall from peak, then >= +50% from nadir.
  test.each([
    [4000, 3000, 4500, 'met', 'fall of 25% then rise of 50%'],
    [4000, 3001, 4502, 'not-met', 'fall just under 25%: no initial improvement'],
    [4000, 3000, 4499, 'not-met', 'rise just under 50% from nadir'],
  ])('peak %p, nadir %p, then %p -> %p (%s)', (peak, nadir, rebound, expected) => {
    const labs = [lab('ferritin', peak, 5), lab('ferritin', nadir, 7), lab('ferritin', rebound, 9)];
    expect(status(labs, 'astct-timing', { crs: [{ onsetDay: 3, active: true }] })).toBe(expected);
  });
});

describe('ASTCT organ and HLH features (docs/clinical-basis.md#astct)', () => {
  test.each([
    ['astct-fibrinogen', [lab('fibrinogen', 150, 11, { low: 150 })], 'not-met', 'fibrinogen = 150 mg/dL = LLN -> not < 150, not < LLN'],
    ['astct-fibrinogen', [lab('fibrinogen', 149, 11, { low: 150 })], 'met', 'fibrinogen < 150 mg/dL'],
    ['astct-fibrinogen', [lab('fibrinogen', 199, 11)], 'met', 'fibrinogen < LLN 200 mg/dL (issue 12: "< 150 or < LLN")'],
    ['astct-fibrinogen', [lab('fibrinogen', 200, 11)], 'not-met', 'fibrinogen = LLN 200 mg/dL'],
    ['astct-fibrinogen', [lab('fibrinogen', 149, 11, { low: null })], 'met', 'no range: < 150 mg/dL still applies'],
    ['astct-transaminases', [lab('ast', 200, 11), lab('alt', 30, 11)], 'not-met', 'AST = 5 x ULN (40), ALT normal'],
    ['astct-transaminases', [lab('ast', 200, 11)], 'insufficient-data', 'AST = 5 x ULN, ALT unknown: not judged absent'],
    ['astct-transaminases', [lab('ast', 201, 11)], 'met', 'AST > 5 x ULN'],
    ['astct-transaminases', [lab('alt', 201, 11)], 'met', 'ALT > 5 x ULN'],
    ['astct-transaminases', [lab('ast', 100, 0), lab('ast', 500, 11), lab('alt', 30, 11)], 'not-met', 'abnormal baseline 100: 5 x baseline'],
    ['astct-transaminases', [lab('ast', 100, 0), lab('ast', 501, 11)], 'met', 'abnormal baseline 100: > 5 x baseline'],
    ['astct-ldh', [lab('ldh', 250, 11)], 'not-met', 'LDH = ULN'],
    ['astct-ldh', [lab('ldh', 251, 11)], 'met', 'LDH > ULN'],
    ['astct-triglycerides', [lab('triglycerides', 265, 11)], 'not-met', 'TG = 265 mg/dL'],
    ['astct-triglycerides', [lab('triglycerides', 266, 11)], 'met', 'TG > 265 mg/dL'],
    ['astct-bilirubin-direct', [lab('bilirubinDirect', 0.3, 11)], 'not-met', 'direct bilirubin = ULN'],
    ['astct-bilirubin-direct', [lab('bilirubinDirect', 0.31, 11)], 'met', 'direct bilirubin > ULN'],
    ['astct-coagulopathy', [lab('inr', 1.2, 11), lab('aptt', 35, 11)], 'not-met', 'INR 1.2 and aPTT = ULN'],
    ['astct-coagulopathy', [lab('inr', 1.21, 11), lab('aptt', 35, 11)], 'met', 'INR > 1.2'],
    ['astct-coagulopathy', [lab('pt', 14, 11), lab('aptt', 30, 11)], 'met', 'no INR: PT > ULN (13.5 s)'],
    ['astct-coagulopathy', [lab('inr', 1.0, 11)], 'insufficient-data', 'INR normal, aPTT unknown'],
    ['astct-coagulopathy', [lab('aptt', 36, 11)], 'met', 'aPTT > ULN'],
    ['astct-fever', [lab('temperature', 37.9, 11)], 'not-met', 'temperature 37.9 C'],
    ['astct-fever', [lab('temperature', 38.0, 11)], 'met', 'fever >= 38.0 C (docs/clinical-basis.md#crs-grading)'],
    ['astct-scd25', [lab('sil2r', 838, 11)], 'not-met', 'sCD25 = ULN'],
    ['astct-scd25', [lab('sil2r', 839, 11)], 'met', 'sCD25 > ULN (docs/clinical-basis.md#scd25)'],
    ['astct-scd25', [lab('sil2r', 5000, 11, { unit: 'pg/mL' })], 'insufficient-data', 'pg/mL assay not comparable (docs/clinical-basis.md#scd25-units)'],
  ] as const)('%s %#: %p (%s)', (id, labs, expected, _ref) => {
    expect(status([...labs], id)).toBe(expected);
  });

  test('documented findings count; absence is unknown, not "no"', () => {
    const withFindings = astct({ diagnoses: [{ kind: 'hemophagocytosis', day: 10 }, { kind: 'splenomegaly', day: 9 }] });
    expect(criterionOf(withFindings, 'astct-hemophagocytosis').status).toBe('met');
    expect(criterionOf(withFindings, 'astct-splenomegaly').status).toBe('met');
    const without = astct({});
    expect(criterionOf(without, 'astct-hemophagocytosis').status).toBe('insufficient-data');
    expect(criterionOf(without, 'astct-splenomegaly').status).toBe('insufficient-data');
  });
});

describe('ASTCT new or worsening cytopenia, judged against the post-infusion course (LOCAL RULES astct.cytopenia.*)', () => {
  // LLN platelets 150 (grade 1 < LLN, 2 < 75, 3 < 50, 4 < 25); ANC and hemoglobin kept normal and steady.
  const steady = (day: number) => [lab('anc', 2, 0), lab('anc', 2, day), lab('hemoglobin', 12, 0), lab('hemoglobin', 12, day)];
  const rows: [readonly (readonly [number, number])[], number, string, string][] = [
    [[[0, 160], [5, 40], [8, 120], [11, 70]], 12, 'met', 'falls again after recovery: grade 1 (120) -> 2 (70)'],
    [[[0, 160], [5, 40], [8, 120], [11, 76]], 12, 'not-met', 'dips inside the same grade after recovery (120 -> 76, both grade 1)'],
    [[[0, 160], [5, 40], [8, 80], [11, 120]], 12, 'not-met', 'recovering from the nadir: never counts'],
    [[[0, 160], [5, 40], [8, 120], [11, 130]], 12, 'not-met', 'recovered and still climbing'],
    [[[0, 160], [9, 30], [11, 20]], 12, 'not-met', 'still falling into the nadir on day 11, no recovery: expected after lymphodepletion'],
    [[[0, 160], [14, 60], [16, 45]], 17, 'met', 'new grade 3 after the day-14 nadir window, falling'],
    [[[0, 160], [13, 60], [14, 45]], 15, 'not-met', 'grade 3 reached on day 14: inside the nadir window'],
    [[[0, 160], [14, 45], [16, 55]], 17, 'not-met', 'grade 3 after the window but recovering'],
    [[[0, 40], [14, 45], [16, 42]], 17, 'not-met', 'grade 3 after the window, but no worse than the grade-3 baseline'],
  ];
  test.each(rows)('platelets %j on day %p -> %s (%s)', (points, dayNow, expected) => {
    const labs = [...points.map(([d, v]) => lab('platelets', v, d)), ...steady(Math.min(dayNow - 1, 11))];
    expect(status(labs, 'astct-cytopenia', { dayNow })).toBe(expected);
  });
  test('a lineage with no recent value leaves the criterion undecided, never absent', () => {
    expect(status([lab('platelets', 160, 0), lab('platelets', 150, 11)], 'astct-cytopenia')).toBe('insufficient-data');
  });
});

describe('ASTCT IEC-HS picture (LOCAL RULE: key ferritin + timing + >= 1 core manifestation)', () => {
  const key = [lab('ferritin', 300, 0), lab('ferritin', 9000, 11)];
  const crsResolved = [{ onsetDay: 2, abatementDay: 6, active: false }];

  test('met: ferritin > 2x ULN after CRS resolved with fibrinogen < 150', () => {
    const tl = timeline({ dayNow: 12, crs: crsResolved, labs: [...key, lab('fibrinogen', 120, 11)] });
    const e = evaluate(tl);
    const a = e.assessments.find((x) => x.id === 'astct-iec-hs')!;
    expect(a.status).toBe('met');
    expect(e.iecHsPicture).toBe(true);
    expect(a.summary).toBe('Met: ferritin 9,000 ng/mL (day 11) > 2x ULN; after CRS resolved (day 6); fibrinogen 120 mg/dL (day 11) < 150');
    expect(a.source.verified).toBe(false);
  });

  test('not met: key and timing met but every core manifestation is absent', () => {
    const labs = [
      ...key, lab('fibrinogen', 300, 11), lab('ast', 30, 11), lab('alt', 30, 11),
      lab('platelets', 200, 0), lab('platelets', 200, 11), lab('anc', 3, 0), lab('anc', 3, 11), lab('hemoglobin', 13, 0), lab('hemoglobin', 13, 11),
    ];
    // Hemophagocytosis is never known absent, so the set stays "insufficient" unless core count cannot be reached.
    expect(astct({ crs: crsResolved, labs }).status).toBe('insufficient-data');
    expect(astct({ crs: crsResolved, labs }, { 'astct.minCoreFeatures': 2 }).status).toBe('not-met');
  });

  test('not met during active CRS without a rebound, and says why', () => {
    const a = astct({ crs: [{ onsetDay: 9, active: true }], labs: [...key, lab('fibrinogen', 100, 11)] });
    expect(a.status).toBe('not-met');
    expect(a.summary).toBe('Not met: ferritin 9,000 ng/mL (day 11) > 2x ULN, but CRS active since day 9 and no ferritin rebound after improvement');
  });

  test('insufficient data when ferritin is missing, naming it', () => {
    const a = astct({ labs: [lab('fibrinogen', 100, 11)] });
    expect(a.status).toBe('insufficient-data');
    expect(a.summary).toBe('Insufficient data: ferritin (none since infusion in last 7 d)');
    expect(a.missingAnalytes).toContain('ferritin');
  });

  test('overriding the key multiple changes the picture', () => {
    const labs = [lab('ferritin', 700, 11), lab('fibrinogen', 100, 11)];
    expect(astct({ labs }).status).toBe('met');
    expect(astct({ labs }, { 'astct.ferritin.ulnMultiple': 3 }).status).toBe('not-met');
  });

  test('no IEC-HS grade is ever assigned', () => {
    const e = evaluate(timeline({ dayNow: 12, crs: crsResolved, labs: [...key, lab('fibrinogen', 40, 11)] }));
    expect(JSON.stringify(e.assessments)).not.toMatch(/IEC-HS grade/i);
  });
});
