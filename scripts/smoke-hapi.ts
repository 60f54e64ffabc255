/**
 * HAPI_FHIR_URL=<base> npm run smoke:hapi [-- --service <discovery url>] [--fixtures dir] [--allow-insecure-http]
 *
 * Never part of npm test. Loads every fixture scenario into the HAPI FHIR server named by
 * HAPI_FHIR_URL, then calls each CDS service with fhirServer = that server and no prefetch (the
 * service queries HAPI itself), and compares every answer with fhir-fixtures/manifest.json.
 * Without --service the CDS app runs in this process on a loopback port, JWT checks off.
 * Exit code 0 only when every scenario matches.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { defaultConfig } from '../src/config/defaults.js';
import { checkFhirBase } from '../src/fixtures/fhirHttp.js';
import { runSmoke } from '../src/fixtures/smoke.js';
import { createApp, createLogger } from '../src/server/index.js';
import { fail, parseScriptArgs } from './cliArgs.js';

async function startInProcessService(fhirBase: URL): Promise<{ discoveryUrl: string; close: () => void }> {
  const config = defaultConfig('test');
  config.auth.required = false;
  config.fhir.allowInsecureLoopback = true;
  const app = createApp({
    config,
    logger: createLogger({ level: 'warn' }),
    fetch,
    // Reads may go to the HAPI server named on the command line, and nowhere else.
    urlPolicy: (url) => (url.origin === fhirBase.origin ? { allowed: true } : { allowed: false, reason: `not ${fhirBase.origin}` }),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  return { discoveryUrl: `http://127.0.0.1:${port}/cds-services`, close: () => server.close() };
}

async function main(): Promise<void> {
  const args = parseScriptArgs({ service: { type: 'string' }, fixtures: { type: 'string' }, 'allow-insecure-http': { type: 'boolean' } });
  const hapi = process.env.HAPI_FHIR_URL;
  if (!hapi) {
    fail(
      'smoke:hapi needs HAPI_FHIR_URL (e.g. HAPI_FHIR_URL=http://127.0.0.1:8080/fhir npm run smoke:hapi).\n' +
        'It will: PUT every fhir-fixtures scenario into that server (idempotent), then call iec-hs-surveillance and\n' +
        'iec-hs-order-select for each scenario with fhirServer = that server and compare with the manifest.',
    );
  }
  const fhirBase = checkFhirBase(hapi, args['allow-insecure-http'] === true);
  const fixturesDir = path.resolve(args.fixtures ?? 'fhir-fixtures');
  const service = args.service ? { discoveryUrl: args.service, close: () => undefined } : await startInProcessService(fhirBase);
  process.stdout.write(
    `smoke:hapi: FHIR server ${fhirBase.href}; CDS service ${service.discoveryUrl}${args.service ? '' : ' (in process)'}; fixtures ${fixturesDir}\n`,
  );
  const token = process.env.FHIR_BEARER_TOKEN;
  const serviceToken = process.env.CDS_SERVICE_TOKEN;
  try {
    const result = await runSmoke({
      fhirBase,
      fixturesDir,
      now: new Date(),
      discoveryUrl: service.discoveryUrl,
      // HAPI reuses cached search results for a while (reuse_cached_search_results_millis); no-cache asks for fresh ones.
      fhir: { headers: { 'cache-control': 'no-cache', ...(token ? { authorization: `Bearer ${token}` } : {}) } },
      ...(serviceToken ? { serviceHeaders: { authorization: `Bearer ${serviceToken}` } } : {}),
      log: (line) => process.stdout.write(`${line}\n`),
    });
    const failed = result.checks.filter((c) => c.problems.length > 0).length;
    process.stdout.write(`${result.ok ? 'PASS' : 'FAIL'}: ${result.checks.length - failed}/${result.checks.length} checks\n`);
    if (!result.ok) process.exitCode = 1;
  } finally {
    service.close();
  }
}

main().catch((err: unknown) => fail(`smoke:hapi failed: ${err instanceof Error ? err.message : String(err)}`));
