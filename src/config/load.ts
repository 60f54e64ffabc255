/**
 * Configuration = defaultConfig(mode) <- one JSON file <- environment variables, validated with ajv at
 * start-up. Every message names the field (or environment variable) at fault; an unsafe production
 * configuration is refused with the list of reasons. Nothing else in the service reads process.env.
 */
import fs from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { defaultConfig } from './defaults.js';
import { configProblems, productionProblems } from './safety.js';
import { configSchema, LOG_LEVELS } from './schema.js';
import type { AppConfig, Mode } from './types.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
type AddFormats = (ajv: Ajv, formats: string[]) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

/** An IANA zone this runtime knows (config stays a leaf, so it asks Intl itself rather than the engine). */
function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadConfigOptions {
  mode: Mode;
  /** JSON configuration file; default: env.CONFIG_FILE; none: defaults + environment only. */
  file?: string;
  env?: Record<string, string | undefined>;
  /**
   * Checks `thresholds` overrides (unknown ids, out-of-range values) and throws on error: pass
   * `resolveThresholds` from src/criteria/thresholds.ts.
   */
  resolveThresholds?: (overrides: Record<string, number>) => unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv, ['uri', 'date']);
const validateFile = ajv.compile(configSchema(false));
const validateMerged = ajv.compile(configSchema(true));

/** `/auth/issuers/0/fhirServers` -> `auth.issuers[0].fhirServers`. */
function fieldName(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (child !== undefined) parts.push(child);
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(root)';
}

function describe(error: ErrorObject, envNames: Map<string, string>): string {
  const params = error.params as { additionalProperty?: string; missingProperty?: string; allowedValues?: unknown[] };
  if (error.keyword === 'additionalProperties') return `${fieldName(error.instancePath, params.additionalProperty)}: unknown field`;
  if (error.keyword === 'required') return `${fieldName(error.instancePath, params.missingProperty)}: is required`;
  const field = fieldName(error.instancePath);
  const env = envNames.get(error.instancePath);
  const where = env ? `${env} (${field})` : field;
  const allowed = error.keyword === 'enum' ? `: ${(params.allowedValues ?? []).join(', ')}` : '';
  return `${where}: ${error.message ?? 'is invalid'}${allowed}`;
}

function describeAll(errors: ErrorObject[] | null | undefined, prefix: string, envNames = new Map<string, string>()): string[] {
  // anyOf/enum produce one message per branch; keep the first per field.
  const byPath = new Map<string, string>();
  for (const e of errors ?? []) {
    const key = `${e.instancePath}|${e.keyword === 'additionalProperties' || e.keyword === 'required' ? JSON.stringify(e.params) : ''}`;
    if (!byPath.has(key)) byPath.set(key, `${prefix}${describe(e, envNames)}`);
  }
  return [...byPath.values()];
}

