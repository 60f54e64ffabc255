import os from 'node:os';

/** Jest runs the TypeScript sources as native ES modules (fhir-kit-client is ESM-only). */
export default {
  // Jest's default (cores - 1) is one worker on a 2-core machine, which then idles while a suite
  // waits on Chromium, a child process or a socket; two workers keep both cores busy.
  // `--maxWorkers=1` on the command line still wins.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // ts-jest compiles file by file (tsconfig has isolatedModules on); types are checked by `npm run typecheck`.
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testSequencer: '<rootDir>/test/support/sequencer.js',
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
};
