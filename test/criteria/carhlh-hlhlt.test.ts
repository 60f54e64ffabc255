import { assessCarHlh } from '../../src/criteria/carhlh.js';
import { assessHlhLt } from '../../src/criteria/hlhLt.js';
import type { LabValue } from '../../src/features/types.js';
import { lab, timeline, type TimelineOptions } from './builders.js';
import { criterionOf, run } from './helpers.js';

const carhlh = (labs: LabValue[], opts: TimelineOptions = {}) => run(assessCarHlh, timeline({ dayNow: 12, labs, ...opts }));
const hlhlt = (labs: LabValue[], opts: TimelineOptions = {}) => run(assessHlhLt, timeline({ dayNow: 12, labs, ...opts }));
// Grade 3 liver (AST > 5 x ULN 40) and kidney (creatinine > 3 x ULN 1.2) since infusion.
const liverG3 = [lab('ast', 250, 8), lab('alt', 30, 8), lab('bilirubinTotal', 1, 8)];
const kidneyG3 = [lab('creatinine', 4, 8)];

describe('CARTOX carHLH (docs/clinical-basis.md#carhlh)', () => {
  test.each([
    [[lab('ferritin', 10_000, 4)], 'not-met', 'docs/clinical-basis.md#carhlh peak = 10,000 is not > 10,000'],
    [[lab('ferritin', 10_001, 4)], 'met', 'docs/clinical-basis.md#carhlh peak > 10,000 during the CRS phase (<= day 5)'],
    [[lab('ferritin', 10_001, 5)], 'met', 'day 5 is inside "typically the first 5 days"'],
    [[lab('ferritin', 20_000, 8)], 'insufficient-data', 'day 8 without a recorded CRS episode: not in the CRS phase'],
  ] as const)('%#: ferritin item %p (%s)', (labs, expected, _ref) => {
    expect(criterionOf(carhlh([...labs]), 'carhlh-ferritin').status).toBe(expected);
  });

  test('a recorded CRS episode extends the CRS phase', () => {
    const a = carhlh([lab('ferritin', 20_000, 8)], { crs: [{ onsetDay: 6, abatementDay: 9, active: false }] });
    expect(criterionOf(a, 'carhlh-ferritin').status).toBe('met');
  });

  test('met: ferritin > 10,000 in CRS phase + grade 3 liver + grade 3 kidney', () => {
    const a = carhlh([lab('ferritin', 15_000, 4), ...liverG3, ...kidneyG3]);
    expect(a.status).toBe('met');
    expect(a.summary).toBe('Met: ferritin 15,000 ng/mL (day 4) > 10,000 in CRS phase + liver, kidney');
  });

  test('liver grade 2 only (AST = 5 x ULN): lung and hemophagocytosis unknown -> insufficient, never "not met"', () => {
    const a = carhlh([lab('ferritin', 15_000, 4), lab('ast', 200, 8), lab('alt', 30, 8), lab('bilirubinTotal', 1, 8), lab('creatinine', 1, 8)]);
    expect(criterionOf(a, 'carhlh-liver').status).toBe('not-met');
    expect(criterionOf(a, 'carhlh-kidney').status).toBe('not-met');
    expect(a.status).toBe('insufficient-data');
    expect(a.missing).toContain('pulmonary oedema grade (clinical assessment, not in lab data)');
  });

  test('not met when the CRS-phase peak stays under 10,000', () => {
    const a = carhlh([lab('ferritin', 3000, 3), ...liverG3, ...kidneyG3]);
    expect(a.status).toBe('not-met');
    expect(a.summary).toBe('Not met: peak CRS-phase ferritin 3,000 ng/mL (day 3) is not > 10,000 ng/mL');
  });

  test('documented hemophagocytosis counts as an organ criterion', () => {
    const a = carhlh([lab('ferritin', 15_000, 4), ...liverG3], { diagnoses: [{ kind: 'hemophagocytosis', day: 9 }] });
    expect(a.status).toBe('met');
  });
});

describe('PRWCC HLH-LT (docs/clinical-basis.md#hlh-lt)', () => {
  test.each([
    [[lab('ferritin', 9_999, 10)], 'not-met', 'peak < 10,000'],
    [[lab('ferritin', 10_000, 10)], 'met', 'peak >= 10,000 within 30 days'],
    [[lab('ferritin', 10_000, 30)], 'met', 'day 30 is within 30 days'],
    [[lab('ferritin', 50_000, 31)], 'insufficient-data', 'day 31: outside the 30-day window'],
  ] as const)('%#: ferritin item %p (%s)', (labs, expected, _ref) => {
    expect(criterionOf(hlhlt([...labs], { dayNow: 35 }), 'hlhlt-ferritin').status).toBe(expected);
  });

  test.each([
    [150, 'not-met', 'fibrinogen = 150 is not < 150'],
    [149, 'met', 'fibrinogen < 150 mg/dL'],
  ])('hypofibrinogenemia %p -> %p (%s)', (value, expected) => {
    expect(criterionOf(hlhlt([lab('fibrinogen', value, 9)]), 'hlhlt-fibrinogen').status).toBe(expected);
  });

  test('met: ferritin >= 10,000 + hypofibrinogenemia + grade 3 hepatic toxicity', () => {
    const a = hlhlt([lab('ferritin', 12_000, 9), lab('fibrinogen', 120, 9), ...liverG3]);
    expect(a.status).toBe('met');
    expect(a.summary).toBe('Met: ferritin 12,000 ng/mL (day 9) >= 10,000 + liver, hypofibrinogenemia');
  });

  test('ferritin >= 10,000 with one feature and the rest unknown -> insufficient data', () => {
    const a = hlhlt([lab('ferritin', 12_000, 9), lab('fibrinogen', 120, 9)]);
    expect(a.status).toBe('insufficient-data');
  });
});
