/**
 * SSRF guard for the FHIR calls a hook request makes us do. `fhirServer` and paging links come from the
 * request body, and we forward the bearer token to them, so each outbound URL must be:
 *   - https (plain http only for the embedded loopback server in demo/test mode);
 *   - on the same origin as `fhirServer`, and `fhirServer` itself on the list bound to the verified
 *     issuer (and tenant), exact base match after normalization;
 *   - a host whose RESOLVED addresses are all public (no loopback, private, CGNAT, link-local, metadata,
 *     IPv4-mapped, ...). One bad address refuses the whole host: an attacker could mix them.
 * The connection then goes to the address that was checked (see `pinnedFetcher`): the host name is not
 * looked up a second time, so DNS rebinding between check and connect is impossible.
 *
 * Resolver and fetcher are injected so tests can prove nothing is fetched when the guard says no.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AppConfig, IssuerConfig } from '../config/types.js';
import { classifyAddress, isLocalhostName, isMetadataHostName, normalizeHostName, parseIp } from './ipAddress.js';

export type FetchRefusalReason =
  | 'invalid-url'
  | 'scheme-not-allowed'
  | 'credentials-in-url'
  | 'server-not-allowed'
  | 'cross-origin'
  | 'blocked-host-name'
  | 'blocked-address'
  | 'unresolvable';

/** Thrown when a URL may not be fetched. `message` names the origin only (never path or query: PHI). */
export class FetchNotAllowedError extends Error {
  readonly reason: FetchRefusalReason;
  constructor(reason: FetchRefusalReason, message: string) {
    super(message);
    this.name = 'FetchNotAllowedError';
    this.reason = reason;
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** All addresses of a host name (like `dns.lookup(host, { all: true })`). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface GuardContext {
  /** `fhirServer` of the hook request. */
  fhirServer: URL | string;
  /** Issuer of the verified JWT (res.locals.auth.issuer); absent when auth is off (demo/test). */
  issuer?: IssuerConfig;
  /** Verified `tenant` claim, if any. */
  tenant?: string;
  config: AppConfig;
}

export const systemResolver: Resolver = async (hostname) => {
  const found = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Demo/test only: the embedded FHIR server on loopback over plain http. Never in production. */
export function insecureLoopbackAllowed(config: AppConfig): boolean {
  return config.mode !== 'production' && config.fhir.allowInsecureLoopback;
}

/**
 * Canonical form of a FHIR base URL: scheme and host lower-cased, default port dropped (URL does both),
 * trailing slashes removed. Query, fragment and credentials are not part of a base and are refused.
 */
export function normalizeFhirBase(input: URL | string): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new FetchNotAllowedError('invalid-url', 'fhirServer is not an absolute URL');
  }
  if (url.username || url.password) throw new FetchNotAllowedError('credentials-in-url', `credentials in URL for ${url.origin}`);
  if (url.search || url.hash) throw new FetchNotAllowedError('invalid-url', `fhirServer ${url.origin} carries a query or fragment`);
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

function baseKey(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** FHIR bases the request may name: the verified issuer's (or its tenant's) list, plus openServers outside production. */
export function allowedFhirBases(ctx: Omit<GuardContext, 'fhirServer'>): Set<string> {
  const { issuer, tenant, config } = ctx;
  const bound = issuer ? ((tenant !== undefined ? issuer.tenantFhirServers?.[tenant] : undefined) ?? issuer.fhirServers) : [];
  const open = config.mode === 'production' ? [] : config.fhir.openServers;
  const keys = new Set<string>();
  for (const entry of [...bound, ...open]) {
    try {
      keys.add(baseKey(normalizeFhirBase(entry)));
    } catch {
      // An unparseable entry matches nothing; loadConfig reports it at start-up.
    }
  }
  return keys;
}

function checkScheme(url: URL, loopbackOk: boolean): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && loopbackOk) return; // addresses are then required to be loopback
  throw new FetchNotAllowedError('scheme-not-allowed', `${url.protocol} is not allowed for ${url.origin} (https required)`);
}

/**
 * Decides whether `url` may be fetched for this request; resolves the host and returns the checked
 * addresses (connect to one of these, see `pinnedFetcher`). Throws FetchNotAllowedError otherwise.
 * Call before EVERY outbound FHIR request, paging links included.
 */
export async function assertFetchAllowed(url: URL, ctx: GuardContext, resolver: Resolver = systemResolver): Promise<ResolvedAddress[]> {
  const loopbackOk = insecureLoopbackAllowed(ctx.config);
  const base = normalizeFhirBase(ctx.fhirServer);
  checkScheme(base, loopbackOk);
  if (!allowedFhirBases(ctx).has(baseKey(base))) {
    throw new FetchNotAllowedError('server-not-allowed', `FHIR server ${base.origin} is not allowed for this caller`);
  }
  if (url.username || url.password) throw new FetchNotAllowedError('credentials-in-url', `credentials in URL for ${url.origin}`);
  // Same origin as fhirServer: the only host that may ever see the access token. Covers paging links.
  if (url.origin !== base.origin) {
    throw new FetchNotAllowedError('cross-origin', `${url.origin} is not the origin of fhirServer ${base.origin}`);
  }
  return resolveCheckedAddresses(url, loopbackOk, resolver);
}

