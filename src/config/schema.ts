/**
 * JSON Schema of the configuration file: every field optional (the file is layered on the defaults of
 * the mode), unknown fields refused so a typo never silently falls back to a default. The same schema
 * with `complete: true` checks the merged result.
 */
import { SUPPORTED_ALGORITHMS } from './algorithms.js';

const int = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum });
const url = { type: 'string', format: 'uri', pattern: '^https?://' };
const urlList = { type: 'array', items: url };
const stringList = { type: 'array', items: { type: 'string', minLength: 1 } };

/** Shortest accepted card-memory HMAC key: 32 characters (e.g. `openssl rand -hex 32` gives 64). */
export const MIN_HMAC_KEY_LENGTH = 32;

/** Shortest accepted /metrics bearer token. */
export const MIN_METRICS_TOKEN_LENGTH = 24;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function object(properties: Record<string, object>, required: string[] | false) {
  return { type: 'object', properties, additionalProperties: false, ...(required ? { required } : {}) };
}

const issuer = object(
  {
    iss: { type: 'string', minLength: 1 },
    jwks: object({ keys: { type: 'array', minItems: 1, items: { type: 'object', properties: { kty: { type: 'string' } }, required: ['kty'] } } }, ['keys']),
    jkuAllowlist: urlList,
    audiences: stringList,
    tenants: stringList,
    fhirServers: urlList,
    algorithms: { type: 'array', minItems: 1, items: { enum: [...SUPPORTED_ALGORITHMS] } },
    tenantFhirServers: { type: 'object', additionalProperties: urlList },
  },
  ['iss', 'fhirServers'],
);

/** `complete` = every top-level section and field required (the merged configuration). */
export function configSchema(complete: boolean): object {
  const req = (fields: string[]): string[] | false => (complete ? fields : false);
  return object(
    {
      port: int(0, 65535),
      host: { type: 'string', minLength: 1 },
      publicBaseUrl: url,
      timelineBaseUrl: url,
      bodyLimitBytes: int(1024, 512 * 1024 * 1024),
      maxJsonDepth: int(2, 1000),
      requestTimeoutMs: int(100, 600_000),
      auth: object(
        {
          required: { type: 'boolean' },
          issuers: { type: 'array', items: issuer },
          clockSkewSec: int(0, 3600),
          maxTokenLifetimeSec: int(1, 86_400),
        },
        req(['required', 'issuers', 'clockSkewSec', 'maxTokenLifetimeSec']),
      ),
      fhir: object(
        {
          requestTimeoutMs: int(1, 600_000),
          budgetMs: int(1, 600_000),
          maxPages: int(1, 10_000),
          maxResources: int(1, 10_000_000),
          maxBytes: int(1024, 2 * 1024 * 1024 * 1024),
          retries: int(0, 10),
          allowInsecureLoopback: { type: 'boolean' },
          openServers: urlList,
        },
        req(['requestTimeoutMs', 'budgetMs', 'maxPages', 'maxResources', 'maxBytes', 'retries', 'allowInsecureLoopback', 'openServers']),
      ),
      rateLimit: object({ windowMs: int(1000, 86_400_000), perClient: int(0, 10_000_000), perIssuer: int(0, 10_000_000) }, req(['windowMs', 'perClient', 'perIssuer'])),
      trustProxy: {
        anyOf: [
          { const: false },
          int(0, 10),
          { type: 'array', minItems: 1, items: { type: 'string', pattern: '^(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(/[0-9]{1,3})?)$' } },
        ],
      },
      metrics: object({ token: { type: 'string', minLength: MIN_METRICS_TOKEN_LENGTH }, port: int(0, 65535), host: { type: 'string', minLength: 1 } }, req(['host'])),
      cors: object({ origins: { anyOf: [{ const: '*' }, { type: 'array', items: url }] } }, req(['origins'])),
      feedback: object(
        {
          dbPath: { type: 'string', minLength: 1 },
          databaseUrl: { type: 'string', pattern: '^postgres(ql)?://' },
          poolSize: int(1, 200),
          suppressHours: { type: 'number', minimum: 0 },
          suppressScope: { enum: ['user', 'encounter', 'patient'] },
          hmacKey: { type: 'string', minLength: MIN_HMAC_KEY_LENGTH },
        },
        req(['dbPath', 'poolSize', 'suppressHours', 'suppressScope']),
      ),
      thresholds: { type: 'object', additionalProperties: { type: 'number' } },
      site: object({ timeZone: { type: 'string', minLength: 1, maxLength: 64 } }, false),
      // Who approved the threshold table for this site, shown on every alert card's status line.
      thresholdApproval: object({ by: { type: 'string', minLength: 1, maxLength: 120 }, date: { type: 'string', format: 'date' } }, ['by', 'date']),
      // SMART timeline app (issue 13): how it is registered at the EHR. Optional.
      smartApp: object({ clientId: { type: 'string', minLength: 1, maxLength: 200 }, scope: { type: 'string', minLength: 1, maxLength: 2000 } }, false),
      embeddedFhir: object({ enabled: { type: 'boolean' }, fixturesDir: { type: 'string', minLength: 1 } }, req(['enabled', 'fixturesDir'])),
      logLevel: { enum: [...LOG_LEVELS] },
      census: censusSchema(complete),
      // `mode` is chosen on the command line, not in the file; it is accepted here only for the merged result.
      ...(complete ? { mode: { enum: ['demo', 'production', 'test'] } } : {}),
    },
    req(['mode', 'port', 'host', 'bodyLimitBytes', 'maxJsonDepth', 'requestTimeoutMs', 'auth', 'fhir', 'rateLimit', 'trustProxy', 'metrics', 'cors', 'feedback', 'thresholds', 'embeddedFhir', 'logLevel', 'census']),
  );
}

// ---- census (issue 15) -------------------------------------------------------------------------
function censusSchema(complete: boolean): object {
  return object(
    {
      enabled: { type: 'boolean' },
      intervalMinutes: { type: 'number', minimum: 0.05, maximum: 10_080 },
      fhirServer: url,
      population: { type: 'string', pattern: '^(Group|List)/[A-Za-z0-9\\-.]{1,64}$' },
      discoverySearch: { type: 'boolean' },
      lookbackDays: int(1, 3650),
      concurrency: int(1, 64),
      yieldAbove: { type: 'number', minimum: 0.05, maximum: 1 },
      maxYieldMs: int(0, 60_000),
      dbPath: { type: 'string', minLength: 1 },
      databaseUrl: { type: 'string', pattern: '^postgres(ql)?://' },
      backendAuth: object(
        {
          clientId: { type: 'string', minLength: 1 },
          privateKeyFile: { type: 'string', minLength: 1 },
          keyId: { type: 'string', minLength: 1 },
          algorithm: { enum: ['ES384', 'RS384'] },
          scope: { type: 'string', minLength: 1 },
        },
        ['clientId', 'privateKeyFile', 'keyId', 'algorithm', 'scope'],
      ),
      userClientId: { type: 'string', minLength: 1 },
      webhook: object(
        { url, include: { enum: ['no-patient-id', 'patient-id'] }, retries: int(0, 20), backoffMs: int(1, 600_000) },
        ['url', 'include', 'retries', 'backoffMs'],
      ),
      communication: object({ include: { enum: ['tier', 'tier-and-values'] }, retries: int(0, 20), backoffMs: int(1, 600_000) }, ['include', 'retries', 'backoffMs']),
    },
    complete ? ['enabled', 'intervalMinutes', 'discoverySearch', 'lookbackDays', 'concurrency', 'yieldAbove', 'maxYieldMs', 'dbPath'] : false,
  );
}
