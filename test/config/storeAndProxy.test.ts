/** Configuration of the shared store, suppression scope, trustProxy and metrics (issue 14). */
import { ConfigError, loadConfig } from '../../src/config/load.js';

function problems(env: Record<string, string>, mode: 'test' | 'production' = 'test'): string[] {
  try {
    loadConfig({ mode, env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

test('defaults: SQLite in memory for demo and test (the demo starts empty), a file in production; user scope; trust no proxy', () => {
  for (const mode of ['demo', 'test'] as const) expect(loadConfig({ mode, env: {} }).feedback.dbPath).toBe(':memory:');
  const c = loadConfig({ mode: 'test', env: {} });
  expect(c.feedback.suppressScope).toBe('user');
  expect(c.feedback.databaseUrl).toBeUndefined();
  expect(c.trustProxy).toBe(false);
  expect(c.metrics).toEqual({ host: '127.0.0.1' });
});

test('environment: DATABASE_URL, DATABASE_POOL_SIZE, SUPPRESS_SCOPE, TRUST_PROXY, METRICS_*', () => {
  const c = loadConfig({
    mode: 'test',
    env: { DATABASE_URL: 'postgresql://cds@db.internal:5432/cds', DATABASE_POOL_SIZE: '5', SUPPRESS_SCOPE: 'encounter', TRUST_PROXY: 'loopback, 10.0.0.0/8', METRICS_PORT: '9464', METRICS_TOKEN: 't'.repeat(24) },
  });
  expect(c.feedback).toMatchObject({ databaseUrl: 'postgresql://cds@db.internal:5432/cds', poolSize: 5, suppressScope: 'encounter' });
  expect(c.trustProxy).toEqual(['loopback', '10.0.0.0/8']);
  expect(c.metrics).toEqual({ host: '127.0.0.1', port: 9464, token: 't'.repeat(24) });
  expect(loadConfig({ mode: 'test', env: { TRUST_PROXY: '1' } }).trustProxy).toBe(1);
  expect(loadConfig({ mode: 'test', env: { TRUST_PROXY: 'false' } }).trustProxy).toBe(false);
});

test.each([
  [{ TRUST_PROXY: 'true' }, /^TRUST_PROXY \(trustProxy\)/],
  [{ TRUST_PROXY: '10.0.0.0/33' }, /trustProxy: 10\.0\.0\.0\/33 is not/],
  [{ TRUST_PROXY: '300.1.1.1' }, /trustProxy: 300\.1\.1\.1 is not/],
  [{ TRUST_PROXY: 'everyone' }, /^TRUST_PROXY \(trustProxy\)/],
  [{ SUPPRESS_SCOPE: 'ward' }, /^SUPPRESS_SCOPE \(feedback\.suppressScope\)/],
  [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL \(feedback\.databaseUrl\)/],
  [{ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }, /metrics\.host 0\.0\.0\.0 is not a loopback address/],
  [{ METRICS_TOKEN: 'short' }, /^METRICS_TOKEN \(metrics\.token\)/],
])('refused: %j', (env, message) => {
  expect(problems(env)).toContainEqual(expect.stringMatching(message));
});

test('a refused token or URL is never echoed', () => {
  expect(problems({ METRICS_TOKEN: 'short-secret' }).join(' ')).not.toContain('short-secret');
});

test('production refuses /metrics open on the main port', () => {
  expect(problems({}, 'production')).toContainEqual(expect.stringMatching(/\/metrics is open: set metrics\.token .* or metrics\.port/));
  expect(problems({ METRICS_PORT: '9464' }, 'production').join('\n')).not.toMatch(/\/metrics is open/);
  expect(problems({ METRICS_TOKEN: 'x'.repeat(24) }, 'production').join('\n')).not.toMatch(/\/metrics is open/);
});