/**
 * Resolves `url`'s host and refuses it unless every address is public (https only), or loopback when
 * `loopbackOk` (demo/test). Shared by FHIR reads and JWKS fetches: the caller connects to one of the
 * returned addresses (pinnedFetcher), never resolving the name again.
 */
export async function resolveCheckedAddresses(url: URL, loopbackOk: boolean, resolver: Resolver = systemResolver): Promise<ResolvedAddress[]> {
  const host = normalizeHostName(url.hostname);
  if (isMetadataHostName(host) || (isLocalhostName(host) && !loopbackOk)) {
    throw new FetchNotAllowedError('blocked-host-name', `host ${host} is not allowed`);
  }
  const literal = parseIp(host);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: host, family: literal.family }];
  } else {
    try {
      addresses = await resolver(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) throw new FetchNotAllowedError('unresolvable', `host ${host} does not resolve`);
  }
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    const ok = kind === 'public' ? url.protocol === 'https:' : kind === 'loopback' && loopbackOk;
    if (!ok) throw new FetchNotAllowedError('blocked-address', `host ${host} resolves to a ${kind ?? 'invalid'} address`);
  }
  return addresses;
}

/** Request validation helper (docs/cds-hooks-conformance.md#checklist line 17): `fhirAuthorization` without `fhirServer` is a 400. */
export function fhirAuthorizationWithoutServer(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return b.fhirAuthorization !== undefined && b.fhirAuthorization !== null && (typeof b.fhirServer !== 'string' || b.fhirServer === '');
}

// ---------------------------------------------------------------------------------------------------
// Guarded fetch: the guard plus a connection pinned to the checked address.

export interface PinnedRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** The address that passed the guard: the only one the connection may use. */
  address: ResolvedAddress;
  timeoutMs: number;
  maxBytes: number;
}

export type Fetcher = (url: URL, request: PinnedRequest) => Promise<Response>;

export type GuardedFetchErrorReason = 'timeout' | 'too-large' | 'network';

export class GuardedFetchError extends Error {
  readonly reason: GuardedFetchErrorReason;
  constructor(reason: GuardedFetchErrorReason, message: string) {
    super(message);
    this.name = 'GuardedFetchError';
    this.reason = reason;
  }
}

/** A `lookup` for net/http/https that answers with the checked address only: no second DNS query. */
export function pinnedLookup(address: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [address]);
    else callback(null, address.address, address.family);
  };
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * Default fetcher: node http/https with `lookup` pinned to the checked address (TLS SNI and Host stay
 * the host name, so certificates are verified as usual). No redirects are followed; bounded by time
 * and bytes; a fresh connection per request (no pooled socket to an unchecked address).
 */
export const pinnedFetcher: Fetcher = (url, request) =>
  new Promise<Response>((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const isLiteral = parseIp(url.hostname) !== undefined;
    const req = transport.request(url, {
      method: request.method ?? 'GET',
      headers: request.headers,
      agent: false,
      lookup: pinnedLookup(request.address),
      ...(url.protocol === 'https:' && !isLiteral ? { servername: normalizeHostName(url.hostname) } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error instanceof GuardedFetchError ? error : new GuardedFetchError('network', `request to ${url.origin} failed`));
    };
    const timer = setTimeout(() => fail(new GuardedFetchError('timeout', `no answer from ${url.origin} in ${request.timeoutMs} ms`)), request.timeoutMs);
    req.on('error', fail);
    req.on('response', (res) => {
      const tooLarge = (): void => fail(new GuardedFetchError('too-large', `answer from ${url.origin} exceeds ${request.maxBytes} bytes`));
      if (Number(res.headers['content-length'] ?? 0) > request.maxBytes) return tooLarge();
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > request.maxBytes) tooLarge();
        else chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const headers = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '');
        const status = res.statusCode ?? 502;
        const body = NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers }));
      });
    });
    req.end(request.body);
  });

export interface GuardedFetchDeps {
  resolver?: Resolver;
  fetcher?: Fetcher;
}

export interface GuardedFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/**
 * A fetch-like function bound to one hook request: every call (paging links too) passes
 * `assertFetchAllowed`, then goes to the checked address with config.fhir.requestTimeoutMs / maxBytes.
 * Refusals reject with FetchNotAllowedError before anything is sent.
 */
export function createGuardedFetch(ctx: GuardContext, deps: GuardedFetchDeps = {}): (input: URL | string, init?: GuardedFetchInit) => Promise<Response> {
  const resolver = deps.resolver ?? systemResolver;
  const fetcher = deps.fetcher ?? pinnedFetcher;
  return async (input, init = {}) => {
    let url: URL;
    try {
      url = new URL(String(input));
    } catch {
      throw new FetchNotAllowedError('invalid-url', 'not an absolute URL');
    }
    const [address] = await assertFetchAllowed(url, ctx, resolver);
    if (!address) throw new FetchNotAllowedError('unresolvable', `host ${url.hostname} does not resolve`);
    return fetcher(url, { ...init, address, timeoutMs: ctx.config.fhir.requestTimeoutMs, maxBytes: ctx.config.fhir.maxBytes });
  };
}