function readConfigFile(file: string): JsonObject {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`config file ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`config file ${file}: not valid JSON (${(error as Error).message})`]);
  }
  if (!validateFile(parsed)) throw new ConfigError(describeAll(validateFile.errors, `config file ${file}: `));
  return parsed as JsonObject;
}

/** Objects merge field by field; arrays and scalars replace. */
function merge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    const bothObjects = [current, value].every((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    out[key] = bothObjects ? merge(current as JsonObject, value as JsonObject) : value;
  }
  return out;
}

type EnvParser = (raw: string) => Json | undefined;

const integer: EnvParser = (raw) => (/^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : undefined);
const text: EnvParser = (raw) => raw;
const bool: EnvParser = (raw) => ({ true: true, false: false, 1: true, 0: false })[raw.trim().toLowerCase()];
const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
const bytes: EnvParser = (raw) => {
  const m = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(raw.trim());
  return m ? Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? 1) : undefined;
};
/** TRUST_PROXY: false, a hop count, or comma-separated proxy addresses/CIDRs/names. `true` is left for the schema to refuse. */
const trustProxy: EnvParser = (raw) => {
  const v = raw.trim().toLowerCase();
  if (v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return raw.split(',').map((o) => o.trim()).filter(Boolean);
};
const origins: EnvParser = (raw) => (raw.trim() === '*' ? '*' : raw.split(',').map((o) => o.trim()).filter(Boolean));

/** Environment variable -> configuration path and parser. */
const ENV_VARS: ReadonlyArray<readonly [name: string, path: string[], parse: EnvParser, expected: string]> = [
  ['PORT', ['port'], integer, 'an integer'],
  ['HOST', ['host'], text, 'a host'],
  ['PUBLIC_BASE_URL', ['publicBaseUrl'], text, 'a URL'],
  ['TIMELINE_BASE_URL', ['timelineBaseUrl'], text, 'a URL'],
  ['LOG_LEVEL', ['logLevel'], text, LOG_LEVELS.join('|')],
  ['BODY_LIMIT', ['bodyLimitBytes'], bytes, 'bytes, e.g. 10485760 or 10mb'],
  ['MAX_JSON_DEPTH', ['maxJsonDepth'], integer, 'an integer'],
  ['REQUEST_TIMEOUT_MS', ['requestTimeoutMs'], integer, 'an integer'],
  ['AUTH_REQUIRED', ['auth', 'required'], bool, 'true or false'],
  ['FHIR_TIMEOUT_MS', ['fhir', 'requestTimeoutMs'], integer, 'an integer'],
  ['FHIR_BUDGET_MS', ['fhir', 'budgetMs'], integer, 'an integer'],
  ['FEEDBACK_DB', ['feedback', 'dbPath'], text, 'a path'],
  ['FEEDBACK_HMAC_KEY', ['feedback', 'hmacKey'], text, 'a secret of at least 32 characters'],
  ['DATABASE_URL', ['feedback', 'databaseUrl'], text, 'a postgresql:// URL'],
  ['DATABASE_POOL_SIZE', ['feedback', 'poolSize'], integer, 'an integer'],
  ['SUPPRESS_SCOPE', ['feedback', 'suppressScope'], text, 'user, encounter or patient'],
  ['TRUST_PROXY', ['trustProxy'], trustProxy, 'false, a hop count, or comma-separated proxy addresses'],
  ['METRICS_TOKEN', ['metrics', 'token'], text, 'a secret of at least 24 characters'],
  ['METRICS_PORT', ['metrics', 'port'], integer, 'an integer'],
  ['METRICS_HOST', ['metrics', 'host'], text, 'a loopback address'],
  ['CORS_ORIGINS', ['cors', 'origins'], origins, '"*" or comma-separated origins'],
  ['RATE_LIMIT_PER_CLIENT', ['rateLimit', 'perClient'], integer, 'an integer'],
  ['RATE_LIMIT_PER_ISSUER', ['rateLimit', 'perIssuer'], integer, 'an integer'],
  ['SMART_CLIENT_ID', ['smartApp', 'clientId'], text, 'the OAuth client id of the SMART app'],
  // ---- census (issue 15)
  ['CENSUS_ENABLED', ['census', 'enabled'], bool, 'true or false'],
  ['CENSUS_INTERVAL_MINUTES', ['census', 'intervalMinutes'], (raw) => (/^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : undefined), 'a number of minutes'],
  ['CENSUS_FHIR_SERVER', ['census', 'fhirServer'], text, 'a URL'],
  ['CENSUS_POPULATION', ['census', 'population'], text, 'Group/<id> or List/<id>'],
  ['CENSUS_DB', ['census', 'dbPath'], text, 'a path'],
  ['DATABASE_URL', ['census', 'databaseUrl'], text, 'a postgresql:// URL'],
  ['CENSUS_USER_CLIENT_ID', ['census', 'userClientId'], text, 'a client id'],
];

/** Names of the environment variables loadConfig reads (for --help and the README). */
export const CONFIG_ENV_VARS = ['CONFIG_FILE', ...ENV_VARS.map(([name]) => name)];

function envOverrides(env: Record<string, string | undefined>): { overrides: JsonObject; envNames: Map<string, string>; problems: string[] } {
  const overrides: JsonObject = {};
  const envNames = new Map<string, string>();
  const problems: string[] = [];
  for (const [name, path, parse, expected] of ENV_VARS) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = parse(raw);
    if (value === undefined) {
      problems.push(`${name}: expected ${expected}`);
      continue;
    }
    let target = overrides;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as JsonObject;
    target[path[path.length - 1] as string] = value;
    envNames.set(`/${path.join('/')}`, name);
  }
  return { overrides, envNames, problems };
}

/**
 * Loads, validates and safety-checks the configuration for `mode`. Throws ConfigError listing every
 * problem (the caller prints `error.message` and exits non-zero).
 */
export function loadConfig(options: LoadConfigOptions): AppConfig {
  const env = options.env ?? {};
  const file = options.file ?? (env.CONFIG_FILE || undefined);
  const fromFile = file ? readConfigFile(file) : {};
  const { overrides, envNames, problems: envProblems } = envOverrides(env);
  if (envProblems.length > 0) throw new ConfigError(envProblems);

  const merged = merge(merge(defaultConfig(options.mode) as unknown as JsonObject, fromFile), overrides);
  if (!validateMerged(merged)) throw new ConfigError(describeAll(validateMerged.errors, '', envNames));
  const config = merged as unknown as AppConfig;

  const problems = configProblems(config);
  const zone = config.site?.timeZone;
  if (zone !== undefined && !isKnownTimeZone(zone)) problems.push(`site.timeZone: "${zone}" is not an IANA time zone known to this runtime`);
  if (options.resolveThresholds) {
    try {
      options.resolveThresholds(config.thresholds);
    } catch (error) {
      problems.push(`thresholds: ${(error as Error).message}`);
    }
  }
  if (config.mode === 'production') {
    problems.push(...productionProblems(config).map((p) => `unsafe for production: ${p}`));
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
