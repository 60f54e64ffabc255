/** Public surface of the security layer (see docs/security.md for the threat model and wiring order). */
export { AUTH_LOCALS_KEY, createJwtAuth, expectedAudience, JwtVerifier, verifiedCaller, type AuthFailureReason, type JwtAuthDeps, type VerifiedCaller } from './jwt.js';
export { DEFAULT_ALGORITHMS, SUPPORTED_ALGORITHMS } from '../config/algorithms.js';
export { MemoryReplayStore, type ReplayStore } from './replayStore.js';
export type { FetchJwks } from './jwks.js';
export {
  assertFetchAllowed,
  createGuardedFetch,
  FetchNotAllowedError,
  fhirAuthorizationWithoutServer,
  GuardedFetchError,
  normalizeFhirBase,
  pinnedFetcher,
  systemResolver,
  type FetchRefusalReason,
  type Fetcher,
  type GuardContext,
  type GuardedFetchInit,
  type Resolver,
} from './fhirServerGuard.js';
export {
  applyServerTimeouts,
  CONTENT_SECURITY_POLICY,
  jsonDepthLimit,
  perClientRateLimit,
  perIssuerRateLimit,
  REQUEST_SIGNAL_KEY,
  requestTimeout,
  securityHeaders,
  withinJsonDepth,
} from './hardening.js';
