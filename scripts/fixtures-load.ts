/**
 * npm run fixtures:load -- --fhir <base> [--fixtures dir] [--now ISO] [--allow-insecure-http]
 *
 * Loads every scenario of fhir-fixtures/ into any FHIR R4 server as PUT transactions (idempotent:
 * running it twice leaves the same data), dates shifted to now. A bearer token, if the server needs
 * one, comes from FHIR_BEARER_TOKEN (never from the command line, never printed).
 */
import path from 'node:path';
import { checkFhirBase, loadScenariosInto } from '../src/fixtures/fhirHttp.js';
import { loadScenarios } from '../src/fixtures/scenarios.js';
import { formatCounts } from '../src/fixtures/smoke.js';
import { fail, parseScriptArgs } from './cliArgs.js';

async function main(): Promise<void> {
  const args = parseScriptArgs({
    fhir: { type: 'string' },
    fixtures: { type: 'string' },
    now: { type: 'string' },
    'allow-insecure-http': { type: 'boolean' },
  });
  if (!args.fhir) fail('Usage: npm run fixtures:load -- --fhir <FHIR R4 base URL> [--fixtures dir] [--now ISO-8601] [--allow-insecure-http]');
  const base = checkFhirBase(args.fhir, args['allow-insecure-http'] === true);
  const now = args.now ? new Date(args.now) : new Date();
  if (Number.isNaN(now.getTime())) fail(`--now is not a date: ${args.now}`);
  const dir = path.resolve(args.fixtures ?? 'fhir-fixtures');
  const token = process.env.FHIR_BEARER_TOKEN;

  const { scenarios, shift } = await loadScenarios(dir, now);
  process.stdout.write(`Loading ${scenarios.length} scenarios from ${dir} into ${base.href} (dates shifted by ${shift.days} days)\n`);
  const reports = await loadScenariosInto(base, scenarios, token ? { headers: { authorization: `Bearer ${token}` } } : {}, (r) =>
    process.stdout.write(`  ${r.id} (Patient/${r.patientId}): ${formatCounts(r.summary.byType)}\n`),
  );
  const total = reports.reduce((n, r) => n + r.summary.entries, 0);
  process.stdout.write(`Done: ${total} resources in ${reports.length} scenarios.\n`);
}

main().catch((err: unknown) => fail(`fixtures:load failed: ${err instanceof Error ? err.message : String(err)}`));
