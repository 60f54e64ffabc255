/**
 * Unit spellings EHRs write as text, mapped before UCUM conversion (terminology: SHARED_UNIT_ALIASES
 * and per-analyte aliases). Conversion factors: 1 ukat/L = 60 U/L (1 U = 1 umol/min); 1 kU/L = 1 U/mL;
 * ug/L = ng/mL.
 */
import { convertForAnalyte } from '../../src/terminology/index.js';

describe('text unit spellings convert to the canonical unit', () => {
  test.each([
    ['ast', 1, 'µkat/L', 60, 'micro sign (U+00B5)'],
    ['ast', 1, 'μkat/L', 60, 'Greek mu (U+03BC)'],
    ['alt', 0.5, 'ukat/L', 30, 'ASCII u'],
    ['ldh', 2, 'mckat/L', 120, '"mc" for micro'],
    ['ldh', 0.25, 'kU/L', 250, 'kU/L for an enzyme = 1000 U/L'],
    ['ast', 40, 'IU/L', 40, 'IU/L'],
    ['sil2r', 1200, 'kU/L', 1200, 'sIL-2R kU/L = U/mL'],
    ['sil2r', 1200, 'IU/mL', 1200, 'sIL-2R IU/mL = U/mL (kit units)'],
    ['sil2r', 1200, 'iu/ml', 1200, 'lower case'],
    ['ferritin', 520, 'mcg/L', 520, 'mcg/L = ng/mL'],
    ['ferritin', 520, 'µg/L', 520, 'µg/L = ng/mL'],
    ['ferritin', 520, 'ng/ml', 520, 'lower-case ml'],
    ['fibrinogen', 1.5, 'g/l', 150, 'g/l -> mg/dL'],
    ['creatinine', 88.4, 'µmol/L', 1, 'µmol/L -> mg/dL'],
  ] as const)('%s %p %s -> %p (%s)', (analyte, value, unit, expected, _why) => {
    const r = convertForAnalyte(analyte, value, unit);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toBeCloseTo(expected, 6);
  });

  test.each([
    ['ferritin', 5, 'furlongs'],
    ['sil2r', 1200, 'pg/mL'],
    ['ast', 1, 'mkat/X'],
  ] as const)('%s in %s stays unconvertible (reported, never guessed)', (analyte, value, unit) => {
    const r = convertForAnalyte(analyte, value, unit);
    expect(r.ok).toBe(false);
  });
});
