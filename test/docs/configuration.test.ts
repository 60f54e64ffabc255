/** docs/configuration.md is generated from the configuration code and must be committed up to date. */
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_ENV_VARS } from '../../src/config/load.js';
import { THRESHOLD_TABLE } from '../../src/criteria/thresholds.js';
import { renderConfigurationDoc } from '../../scripts/config-docs.js';

const committed = fs.readFileSync(path.resolve('docs', 'configuration.md'), 'utf8');
const generated = renderConfigurationDoc();

test('docs/configuration.md matches the generator (run `npm run docs:config` after changing src/config)', () => {
  expect(committed).toBe(generated);
});

test('every environment variable the loader reads is documented', () => {
  for (const name of CONFIG_ENV_VARS) expect(generated).toContain(`| \`${name}\` |`);
});

test.each(['port', 'auth.issuers[].fhirServers', 'fhir.budgetMs', 'feedback.hmacKey', 'embeddedFhir.fixturesDir', 'logLevel'])(
  'key %s is documented',
  (key) => {
    expect(generated).toContain(`| \`${key}\` |`);
  },
);

test('every threshold id is documented with its default', () => {
  for (const row of THRESHOLD_TABLE) expect(generated).toContain(`| \`${row.id}\` | ${row.value} |`);
});

test('defaults that differ per mode are shown per mode', () => {
  expect(generated).toMatch(/\| `auth\.required` \| boolean \| demo: `false`; production: `true`; test: `false` \|/);
});
