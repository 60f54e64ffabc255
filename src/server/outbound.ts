/**
 * The transport for one hook call's FHIR reads. Production default: the security guard's fetch
 * (src/security/fhirServerGuard.ts), which checks every URL against the fhirServer bound to the verified
 * issuer (or config.fhir.openServers outside production), resolves the host to public addresses only
 * (loopback only in demo/test) and connects to the checked address. Tests may inject a plain fetch.
 */
import type { AppConfig, IssuerConfig } from '../config/types.js';
import type { FetchFn } from '../fhir/http.js';
import { createGuardedFetch } from '../security/fhirServerGuard.js';
import type { OutboundFetchFactory } from './serviceCall.js';

export function guardedOutboundFetch(config: AppConfig): OutboundFetchFactory {
  return ({ fhirServer, caller }) => {
    const guarded = createGuardedFetch({
      fhirServer,
      ...(caller?.issuer ? { issuer: caller.issuer as IssuerConfig } : {}),
      ...(caller?.tenant ? { tenant: caller.tenant } : {}),
      config,
    });
    return (url, init) => guarded(url, { method: init.method, headers: init.headers, signal: init.signal });
  };
}

/** A fixed transport for every call (tests, or a process that fetches only trusted servers). */
export function fixedOutboundFetch(fetchFn: FetchFn): OutboundFetchFactory {
  return () => fetchFn;
}
