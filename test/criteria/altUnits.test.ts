/**
 * sCD25 (sIL-2R) from a pg/mL assay (ARUP 76039-7) lands in `timeline.altUnitLabs`. It counts as
 * measured (no repeat workup suggestion), it is "> ULN" against its own assay's range (the ASTCT
 * supportive feature is unit-free), and it is never compared with the U/mL cut-offs of HLH-2004
 * (>= 2,400 U/mL) or OHI (> 3,900 U/mL): pg/mL and U/mL assays are not interchangeable
 * (docs/clinical-basis.md#reference-ranges sCD25 row, §10 item 7; docs/clinical-basis.md#workup).
 */
import { assessAstct } from '../../src/criteria/astct.js';
import { assessHlh2004 } from '../../src/criteria/hlh2004.js';
import { evaluate } from '../../src/criteria/index.js';
import { assessOhi } from '../../src/criteria/ohi.js';
import type { LabValue, PatientTimeline } from '../../src/features/types.js';
import { lab, timeline } from './builders.js';
import { criterionOf, run } from './helpers.js';

/** Ferritin meeting the ASTCT key criterion (> 2x ULN 300), so the HLH panel (TG, sCD25) is due. */
const KEY_FERRITIN = [lab('ferritin', 400, 0), lab('ferritin', 9000, 11, { hour: 8 })];

function withPgMl(values: LabValue[], tl: PatientTimeline = timeline({ dayNow: 12, labs: KEY_FERRITIN })): PatientTimeline {
  return { ...tl, altUnitLabs: { sil2r: { analyte: 'sil2r', unit: 'pg/mL', values } } };
}
const pgMl = (value: number, day: number): LabValue => lab('sil2r', value, day, { unit: 'pg/mL', low: 175, high: 858 });

describe('sCD25 in pg/mL', () => {
  test('counts as measured: not suggested again inside the HLH-panel freshness window', () => {
    expect(evaluate(timeline({ dayNow: 12, labs: KEY_FERRITIN })).workupDue).toContain('sil2r');
    expect(evaluate(withPgMl([pgMl(9800, 9)])).workupDue).not.toContain('sil2r');
  });

  test('a pg/mL result older than the window (7 d) does not count', () => {
    expect(evaluate(withPgMl([pgMl(9800, 2)])).workupDue).toContain('sil2r');
  });

  test.each([
    [9800, 'met', '11.4x its own ULN 858 pg/mL'],
    [858, 'not-met', 'at its own ULN'],
  ] as const)('ASTCT supportive "sCD25 > ULN" uses the assay\'s own range: %p pg/mL -> %s (%s)', (value, expected, _why) => {
    const c = criterionOf(run(assessAstct, withPgMl([pgMl(value, 10)])), 'astct-scd25');
    expect(c.status).toBe(expected);
    expect(c.evidence[0]?.value?.unit).toBe('pg/mL');
    expect(c.evidence[0]?.label).toMatch(/pg\/mL assay vs its own range/);
  });

  test.each([
    ['HLH-2004 >= 2,400 U/mL', assessHlh2004, 'hlh2004-scd25'],
    ['OHI > 3,900 U/mL', assessOhi, 'ohi-scd25'],
  ] as const)('%s: not compared, shown with the reason, named missing in U/mL, not re-suggested', (_name, assess, id) => {
    const c = criterionOf(run(assess, withPgMl([pgMl(9800, 10)])), id);
    expect(c.status).toBe('insufficient-data');
    expect(c.evidence[0]?.value?.value).toBe(9800);
    expect(c.evidence[0]?.label).toMatch(/not compared: the cut-off applies to U\/mL assays/);
    expect(c.missing[0]).toMatch(/^sCD25 in U\/mL/);
    expect(c.missingAnalytes ?? []).not.toContain('sil2r');
  });

  test('a U/mL result is still compared with the U/mL cut-off (HLH-2004 >= 2,400)', () => {
    const tl = withPgMl([pgMl(9800, 10)], timeline({ dayNow: 12, labs: [...KEY_FERRITIN, lab('sil2r', 2400, 10)] }));
    expect(criterionOf(run(assessHlh2004, tl), 'hlh2004-scd25').status).toBe('met');
  });
});
