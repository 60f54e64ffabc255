import { assessOhi } from '../../src/criteria/ohi.js';
import { lab, timeline } from './builders.js';
import { run } from './helpers.js';

describe('OHI: sCD25 > 3,900 U/mL AND ferritin > 1,000 ng/mL (docs/clinical-basis.md#ohi)', () => {
  test.each([
    [3901, 1001, 'U/mL', 'met', 'docs/clinical-basis.md#ohi both above'],
    [3900, 1001, 'U/mL', 'not-met', 'docs/clinical-basis.md#ohi sCD25 = 3,900 is not > 3,900'],
    [3901, 1000, 'U/mL', 'not-met', 'docs/clinical-basis.md#ohi ferritin = 1,000 is not > 1,000'],
    [undefined, 500, 'U/mL', 'not-met', 'ferritin not above: both are required, sCD25 not needed'],
    [undefined, 2000, 'U/mL', 'insufficient-data', 'ferritin above, sCD25 unknown'],
    [9000, 2000, 'pg/mL', 'insufficient-data', 'docs/clinical-basis.md#scd25-units: pg/mL sCD25 not comparable'],
  ] as const)('sCD25 %p, ferritin %p (%s) -> %p (%s)', (scd25, ferritin, unit, expected, _ref) => {
    const labs = [lab('ferritin', ferritin, 11), ...(scd25 === undefined ? [] : [lab('sil2r', scd25, 11, { unit })])];
    expect(run(assessOhi, timeline({ dayNow: 12, labs })).status).toBe(expected);
  });

  test('summary names both values when met', () => {
    const a = run(assessOhi, timeline({ dayNow: 12, labs: [lab('ferritin', 2000, 11), lab('sil2r', 5000, 11)] }));
    expect(a.summary).toBe('Met: sCD25 5,000 U/mL (day 11) and ferritin 2,000 ng/mL (day 11)');
  });
});
