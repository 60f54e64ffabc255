/**
 * SMART Backend Services (SMART App Launch 2.2, backend-services and client-confidential-asymmetric):
 * the census reads the EHR without a user. Token endpoint from `{fhirServer}/.well-known/smart-configuration`;
 * `client_credentials` grant authenticated with a `private_key_jwt` assertion signed by jose (ES384 or
 * RS384, `typ: JWT`, iss = sub = client_id, aud = token URL, exp <= 5 min, unique jti). Tokens are
 * reused until shortly before they expire; there is no refresh token in this flow. Every request passes
 * the outbound guard. Tokens and keys are never logged.
 */
import { randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT, type CryptoKey } from 'jose';
import type { GuardedFetch } from './outbound.js';

export interface BackendAuthOptions {
  fhirServer: string;
  clientId: string;
  privateKeyPem: string;
  keyId: string;
  algorithm: 'ES384' | 'RS384';
  scope: string;
  /** Guarded fetch bound to one target URL (src/census/outbound.ts guardedFetchFor). */
  fetchFor: (target: string) => GuardedFetch;
  now?: () => number;
}

export class BackendAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendAuthError';
  }
}

export interface BackendAuth {
  /** A bearer token for the FHIR server, fetched or reused. */
  accessToken(): Promise<string>;
}

/** Renew this long before `expires_in` runs out. */
const RENEW_MARGIN_MS = 30_000;
/** Assertion lifetime, seconds: the specification allows at most five minutes. */
const ASSERTION_LIFETIME_S = 240;

async function readJson(res: Response, what: string): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new BackendAuthError(`${what}: answer is not JSON (HTTP ${res.status})`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BackendAuthError(`${what}: answer is not a JSON object (HTTP ${res.status})`);
  return body as Record<string, unknown>;
}

export async function discoverTokenEndpoint(fhirServer: string, fetchFor: (target: string) => GuardedFetch): Promise<{ tokenEndpoint: string; authorizationEndpoint?: string }> {
  const url = `${fhirServer.replace(/\/+$/, '')}/.well-known/smart-configuration`;
  const res = await fetchFor(fhirServer)(url, { headers: { accept: 'application/json' } });
  if (res.status !== 200) throw new BackendAuthError(`SMART configuration not available (HTTP ${res.status})`);
  const doc = await readJson(res, 'SMART configuration');
  const token = doc.token_endpoint;
  if (typeof token !== 'string') throw new BackendAuthError('SMART configuration has no token_endpoint');
  const authz = doc.authorization_endpoint;
  return { tokenEndpoint: token, ...(typeof authz === 'string' ? { authorizationEndpoint: authz } : {}) };
}

export function createBackendAuth(opts: BackendAuthOptions): BackendAuth {
  const now = opts.now ?? Date.now;
  let key: Promise<CryptoKey> | undefined;
  let endpoint: Promise<string> | undefined;
  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    endpoint ??= discoverTokenEndpoint(opts.fhirServer, opts.fetchFor).then((d) => d.tokenEndpoint);
    key ??= importPKCS8(opts.privateKeyPem, opts.algorithm);
    let tokenUrl: string;
    let signingKey: CryptoKey;
    try {
      [tokenUrl, signingKey] = await Promise.all([endpoint, key]);
    } catch (e) {
      endpoint = undefined;
      key = undefined;
      // Guard refusals name an origin only; key import errors never contain the key.
      throw e instanceof BackendAuthError ? e : new BackendAuthError(`backend services discovery or key failed: ${e instanceof Error ? e.message : 'error'}`);
    }
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: opts.algorithm, kid: opts.keyId, typ: 'JWT' })
      .setIssuer(opts.clientId)
      .setSubject(opts.clientId)
      .setAudience(tokenUrl)
      .setIssuedAt(Math.floor(now() / 1000))
      .setExpirationTime(Math.floor(now() / 1000) + ASSERTION_LIFETIME_S)
      .setJti(randomUUID())
      .sign(signingKey);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: opts.scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    const res = await opts.fetchFor(tokenUrl)(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
    });
    const body = await readJson(res, 'token endpoint');
    if (res.status !== 200) {
      const error = typeof body.error === 'string' ? body.error : 'error';
      throw new BackendAuthError(`token endpoint refused the client (HTTP ${res.status}, ${error})`);
    }
    const token = body.access_token;
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 300;
    if (typeof token !== 'string' || token.length === 0) throw new BackendAuthError('token endpoint sent no access_token');
    if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') throw new BackendAuthError('token endpoint sent a token that is not a bearer token');
    cached = { token, renewAt: now() + Math.max(expiresIn * 1000 - RENEW_MARGIN_MS, (expiresIn * 1000) / 2) };
    return token;
  }

  return {
    async accessToken() {
      if (cached && now() < cached.renewAt) return cached.token;
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}
