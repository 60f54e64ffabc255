import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { THRESHOLD_TABLE, ThresholdConfigError, resolveThresholds, thresholdRow } from '../../src/criteria/thresholds.js';

describe('threshold table', () => {
  test('ids are unique and every row carries unit, description and source', () => {
    const ids = THRESHOLD_TABLE.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const row of THRESHOLD_TABLE) {
      expect(row.unit).not.toBe('');
      expect(row.description.length).toBeGreaterThan(10);
      expect(row.source).toMatch(/docs\/[a-z-]+\.md#[a-z0-9-]+|Local rule/);
      expect(Number.isFinite(row.value)).toBe(true);
    }
  });

  test('local rules are never marked verified', () => {
    for (const row of THRESHOLD_TABLE.filter((r) => r.kind === 'local')) expect(row.verified).toBe(false);
  });

  test('ASTCT (Hines 2023) numbers are UNVERIFIED (docs/clinical-basis.md#astct)', () => {
    for (const row of THRESHOLD_TABLE.filter((r) => r.id.startsWith('astct.'))) expect(row.verified).toBe(false);
  });

  test.each([
    ['carhlh.ferritin', 10_000, true, 'docs/clinical-basis.md#carhlh CARTOX > 10,000 ng/mL'],
    ['hlhlt.ferritin', 10_000, true, 'docs/clinical-basis.md#hlh-lt HLH-LT >= 10,000 ng/mL'],
    ['hlhlt.windowDays', 30, true, 'docs/clinical-basis.md#hlh-lt within 30 days'],
    ['ohi.sCD25', 3900, true, 'docs/clinical-basis.md#ohi OHI sCD25 > 3,900 U/mL'],
    ['ohi.ferritin', 1000, true, 'docs/clinical-basis.md#ohi OHI ferritin > 1,000 ng/mL'],
    ['hlh2004.triglycerides', 265, true, 'docs/clinical-basis.md#hlh2004 TG >= 265 mg/dL'],
    ['hscore.cutoff', 169, true, 'docs/clinical-basis.md#hscore-probability best cut-off 169'],
    ['astct.ferritin.ulnMultiple', 2, false, 'docs/clinical-basis.md#astct ferritin > 2 x ULN (UNVERIFIED)'],
    ['astct.fibrinogen', 150, false, 'docs/clinical-basis.md#astct fibrinogen < 150 UNVERIFIED for Hines'],
    ['watch.windowDays', 100, false, 'docs/clinical-basis.md#who-is-watched: default watch window 100 days'],
    ['fever.celsius', 38, true, 'docs/clinical-basis.md#crs-grading ASTCT fever >= 38.0 C'],
    ['orderSelect.recentResultHours', 24, false, 'local rule: order-select skips labs resulted in the last 24 h'],
  ] as const)('%s = %p, verified %p (%s)', (id, value, verified, _ref) => {
    expect(thresholdRow(id).value).toBe(value);
    expect(thresholdRow(id).verified).toBe(verified);
  });
});

describe('resolveThresholds', () => {
  test('no overrides gives the table defaults', () => {
    const t = resolveThresholds();
    for (const row of THRESHOLD_TABLE) expect(t[row.id]).toBe(row.value);
  });

  test('a valid override replaces one value and leaves the rest', () => {
    const t = resolveThresholds({ 'watch.windowDays': 60 });
    expect(t['watch.windowDays']).toBe(60);
    expect(t['carhlh.ferritin']).toBe(10_000);
  });

  test.each([
    [{ 'no.such.threshold': 1 }, /unknown threshold id "no.such.threshold"/],
    [{ 'carhlh.ferritin': Number.NaN }, /must be a finite number/],
    [{ 'carhlh.ferritin': Number.POSITIVE_INFINITY }, /must be a finite number/],
    [{ 'carhlh.ferritin': '10000' }, /must be a finite number/],
    [{ 'watch.windowDays': 0 }, /outside 1\.\.3650/],
    [{ 'astct.timing.improvementFraction': 1.5 }, /outside/],
  ])('rejects %p', (overrides, message) => {
    expect(() => resolveThresholds(overrides as Record<string, unknown>)).toThrow(ThresholdConfigError);
    expect(() => resolveThresholds(overrides as Record<string, unknown>)).toThrow(message);
  });

  test('lists every problem at once', () => {
    try {
      resolveThresholds({ a: 1, 'carhlh.ferritin': Number.NaN });
      throw new Error('expected a ThresholdConfigError');
    } catch (error) {
      expect((error as ThresholdConfigError).problems).toHaveLength(2);
    }
  });
});

describe('no clinical number inline outside thresholds.ts', () => {
  // Numbers that are not clinical: counts, array indices, time arithmetic, percent scaling, digits.
  // sources.ts holds bibliographic citations (years, pages) only.
  const allowed = new Set(['0', '1', '2', '3', '4', '24', '100', '3_600_000', '10']);
  const dir = path.resolve('src/criteria');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !['thresholds.ts', 'types.ts', 'sources.ts'].includes(f));

  test.each(files)('%s', (file) => {
    const code = readFileSync(path.join(dir, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '')
      .replace(/'(?:[^'\\]|\\.)*'/g, "''")
      .replace(/`(?:[^`\\$]|\\.|\$(?!\{))*`/g, '``');
    const numbers = (code.match(/(?<![\w.])\d[\d_]*(?:\.\d+)?(?![\w])/g) ?? []).filter((n) => !allowed.has(n));
    expect(numbers).toEqual([]);
  });
});
