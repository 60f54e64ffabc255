/** loadConfig: file + environment over defaults, field-named messages, unsafe production refused. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { describeRelaxations } from '../../src/config/safety.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iec-hs-config-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: unknown): string {
  const p = path.join(dir, `config-${n++}.json`);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

const EC_PUBLIC = { kty: 'EC', crv: 'P-384', kid: 'k1', x: 'dw_JGR8nB2I6XveNxUOl2qk699ZPLM2nYI5STSdiEl9avAkrm3CkfYMbrrjr8laB', y: 'Sm3mLE-n1zYNla_aiE3cb3nZsL51RbC7ysw3q8aJLxGm-hx79RPMYpITDjp7kgzy' };

/** A production configuration that passes every check; each test breaks one thing. */
function safeProduction(): Record<string, any> {
  return {
    publicBaseUrl: 'https://cds.example.org',
    cors: { origins: ['https://ehr.example.org'] },
    metrics: { port: 9464 },
    auth: {
      issuers: [
        {
          iss: 'https://fhir.epic-like.example.org/api/FHIR/R4',
          jkuAllowlist: ['https://fhir.epic-like.example.org/api/epic/2019/Security/Open/PublicKeys/1/OAuth2'],
          audiences: ['https://cds.example.org/configured/path'],
          fhirServers: ['https://fhir.epic-like.example.org/api/FHIR/R4'],
          algorithms: ['RS384'],
        },
      ],
    },
  };
}

/** The card-memory HMAC key comes from the environment in production (never from a file in the repository). */
const KEY_ENV = { FEEDBACK_HMAC_KEY: 'k'.repeat(64) };

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('production safety', () => {
  test('the safe configuration loads', () => {
    const config = loadConfig({ mode: 'production', file: file(safeProduction()), env: KEY_ENV });
    expect(config.auth.required).toBe(true);
    expect(config.feedback.hmacKey).toBe(KEY_ENV.FEEDBACK_HMAC_KEY);
    expect(config.fhir.allowInsecureLoopback).toBe(false);
    expect(config.auth.issuers[0]?.algorithms).toEqual(['RS384']);
  });

  test('defaults alone are refused with every reason listed', () => {
    const problems = problemsOf(() => loadConfig({ mode: 'production', env: {} }));
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/auth\.issuers is empty/), expect.stringMatching(/publicBaseUrl is not set/)]),
    );
    expect(problems.every((p) => p.startsWith('unsafe for production: '))).toBe(true);
  });

  test.each<[string, (c: Record<string, any>) => void, RegExp]>([
    ['auth off', (c) => (c.auth.required = false), /auth\.required is false/],
    ['no issuers', (c) => (c.auth.issuers = []), /auth\.issuers is empty/],
    ['issuer without keys', (c) => delete c.auth.issuers[0].jkuAllowlist, /auth\.issuers\[0\] \(https:\/\/fhir\.epic-like.*\): no keys/],
    ['plain-http jku', (c) => (c.auth.issuers[0].jkuAllowlist = ['http://keys.example.org/jwks']), /jkuAllowlist: http:\/\/keys\.example\.org\/jwks is not https/],
    ['plain-http FHIR server', (c) => (c.auth.issuers[0].fhirServers = ['http://fhir.example.org/r4']), /fhirServers: http:\/\/fhir\.example\.org\/r4 is not https/],
    ['plain-http tenant FHIR server', (c) => (c.auth.issuers[0].tenantFhirServers = { t: ['http://fhir.example.org/r4'] }), /is not https/],
    ['insecure loopback', (c) => (c.fhir = { allowInsecureLoopback: true }), /fhir\.allowInsecureLoopback is true/],
    ['open servers', (c) => (c.fhir = { openServers: ['https://fhir.example.org/r4'] }), /fhir\.openServers is set/],
    ['wildcard CORS with auth off', (c) => ((c.cors.origins = '*'), (c.auth.required = false)), /cors\.origins is "\*" while auth is off/],
    ['no publicBaseUrl', (c) => delete c.publicBaseUrl, /publicBaseUrl is not set/],
    ['http publicBaseUrl', (c) => (c.publicBaseUrl = 'http://cds.example.org'), /publicBaseUrl http:\/\/cds\.example\.org is not https/],
    ['sandbox issuer', (c) => (c.auth.issuers[0].iss = 'https://sandbox.cds-hooks.org'), /sandbox's private key is public/],
    ['embedded FHIR server', (c) => (c.embeddedFhir = { enabled: true }), /embeddedFhir\.enabled is true/],
    ['large clock skew', (c) => (c.auth.clockSkewSec = 900), /auth\.clockSkewSec is above 300/],
    ['long token lifetime', (c) => (c.auth.maxTokenLifetimeSec = 7200), /auth\.maxTokenLifetimeSec is above 3600/],
  ])('refused: %s', (_label, breakIt, message) => {
    const c = safeProduction();
    breakIt(c);
    const problems = problemsOf(() => loadConfig({ mode: 'production', file: file(c), env: KEY_ENV }));
    expect(problems).toContainEqual(expect.stringMatching(message));
  });

  test('refused: no card-memory HMAC key, named by its environment variable', () => {
    const problems = problemsOf(() => loadConfig({ mode: 'production', file: file(safeProduction()), env: {} }));
    expect(problems).toEqual(['unsafe for production: feedback.hmacKey is not set (env FEEDBACK_HMAC_KEY): without a secret key, anyone holding the card-memory file can test guessed patient ids']);
  });

  test('a short HMAC key is refused in every mode, and the message never echoes the key', () => {
    const problems = problemsOf(() => loadConfig({ mode: 'test', env: { FEEDBACK_HMAC_KEY: 'short-secret' } }));
    expect(problems).toEqual([expect.stringMatching(/^FEEDBACK_HMAC_KEY \(feedback\.hmacKey\): must NOT have fewer than 32 characters/)]);
    expect(problems.join(' ')).not.toContain('short-secret');
  });

  test('AUTH_REQUIRED=false in the environment cannot switch production auth off', () => {
    expect(problemsOf(() => loadConfig({ mode: 'production', file: file(safeProduction()), env: { ...KEY_ENV, AUTH_REQUIRED: 'false' } }))).toContainEqual(
      expect.stringMatching(/auth\.required is false/),
    );
  });

  test('the same configuration is fine in demo mode, which says what it relaxed', () => {
    const c = safeProduction();
    c.auth.required = false;
    const config = loadConfig({ mode: 'demo', file: file(c), env: {} });
    expect(describeRelaxations(config)).toEqual(expect.arrayContaining([expect.stringMatching(/JWT verification is OFF/), expect.stringMatching(/plain-http FHIR servers on loopback/)]));
  });
});

