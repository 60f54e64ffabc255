/** The census configuration block: defaults per mode, environment variables, and what production refuses. */
import { censusProblems, createCensus } from '../../src/census/index.js';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/server/logger.js';
import { testConfig } from './helpers.js';

describe('census configuration', () => {
  it('off by default in serve and test, on in demo', () => {
    expect(loadConfig({ mode: 'demo', env: {} }).census.enabled).toBe(true);
    expect(loadConfig({ mode: 'test', env: {} }).census.enabled).toBe(false);
    expect(loadConfig({ mode: 'demo', env: {} }).census).toMatchObject({ intervalMinutes: 15, lookbackDays: 100, discoverySearch: true, dbPath: ':memory:' });
  });

  it('reads its environment variables', () => {
    const c = loadConfig({
      mode: 'test',
      env: { CENSUS_ENABLED: 'true', CENSUS_INTERVAL_MINUTES: '5', CENSUS_FHIR_SERVER: 'https://ehr.example.org/fhir', CENSUS_POPULATION: 'Group/cart-2026', DATABASE_URL: 'postgresql://u@127.0.0.1/db' },
    }).census;
    expect(c).toMatchObject({ enabled: true, intervalMinutes: 5, fhirServer: 'https://ehr.example.org/fhir', population: 'Group/cart-2026', databaseUrl: 'postgresql://u@127.0.0.1/db' });
  });

  it.each([
    ['CENSUS_POPULATION', 'Patient/1', /census\.population/],
    ['CENSUS_INTERVAL_MINUTES', 'soon', /CENSUS_INTERVAL_MINUTES/],
    ['DATABASE_URL', 'mysql://x', /census\.databaseUrl/],
  ])('%s=%s is refused with the field named', (name, value, message) => {
    expect(() => loadConfig({ mode: 'test', env: { [name]: value } })).toThrow(ConfigError);
    expect(() => loadConfig({ mode: 'test', env: { [name]: value } })).toThrow(message);
  });

  it('production needs https, backend services, a sign-in client and the public origin', () => {
    const prod = { ...testConfig(), mode: 'production' as const };
    const problems = censusProblems(prod, 'http://ehr.example.org/fhir');
    expect(problems.join('\n')).toMatch(/must use https/);
    expect(problems.join('\n')).toMatch(/backendAuth/);
    expect(problems.join('\n')).toMatch(/userClientId/);
    expect(problems.join('\n')).toMatch(/publicBaseUrl/);
    return expect(createCensus({ config: prod, logger: createLogger({ level: 'silent' }), fhirServer: 'http://ehr.example.org/fhir' })).rejects.toThrow(/census cannot start/);
  });
});
