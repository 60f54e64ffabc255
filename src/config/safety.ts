/**
 * What start-up refuses. `configProblems` applies in every mode (a mistake is a mistake); the
 * production list names everything that is acceptable for a local demo but unsafe with real patients.
 */
import { isIP } from 'node:net';
import type { AppConfig } from './types.js';

import { isLoopbackHost } from '../net/loopback.js';
const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** A proxy address, CIDR or name express understands; anything else would be silently ignored by it. */
function validProxyEntry(entry: string): boolean {
  if (TRUST_PROXY_NAMES.includes(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

/** The public sandbox's signing key is published with its source; never a production trust anchor. */
export const SANDBOX_ISSUER = 'https://sandbox.cds-hooks.org';
const MAX_PRODUCTION_SKEW_SEC = 300;
const MAX_PRODUCTION_LIFETIME_SEC = 3600;
/** Time the engine and the response need after the FHIR budget is spent, inside the request deadline. */
const ENGINE_HEADROOM_MS = 1000;

const isHttps = (value: string): boolean => {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
};

function issuerLabel(index: number, iss: string): string {
  return `auth.issuers[${index}] (${iss})`;
}

/** Problems in any mode. */
export function configProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  config.auth.issuers.forEach((issuer, i) => {
    if (seen.has(issuer.iss)) problems.push(`${issuerLabel(i, issuer.iss)}: the same iss is configured twice`);
    seen.add(issuer.iss);
    issuer.jwks?.keys.forEach((key, k) => {
      if ('d' in key || key.kty === 'oct') {
        problems.push(`${issuerLabel(i, issuer.iss)}.jwks.keys[${k}]: a private or symmetric key; configure the public key only`);
      }
    });
  });
  if (Array.isArray(config.trustProxy)) {
    for (const entry of config.trustProxy) if (!validProxyEntry(entry)) problems.push(`trustProxy: ${entry} is not an IP address, CIDR, loopback, linklocal or uniquelocal`);
  }
  if (config.metrics.port !== undefined && !isLoopbackHost(config.metrics.host)) {
    problems.push(`metrics.host ${config.metrics.host} is not a loopback address: the metrics port is for local scraping only`);
  }
  if (config.metrics.port !== undefined && config.metrics.port !== 0 && config.metrics.port === config.port) problems.push('metrics.port is the same as port');
  if (config.fhir.budgetMs < config.fhir.requestTimeoutMs) problems.push('fhir.budgetMs is shorter than fhir.requestTimeoutMs');
  // Otherwise the request deadline (503) would fire before the FHIR budget yields its 412 or partial answer.
  if (config.requestTimeoutMs < config.fhir.budgetMs + ENGINE_HEADROOM_MS) {
    problems.push(`requestTimeoutMs must exceed fhir.budgetMs by at least ${ENGINE_HEADROOM_MS} ms`);
  }
  return problems;
}

/** Why this configuration must not run in production (empty when it may). */
export function productionProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  const { auth, fhir } = config;
  if (!auth.required) problems.push('auth.required is false: production requires a verified JWT on every CDS call');
  if (auth.issuers.length === 0) problems.push('auth.issuers is empty: configure at least one trusted CDS client (iss, keys, fhirServers)');
  auth.issuers.forEach((issuer, i) => {
    const label = issuerLabel(i, issuer.iss);
    if (!issuer.jwks && !(issuer.jkuAllowlist && issuer.jkuAllowlist.length > 0)) {
      problems.push(`${label}: no keys; set jwks (out-of-band public keys) or jkuAllowlist`);
    }
    for (const jku of issuer.jkuAllowlist ?? []) if (!isHttps(jku)) problems.push(`${label}.jkuAllowlist: ${jku} is not https`);
    const servers = [...issuer.fhirServers, ...Object.values(issuer.tenantFhirServers ?? {}).flat()];
    for (const server of servers) if (!isHttps(server)) problems.push(`${label}.fhirServers: ${server} is not https`);
    if (issuer.iss.replace(/\/+$/, '') === SANDBOX_ISSUER) {
      problems.push(`${label}: the CDS Hooks sandbox's private key is public; trust it only in demo/test mode`);
    }
  });
  if (auth.clockSkewSec > MAX_PRODUCTION_SKEW_SEC) problems.push(`auth.clockSkewSec is above ${MAX_PRODUCTION_SKEW_SEC}`);
  if (auth.maxTokenLifetimeSec > MAX_PRODUCTION_LIFETIME_SEC) problems.push(`auth.maxTokenLifetimeSec is above ${MAX_PRODUCTION_LIFETIME_SEC}`);
  if (!config.publicBaseUrl) {
    problems.push('publicBaseUrl is not set: JWT aud is checked against it (the Host header is caller-controlled)');
  } else if (!isHttps(config.publicBaseUrl)) {
    problems.push(`publicBaseUrl ${config.publicBaseUrl} is not https`);
  }
  if (fhir.allowInsecureLoopback) problems.push('fhir.allowInsecureLoopback is true: plain-http/loopback FHIR servers are for demo/test only');
  if (fhir.openServers.length > 0) problems.push('fhir.openServers is set: every FHIR server must be bound to a trusted issuer in production');
  if (config.cors.origins === '*' && !auth.required) problems.push('cors.origins is "*" while auth is off');
  if (!config.feedback.hmacKey) {
    problems.push('feedback.hmacKey is not set (env FEEDBACK_HMAC_KEY): without a secret key, anyone holding the card-memory file can test guessed patient ids');
  }
  if (config.metrics.port === undefined && !config.metrics.token) {
    problems.push('/metrics is open: set metrics.token (env METRICS_TOKEN) or metrics.port (env METRICS_PORT, served on loopback only)');
  }
  if (config.embeddedFhir.enabled) problems.push('embeddedFhir.enabled is true: the embedded FHIR server is for demo/test only');
  return problems;
}

/** One line per relaxed safeguard, for the start-up banner of demo/test mode. */
export function describeRelaxations(config: AppConfig): string[] {
  if (config.mode === 'production') return [];
  const lines: string[] = [];
  if (!config.auth.required) lines.push('JWT verification is OFF (demo/test mode only)');
  if (config.fhir.allowInsecureLoopback) lines.push('plain-http FHIR servers on loopback are allowed (demo/test mode only)');
  if (config.fhir.openServers.length > 0) lines.push(`FHIR servers open to any caller: ${config.fhir.openServers.join(', ')}`);
  return lines;
}