describe('checks in every mode', () => {
  test.each<[string, unknown, RegExp]>([
    ['unknown top-level field (typo)', { prot: 3000 }, /prot: unknown field/],
    ['unknown nested field', { auth: { requred: true } }, /auth\.requred: unknown field/],
    ['wrong type', { port: 'eighty' }, /port: must be integer/],
    ['out of range', { port: 70000 }, /port: must be <= 65535/],
    ['issuer without iss', { auth: { issuers: [{ fhirServers: [] }] } }, /auth\.issuers\[0\]\.iss: is required/],
    ['HMAC algorithm', { auth: { issuers: [{ iss: 'x', fhirServers: [], algorithms: ['HS256'] }] } }, /auth\.issuers\[0\]\.algorithms\[0\]: must be equal to one of the allowed values: ES256/],
    ['FHIR server not a URL', { auth: { issuers: [{ iss: 'x', fhirServers: ['fhir.example.org'] }] } }, /auth\.issuers\[0\]\.fhirServers\[0\]/],
    ['mode in the file', { mode: 'demo' }, /mode: unknown field/],
    ['threshold not a number', { thresholds: { ferritinRise: 'high' } }, /thresholds\.ferritinRise: must be number/],
    ['log level', { logLevel: 'verbose' }, /logLevel: must be equal to one of the allowed values: fatal, error/],
  ])('%s', (_label, content, message) => {
    const problems = problemsOf(() => loadConfig({ mode: 'test', file: file(content), env: {} }));
    expect(problems).toContainEqual(expect.stringMatching(message));
  });

  test('private key in an inline JWKS is refused', () => {
    const content = { auth: { issuers: [{ iss: 'x', fhirServers: [], jwks: { keys: [{ ...EC_PUBLIC, d: 'secret' }] } }] } };
    expect(problemsOf(() => loadConfig({ mode: 'test', file: file(content), env: {} }))).toContainEqual(expect.stringMatching(/jwks\.keys\[0\]: a private or symmetric key/));
  });

  test('request deadline must leave the engine time after the FHIR budget (4000 ms + 1000 ms headroom)', () => {
    const load = (requestTimeoutMs: number): string[] =>
      problemsOf(() => loadConfig({ mode: 'test', file: file({ requestTimeoutMs, fhir: { budgetMs: 4000 } }), env: {} }));
    expect(load(4999)).toContainEqual(expect.stringMatching(/requestTimeoutMs must exceed fhir\.budgetMs by at least 1000 ms/));
    expect(load(5000)).toEqual([]);
  });

  test('duplicate issuer refused', () => {
    const issuer = { iss: 'x', fhirServers: [], jwks: { keys: [EC_PUBLIC] } };
    expect(problemsOf(() => loadConfig({ mode: 'test', file: file({ auth: { issuers: [issuer, issuer] } }), env: {} }))).toContainEqual(expect.stringMatching(/the same iss is configured twice/));
  });

  test('unreadable and malformed files name the file', () => {
    expect(problemsOf(() => loadConfig({ mode: 'test', file: path.join(dir, 'missing.json'), env: {} }))[0]).toMatch(/missing\.json: cannot be read \(ENOENT\)/);
    const bad = file('{ "port": ');
    expect(problemsOf(() => loadConfig({ mode: 'test', file: bad, env: {} }))[0]).toMatch(/config-\d+\.json: not valid JSON/);
  });

  test('thresholds are handed to resolveThresholds and its error is reported', () => {
    const resolveThresholds = (o: Record<string, number>) => {
      if ('nope' in o) throw new Error('unknown threshold id "nope"');
      return o;
    };
    expect(loadConfig({ mode: 'test', file: file({ thresholds: { ok: 1 } }), env: {}, resolveThresholds }).thresholds).toEqual({ ok: 1 });
    expect(problemsOf(() => loadConfig({ mode: 'test', file: file({ thresholds: { nope: 1 } }), env: {}, resolveThresholds }))).toEqual(['thresholds: unknown threshold id "nope"']);
  });
});

