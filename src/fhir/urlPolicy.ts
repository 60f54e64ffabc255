/**
 * The outbound-URL policy: the one place that decides whether this service may send a request (and the
 * caller's bearer token) to a URL taken from a hook request (`fhirServer`, prefetch `next` links).
 * `fhirServer` comes from the request body, so fetching it blindly is an SSRF hole that also leaks the
 * token (docs/cds-hooks-conformance.md#security). This policy is the transport rule, checked before every read; the hardened
 * checks (issuer binding, DNS resolution to public addresses only, connection pinned to the checked
 * address) live in src/security/fhirServerGuard.ts and run inside the transport the server builds per
 * call (server/outbound.ts), so both apply.
 */
import { isLoopbackHost } from '../net/loopback.js';

export interface OutboundRequestContext {
  /** The `fhirServer` base URL of this hook call. */
  fhirServer: string;
}

export type UrlDecision = { allowed: true } | { allowed: false; reason: string };

/** Decides whether `url` may be fetched for this call. May be async (DNS resolution). */
export type OutboundUrlPolicy = (url: URL, ctx: OutboundRequestContext) => UrlDecision | Promise<UrlDecision>;

export { isLoopbackHost };

/**
 * Default policy: https anywhere; plain http only to a loopback host and only when `allowInsecureLoopback`
 * (demo/test). No credentials in URLs.
 */
export function defaultUrlPolicy(options: { allowInsecureLoopback: boolean }): OutboundUrlPolicy {
  return (url) => {
    if (url.username || url.password) return { allowed: false, reason: 'credentials in URL' };
    if (url.protocol === 'https:') return { allowed: true };
    if (url.protocol === 'http:' && options.allowInsecureLoopback && isLoopbackHost(url.hostname)) return { allowed: true };
    return { allowed: false, reason: url.protocol === 'http:' ? 'fhirServer must use https' : `scheme ${url.protocol} not allowed` };
  };
}

/** `next` links are followed only on the fhirServer's origin (scheme, host and port). */
export function isSameOrigin(url: URL, fhirServer: string): boolean {
  return url.origin === new URL(fhirServer).origin;
}
