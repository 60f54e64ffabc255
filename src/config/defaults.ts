/** Safe defaults per mode; src/config/load.ts layers the configuration file and environment on top. */
import path from 'node:path';
import type { AppConfig, Mode } from './types.js';

export function defaultConfig(mode: Mode): AppConfig {
  const relaxed = mode !== 'production';
  return {
    mode,
    port: 3000,
    host: '127.0.0.1',
    bodyLimitBytes: 10 * 1024 * 1024,
    maxJsonDepth: 64,
    requestTimeoutMs: 10_000,
    auth: { required: !relaxed, issuers: [], clockSkewSec: 60, maxTokenLifetimeSec: 3600 },
    fhir: {
      requestTimeoutMs: 2_000,
      budgetMs: 4_000,
      maxPages: 20,
      maxResources: 20_000,
      // Per FHIR response; queries run in parallel, so this bounds memory per hook call (a 5,000-Observation
      // lab search is about 4 MB).
      maxBytes: 16 * 1024 * 1024,
      retries: 1,
      allowInsecureLoopback: relaxed,
      openServers: [],
    },
    rateLimit: { windowMs: 60_000, perClient: 600, perIssuer: 3_000 },
    trustProxy: false,
    metrics: { host: '127.0.0.1' },
    cors: { origins: '*' },
    // The demo starts with an empty card memory at every start; production keeps it in a file (or PostgreSQL).
    feedback: { dbPath: mode === 'production' ? path.resolve('data', 'feedback.sqlite') : ':memory:', poolSize: 10, suppressHours: 24, suppressScope: 'user' },
    thresholds: {},
    embeddedFhir: { enabled: mode === 'demo', fixturesDir: path.resolve('fhir-fixtures') },
    logLevel: mode === 'test' ? 'silent' : 'info',
    // ---- census (issue 15)
    census: {
      enabled: mode === 'demo',
      intervalMinutes: 15,
      discoverySearch: true,
      lookbackDays: 100,
      concurrency: 4,
      // Background priority (src/census/yieldToService.ts), measured in bench/census.ts; tests run the
      // FHIR server in their own event loop, so there the census does not wait.
      yieldAbove: mode === 'test' ? 1 : 0.5,
      maxYieldMs: 1_000,
      // Demo fixtures are reloaded (date-shifted) at every start, so demo episode state lives in memory.
      dbPath: mode === 'production' ? path.resolve('data', 'census.sqlite') : ':memory:',
    },
  };
}