describe('environment overrides', () => {
  test('each variable lands on its field, over the file', () => {
    const config = loadConfig({
      mode: 'demo',
      file: file({ port: 4000, fhir: { maxPages: 7 } }),
      env: {
        PORT: '8080',
        HOST: '0.0.0.0',
        PUBLIC_BASE_URL: 'https://cds.example.org',
        TIMELINE_BASE_URL: 'https://cds.example.org/timeline',
        LOG_LEVEL: 'debug',
        BODY_LIMIT: '5mb',
        FHIR_TIMEOUT_MS: '1500',
        FHIR_BUDGET_MS: '3000',
        FEEDBACK_DB: '/tmp/fb.sqlite',
        REQUEST_TIMEOUT_MS: '8000',
        MAX_JSON_DEPTH: '40',
        CORS_ORIGINS: 'https://a.example.org, https://b.example.org',
        RATE_LIMIT_PER_CLIENT: '0',
      },
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      publicBaseUrl: 'https://cds.example.org',
      timelineBaseUrl: 'https://cds.example.org/timeline',
      logLevel: 'debug',
      bodyLimitBytes: 5 * 1024 * 1024,
      requestTimeoutMs: 8000,
      maxJsonDepth: 40,
      fhir: { requestTimeoutMs: 1500, budgetMs: 3000, maxPages: 7 },
      feedback: { dbPath: '/tmp/fb.sqlite' },
      cors: { origins: ['https://a.example.org', 'https://b.example.org'] },
      rateLimit: { perClient: 0 },
    });
  });

  test('CONFIG_FILE is read when no file is passed', () => {
    expect(loadConfig({ mode: 'test', env: { CONFIG_FILE: file({ port: 4321 }) } }).port).toBe(4321);
  });

  test('empty variables are ignored', () => {
    expect(loadConfig({ mode: 'test', env: { PORT: '' } }).port).toBe(3000);
  });

  test.each([
    [{ PORT: 'abc' }, /^PORT: expected an integer$/],
    [{ PORT: '70000' }, /^PORT \(port\): must be <= 65535$/],
    [{ BODY_LIMIT: 'lots' }, /^BODY_LIMIT: expected bytes/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL \(logLevel\): must be equal to one of the allowed values/],
    [{ PUBLIC_BASE_URL: 'cds.example.org' }, /^PUBLIC_BASE_URL \(publicBaseUrl\)/],
    [{ AUTH_REQUIRED: 'maybe' }, /^AUTH_REQUIRED: expected true or false$/],
  ])('bad value %j is named', (env, message) => {
    expect(problemsOf(() => loadConfig({ mode: 'test', env }))).toContainEqual(expect.stringMatching(message));
  });
});
