/** Number display: the whole-number fast path must write exactly what Intl writes. */
import fc from 'fast-check';
import { num } from '../../src/criteria/format.js';

const intl = [0, 1, 2].map((digits) => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }));

function viaIntl(value: number): string {
  const abs = Math.abs(value);
  return (abs >= 100 ? intl[0] : abs >= 10 ? intl[1] : intl[2])?.format(value) ?? '';
}

describe('num', () => {
  test('whole numbers read as Intl writes them', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -100_000, max: 100_000 }), fc.maxSafeInteger(), fc.integer().map((n) => -Math.abs(n))), (n) => {
        expect(num(n)).toBe(viaIntl(n));
      }),
      { numRuns: 5000 },
    );
  });

  test('other numbers still go through Intl', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false }), (x) => {
        expect(num(x)).toBe(viaIntl(x));
      }),
      { numRuns: 5000 },
    );
    for (const x of [0, -0, 1, -1, 999, 1000, -1000, 12_400, 1_234_567, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60, 1e21, 38.5, 1.005, -0.004]) {
      expect(num(x)).toBe(viaIntl(x));
    }
  });
});
