/** Closing line of `npm run test:scale`: `N passed, M failed`. */
export default class SummaryLine {
  onRunComplete(_contexts, results) {
    // A suite that cannot run (its set-up failed) counts as a failure too.
    process.stdout.write(`${results.numPassedTests} passed, ${results.numFailedTests + results.numRuntimeErrorTestSuites} failed\n`);
  }
}
