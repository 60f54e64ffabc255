/**
 * npm run validate:clinical [-- --fixtures dir]: every fixture scenario through both HTTP data paths
 * (prefetch and FHIR query against the embedded FHIR server, in-process on 127.0.0.1) and the CLI;
 * prints the confusion matrix, sensitivity / specificity / PPV per tier and every disagreement.
 * Exits 1 when any answer disagrees with the manifest.
 */
import path from 'node:path';
import { fail, parseScriptArgs } from './cliArgs.js';
import { report, validateClinical } from './validateClinical.js';

async function main(): Promise<void> {
  const args = parseScriptArgs({ fixtures: { type: 'string' } });
  const dir = path.resolve(args.fixtures ?? 'fhir-fixtures');
  const run = await validateClinical(dir);
  process.stdout.write(report(run));
  process.exitCode = run.results.some((r) => r.problems.length > 0) ? 1 : 0;
}

main().catch((err: unknown) => fail(`validate:clinical failed: ${err instanceof Error ? err.message : String(err)}`));
