/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, after jest's own summary, so
 * CI logs state the count in a form any reader recognises.
 */
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    process.stdout.write(`tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`);
  }
}
