import { assessHlh2004 } from '../../src/criteria/hlh2004.js';
import type { LabValue } from '../../src/features/types.js';
import { lab, timeline, type TimelineOptions } from './builders.js';
import { criterionOf, run } from './helpers.js';

const hlh = (opts: TimelineOptions) => run(assessHlh2004, timeline({ dayNow: 12, ...opts }));
const item = (labs: LabValue[], id: string) => criterionOf(hlh({ labs }), id).status;

describe('HLH-2004 items (docs/clinical-basis.md#hlh2004; >= / <= as in the original, §10 item 11)', () => {
  test.each([
    ['hlh2004-fever', [lab('temperature', 38.4, 11)], 'not-met', 'docs/clinical-basis.md#hlh2004 fever < 38.5 C'],
    ['hlh2004-fever', [lab('temperature', 38.5, 11)], 'met', 'docs/clinical-basis.md#hlh2004 fever >= 38.5 C'],
    ['hlh2004-cytopenias', [lab('hemoglobin', 8.9, 11), lab('platelets', 99, 11), lab('anc', 2, 11)], 'met', 'docs/clinical-basis.md#hlh2004 Hb < 9 and platelets < 100: 2 of 3'],
    ['hlh2004-cytopenias', [lab('hemoglobin', 9.0, 11), lab('platelets', 99, 11), lab('anc', 2, 11)], 'not-met', 'docs/clinical-basis.md#hlh2004 Hb = 9.0 is not < 9: 1 of 3'],
    ['hlh2004-cytopenias', [lab('hemoglobin', 10, 11), lab('platelets', 100, 11), lab('anc', 0.99, 11)], 'not-met', 'docs/clinical-basis.md#hlh2004 platelets = 100 not < 100; ANC < 1.0: 1 of 3'],
    ['hlh2004-cytopenias', [lab('hemoglobin', 10, 11), lab('platelets', 99, 11), lab('anc', 1.0, 11)], 'not-met', 'docs/clinical-basis.md#hlh2004 ANC = 1.0 not < 1.0: 1 of 3'],
    ['hlh2004-cytopenias', [lab('platelets', 99, 11)], 'insufficient-data', '1 of 3 known low, 2 unknown'],
    ['hlh2004-tg-fibrinogen', [lab('triglycerides', 264, 11), lab('fibrinogen', 151, 11)], 'not-met', 'docs/clinical-basis.md#hlh2004 TG < 265 and fibrinogen > 150'],
    ['hlh2004-tg-fibrinogen', [lab('triglycerides', 265, 11), lab('fibrinogen', 151, 11)], 'met', 'docs/clinical-basis.md#hlh2004 TG >= 265 mg/dL'],
    ['hlh2004-tg-fibrinogen', [lab('triglycerides', 100, 11), lab('fibrinogen', 150, 11)], 'met', 'docs/clinical-basis.md#hlh2004 fibrinogen <= 150 mg/dL'],
    ['hlh2004-tg-fibrinogen', [lab('fibrinogen', 300, 11)], 'insufficient-data', 'fibrinogen normal, TG unknown: and/or not judged absent'],
    ['hlh2004-ferritin', [lab('ferritin', 499, 11)], 'not-met', 'docs/clinical-basis.md#hlh2004 ferritin < 500'],
    ['hlh2004-ferritin', [lab('ferritin', 500, 11)], 'met', 'docs/clinical-basis.md#hlh2004 ferritin >= 500'],
    ['hlh2004-scd25', [lab('sil2r', 2399, 11)], 'not-met', 'docs/clinical-basis.md#hlh2004 sCD25 < 2,400 U/mL'],
    ['hlh2004-scd25', [lab('sil2r', 2400, 11)], 'met', 'docs/clinical-basis.md#hlh2004 sCD25 >= 2,400 U/mL'],
    ['hlh2004-scd25', [lab('sil2r', 9000, 11, { unit: 'pg/mL' })], 'insufficient-data', 'docs/clinical-basis.md#scd25-units: pg/mL assay not comparable'],
    ['hlh2004-nk', [], 'insufficient-data', 'NK-cell activity is never in the tracked labs'],
  ] as const)('%s %#: %p (%s)', (id, labs, expected, _ref) => {
    expect(item([...labs], id)).toBe(expected);
  });
});

describe('HLH-2004 counting: >= 5 of 8, missing items counted as missing', () => {
  const negative = [
    lab('temperature', 37, 11), lab('hemoglobin', 13, 11), lab('platelets', 200, 11), lab('anc', 3, 11),
    lab('triglycerides', 100, 11), lab('fibrinogen', 300, 11), lab('ferritin', 100, 11), lab('sil2r', 500, 11),
  ];
  const positive = [
    lab('temperature', 39, 11), lab('hemoglobin', 8, 11), lab('platelets', 50, 11), lab('anc', 0.5, 11),
    lab('triglycerides', 300, 11), lab('fibrinogen', 100, 11), lab('ferritin', 20_000, 11), lab('sil2r', 5000, 11),
  ];

  test('5 labs positive -> met (5 of 8)', () => {
    const a = hlh({ labs: positive });
    expect(a.status).toBe('met');
    expect(a.score).toMatchObject({ value: 5, max: 8 });
    expect(a.summary).toBe('Met: 5 of 8 criteria (>= 5)');
  });

  test('all known items negative: 0 met + 3 unknown cannot reach 5 -> not met', () => {
    const a = hlh({ labs: negative });
    expect(a.status).toBe('not-met');
    expect(a.summary).toBe('Not met: 0 of 8 criteria, 3 unknown (cannot reach 5)');
  });

  test('2 met + 3 unknown could still reach 5 -> insufficient data, not "not met"', () => {
    const labs = [lab('temperature', 39, 11), lab('ferritin', 20_000, 11), ...negative.filter((v) => !['temperature', 'ferritin'].includes(v.analyte))];
    const a = hlh({ labs });
    expect(a.status).toBe('insufficient-data');
    expect(a.summary).toBe('Insufficient data: 2 of 8 criteria met, 3 unknown (5 needed)');
  });

  test('documented splenomegaly and hemophagocytosis count', () => {
    const labs = [lab('temperature', 39, 11), lab('ferritin', 20_000, 11), lab('sil2r', 5000, 11)];
    const a = hlh({ labs, diagnoses: [{ kind: 'splenomegaly', day: 8 }, { kind: 'hemophagocytosis', day: 9 }] });
    expect(a.score?.value).toBe(5);
    expect(a.status).toBe('met');
  });

  test('overriding the required count changes the outcome', () => {
    const tl = timeline({ dayNow: 12, labs: positive });
    expect(run(assessHlh2004, tl, { 'hlh2004.minCriteria': 6 }).status).toBe('insufficient-data');
  });
});
