/** Jest runs the TypeScript sources as native ES modules (fhir-kit-client is ESM-only). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': '<rootDir>/test/support/esbuildTransform.js',
  },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
};
