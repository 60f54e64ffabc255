/**
 * Every census request goes through the security layer's outbound guard (src/security/fhirServerGuard.ts):
 * https only (plain http to loopback only in demo/test mode), host resolved to allowed addresses, the
 * connection pinned to the checked address, no redirects, bounded time and bytes. A hook call binds the
 * guard to the verified issuer's FHIR servers; the census binds it to the one configured target it is
 * about to call (its FHIR server, the token endpoint, the webhook), as an issuer of its own.
 */
import type { AppConfig } from '../config/types.js';
import type { FetchFn } from '../fhir/http.js';
import { createGuardedFetch, normalizeFhirBase, type GuardedFetchDeps } from '../security/fhirServerGuard.js';

export type GuardedFetch = (input: URL | string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<Response>;

/** A guarded fetch that may reach `target`'s origin only (query and fragment dropped from the binding). */
export function guardedFetchFor(target: string, config: AppConfig, deps: GuardedFetchDeps = {}): GuardedFetch {
  const url = new URL(target);
  url.search = '';
  url.hash = '';
  const base = normalizeFhirBase(url).href;
  return createGuardedFetch({ fhirServer: base, issuer: { iss: `census:${url.origin}`, fhirServers: [base] }, config }, deps);
}

/** The same guard in the FHIR reader's transport shape (src/fhir/http.ts FetchFn). */
export function guardedFhirTransport(fhirServer: string, config: AppConfig, deps: GuardedFetchDeps = {}): FetchFn {
  const guarded = guardedFetchFor(fhirServer, config, deps);
  return (url, init) => guarded(url, { method: init.method, headers: init.headers, signal: init.signal });
}
