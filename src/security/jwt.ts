/**
 * CDS Hooks client authentication (spec "Trusting CDS Clients", docs/cds-hooks-conformance.md#checklist lines 38-45).
 *
 * Order of checks, cheapest and least trusting first; nothing is fetched for a token whose header or
 * issuer is already unacceptable:
 *   1. `Authorization: Bearer <compact JWS>` present and of sane size
 *   2. header: `alg` asymmetric and allowed (never `none`, never HMAC: refused before any key lookup),
 *      `kid` present, `typ` JWT when present
 *   3. `iss` (read unverified) on the allowlist; `alg` allowed for that issuer; `jku`, when present, on
 *      that issuer's `jkuAllowlist` (exact match)
 *   4. key by `kid`: the issuer's inline JWKS first, else the allowlisted `jku` set (cached, one refresh)
 *   5. signature, then `aud` (exact URL called or a configured audience), `exp`/`nbf`/`iat` with skew,
 *      lifetime exp - iat <= maxTokenLifetimeSec, `jti` present
 *   6. `tenant` on the issuer's list when it has one
 *   7. `jti` not seen before (last, so only validly signed tokens consume replay-store space)
 * Any failure: 401 with an OperationOutcome that says only "Unauthorized"; the reason is logged with
 * iss/tenant/jti (never the token).
 *
 * On success `res.locals.auth` holds a VerifiedCaller (see AUTH_LOCALS_KEY).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type CryptoKey, type JWTPayload, type LocalJWKSet, type ProtectedHeaderParameters } from 'jose';
import type { Logger } from 'pino';
import type { AppConfig, IssuerConfig } from '../config/types.js';
import { operationOutcome } from '../http/outcomes.js';
import { DEFAULT_ALGORITHMS, SUPPORTED_ALGORITHMS } from '../config/algorithms.js';
import { createDefaultFetchJwks, DEFAULT_JWKS_OPTIONS, type JwksFetchGuard, isNoMatchingKey, JwksUnavailableError, RemoteJwksCache, type FetchJwks, type JwksCacheOptions } from './jwks.js';
import { MemoryReplayStore, type ReplayStore } from './replayStore.js';

/** Property of `res.locals` that carries the verified caller for later middleware (FHIR server binding). */
export const AUTH_LOCALS_KEY = 'auth';

export interface VerifiedCaller {
  issuer: IssuerConfig;
  /** Verified claims (iss, aud, exp, iat, jti, and tenant/sub/nbf when sent). */
  claims: JWTPayload;
  tenant?: string;
}

