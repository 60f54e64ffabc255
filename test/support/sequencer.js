/**
 * Test order for a fresh machine. Jest starts the suites that took longest last time, but on a fresh
 * clone (CI) it has no timings and orders by file size, so a small file that runs for half a minute
 * (a browser, a child process) may start last and finish long after everything else. These suites,
 * measured as the longest running, start first (longest first, so two workers finish close together);
 * the rest keep jest's own order. Order never changes what a suite checks.
 */
import path from 'node:path';
import Sequencer from '@jest/test-sequencer';

const LONGEST_FIRST = [
  'test/server/requestPool.test.ts',
  'test/browser/smartApp.test.ts',
  'test/e2e/scenarios.test.ts',
  'test/scale/scale.test.ts',
  'test/browser/demo.test.ts',
  'test/census/census.browser.test.ts',
];

const DefaultSequencer = Sequencer.default ?? Sequencer;

export default class LongestFirstSequencer extends DefaultSequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const rank = (t) => {
      const i = LONGEST_FIRST.indexOf(path.relative(t.context.config.rootDir, t.path).split(path.sep).join('/'));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    // Array sort is stable: suites not in the list keep jest's order.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