/** The unverified `iss` of a bearer token, when it is one of `trusted` (no signature check: for routing to a rate limit only). */
export function claimedTrustedIssuer(req: Request, trusted: ReadonlySet<string>): string | undefined {
  if (trusted.size === 0) return undefined;
  const token = bearerToken(req);
  if (!token) return undefined;
  try {
    const iss = decodeJwt(token).iss;
    return typeof iss === 'string' && trusted.has(iss) ? iss : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the verified caller placed by createJwtAuth; undefined when auth is off (demo/test). */
export function verifiedCaller(res: Response): VerifiedCaller | undefined {
  return (res.locals as Record<string, unknown>)[AUTH_LOCALS_KEY] as VerifiedCaller | undefined;
}

export type AuthFailureReason =
  | 'no-bearer-token'
  | 'malformed-token'
  | 'alg-not-allowed'
  | 'kid-missing'
  | 'typ-invalid'
  | 'iss-not-allowed'
  | 'jku-not-allowed'
  | 'kid-unknown'
  | 'jwks-unavailable'
  | 'bad-signature'
  | 'aud-mismatch'
  | 'expired'
  | 'not-yet-valid'
  | 'iat-invalid'
  | 'claim-invalid'
  | 'lifetime-too-long'
  | 'tenant-not-allowed'
  | 'jti-replayed';

class AuthFailure extends Error {
  constructor(
    readonly reason: AuthFailureReason,
    readonly claims: JWTPayload = {},
  ) {
    super(reason);
  }
}

export type SecurityLogger = Pick<Logger, 'warn' | 'debug'>;

export interface JwtAuthDeps {
  logger: SecurityLogger;
  /** Base of the URLs this service is called on (config.publicBaseUrl); else derived from the request. */
  publicBaseUrl?: string;
  fetchJwks?: FetchJwks;
  replayStore?: ReplayStore;
  /** Milliseconds since the epoch. */
  clock?: () => number;
  jwks?: Partial<JwksCacheOptions>;
  /** Address guard of the default JWKS fetcher (ignored when fetchJwks is given); default: public https only. */
  jwksGuard?: JwksFetchGuard;
}

/** Largest Authorization header value considered; anything longer is refused unread. */
const MAX_TOKEN_LENGTH = 16 * 1024;
/** Longest iss/jti/tenant echoed into the log (they are caller-chosen strings). */
const MAX_LOGGED_CLAIM = 200;

const UNAUTHORIZED = operationOutcome({ code: 'unauthorized', issueType: 'login', message: 'Unauthorized' });

/** The exact URL the client called, which the spec says `aud` must hold. */
export function expectedAudience(req: Request, publicBaseUrl: string | undefined): string {
  const base = (publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? ''}`).replace(/\/+$/, '');
  const path = req.originalUrl.split('?')[0] ?? '';
  return `${base}${path}`;
}

function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header || header.length > MAX_TOKEN_LENGTH + 7) return undefined;
  const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i.exec(header.trim());
  return match?.[1];
}

function clip(value: unknown): string | undefined {
  return typeof value === 'string' ? value.slice(0, MAX_LOGGED_CLAIM) : undefined;
}

/** Maps jose's claim/signature errors onto our reasons. */
function reasonFromJose(error: unknown): AuthFailureReason {
  if (error instanceof errors.JWTExpired) return error.claim === 'iat' ? 'lifetime-too-long' : 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'aud-mismatch';
    if (error.claim === 'nbf') return 'not-yet-valid';
    if (error.claim === 'iat') return 'iat-invalid';
    return 'claim-invalid';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'alg-not-allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad-signature';
  return 'malformed-token';
}

export class JwtVerifier {
  private readonly issuers: Map<string, { config: IssuerConfig; inline?: LocalJWKSet; algorithms: Set<string> }>;
  private readonly remote: RemoteJwksCache;
  private readonly replayStore: ReplayStore;
  private readonly clock: () => number;

  constructor(
    private readonly auth: AppConfig['auth'],
    deps: Omit<JwtAuthDeps, 'logger' | 'publicBaseUrl'> = {},
  ) {
    this.clock = deps.clock ?? Date.now;
    const jwksOptions = { ...DEFAULT_JWKS_OPTIONS, ...deps.jwks };
    this.remote = new RemoteJwksCache(deps.fetchJwks ?? createDefaultFetchJwks(jwksOptions, deps.jwksGuard), this.clock, jwksOptions);
    this.replayStore = deps.replayStore ?? new MemoryReplayStore({});
    this.issuers = new Map(
      auth.issuers.map((issuer) => [
        issuer.iss,
        {
          config: issuer,
          ...(issuer.jwks ? { inline: createLocalJWKSet(issuer.jwks) } : {}),
          algorithms: new Set((issuer.algorithms ?? DEFAULT_ALGORITHMS).filter((a) => (SUPPORTED_ALGORITHMS as readonly string[]).includes(a))),
        },
      ]),
    );
  }

  /** Verifies `token` for a call to `audience`; throws AuthFailure. */
  async verify(token: string, audience: string): Promise<VerifiedCaller> {
    let header: ProtectedHeaderParameters;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch {
      throw new AuthFailure('malformed-token');
    }
    const alg = header.alg;
    if (typeof alg !== 'string' || !(SUPPORTED_ALGORITHMS as readonly string[]).includes(alg)) throw new AuthFailure('alg-not-allowed', unverified);
    if (typeof header.kid !== 'string' || header.kid === '') throw new AuthFailure('kid-missing', unverified);
    if (header.typ !== undefined && !/^(application\/)?jwt$/i.test(header.typ)) throw new AuthFailure('typ-invalid', unverified);

    const issuer = typeof unverified.iss === 'string' ? this.issuers.get(unverified.iss) : undefined;
    if (!issuer) throw new AuthFailure('iss-not-allowed', unverified);
    if (!issuer.algorithms.has(alg)) throw new AuthFailure('alg-not-allowed', unverified);
    const jku = header.jku;
    if (jku !== undefined && !(issuer.config.jkuAllowlist ?? []).includes(jku)) throw new AuthFailure('jku-not-allowed', unverified);

    const key = await this.key(header, issuer.inline, jku, unverified);
    const now = this.clock();
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, key, {
        algorithms: [alg],
        issuer: issuer.config.iss,
        audience: [audience, ...(issuer.config.audiences ?? [])],
        clockTolerance: this.auth.clockSkewSec,
        // Also refuses an `iat` in the future (beyond the skew).
        maxTokenAge: this.auth.maxTokenLifetimeSec,
        currentDate: new Date(now),
        requiredClaims: ['exp', 'iat', 'jti'],
      }));
    } catch (error) {
      throw new AuthFailure(reasonFromJose(error), unverified);
    }
    const { exp, iat, jti } = claims as Required<Pick<JWTPayload, 'exp' | 'iat'>> & JWTPayload;
    if (exp - iat > this.auth.maxTokenLifetimeSec) throw new AuthFailure('lifetime-too-long', claims);
    if (typeof jti !== 'string' || jti === '' || jti.length > 512) throw new AuthFailure('claim-invalid', claims);

    const tenant = typeof claims.tenant === 'string' ? claims.tenant : undefined;
    const tenants = issuer.config.tenants;
    if (tenants && (tenant === undefined || !tenants.includes(tenant))) throw new AuthFailure('tenant-not-allowed', claims);

    const keepUntilMs = (exp + this.auth.clockSkewSec) * 1000;
    if (!(await this.replayStore.remember(`${issuer.config.iss}\u0000${jti}`, keepUntilMs, now))) throw new AuthFailure('jti-replayed', claims);

    return { issuer: issuer.config, claims, ...(tenant !== undefined ? { tenant } : {}) };
  }

  private async key(header: ProtectedHeaderParameters, inline: LocalJWKSet | undefined, jku: string | undefined, claims: JWTPayload): Promise<CryptoKey> {
    if (inline) {
      try {
        return await inline(header);
      } catch (error) {
        if (!isNoMatchingKey(error) || jku === undefined) throw new AuthFailure('kid-unknown', claims);
      }
    }
    if (jku === undefined) throw new AuthFailure('kid-unknown', claims);
    try {
      return await this.remote.getKey(jku, header);
    } catch (error) {
      throw new AuthFailure(error instanceof JwksUnavailableError ? 'jwks-unavailable' : 'kid-unknown', claims);
    }
  }
}

/**
 * Express middleware verifying the CDS client JWT on every discovery, service and feedback call when
 * `auth.required`. Mount it on those routes (not on /health, /metrics, /fhir or the demo page).
 */
export function createJwtAuth(auth: AppConfig['auth'], deps: JwtAuthDeps): RequestHandler {
  if (!auth.required) return (_req, _res, next) => next();
  const verifier = new JwtVerifier(auth, deps);
  const { logger, publicBaseUrl } = deps;

  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const token = bearerToken(req);
    try {
      if (!token) throw new AuthFailure('no-bearer-token');
      const caller = await verifier.verify(token, expectedAudience(req, publicBaseUrl));
      (res.locals as Record<string, unknown>)[AUTH_LOCALS_KEY] = caller;
      logger.debug({ event: 'jwt-accepted', iss: caller.issuer.iss, tenant: clip(caller.tenant), jti: clip(caller.claims.jti) }, 'caller authenticated');
      next();
    } catch (error) {
      const failure = error instanceof AuthFailure ? error : new AuthFailure('malformed-token');
      logger.warn(
        { event: 'jwt-rejected', reason: failure.reason, iss: clip(failure.claims.iss), tenant: clip(failure.claims.tenant), jti: clip(failure.claims.jti), path: req.path },
        'caller refused',
      );
      res.status(401).set('WWW-Authenticate', 'Bearer').type('application/json').json(UNAUTHORIZED);
    }
  };
}
