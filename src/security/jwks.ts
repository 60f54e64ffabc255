/**
 * JWK Sets of CDS clients: inline (configured out-of-band) or fetched from an allowlisted `jku`.
 * Fetched sets are cached; an unknown `kid` triggers at most one refresh per cool-down period, so a
 * flood of tokens with made-up kids cannot turn into a flood of requests to the client's key server.
 */
import { FetchNotAllowedError, pinnedFetcher, resolveCheckedAddresses, type Fetcher, type Resolver } from './fhirServerGuard.js';
import { createLocalJWKSet, errors, type CryptoKey, type JSONWebKeySet, type JWSHeaderParameters, type LocalJWKSet } from 'jose';

export type FetchJwks = (url: string) => Promise<JSONWebKeySet>;

export interface JwksCacheOptions {
  /** A fetched set is used this long before it is fetched again. */
  ttlMs: number;
  /** Shortest interval between two fetches of the same URL (refresh on unknown kid included). */
  cooldownMs: number;
  /** Bounds of the default fetcher. */
  fetchTimeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_JWKS_OPTIONS: JwksCacheOptions = { ttlMs: 10 * 60_000, cooldownMs: 30_000, fetchTimeoutMs: 3_000, maxBytes: 64 * 1024 };

export class JwksUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwksUnavailableError';
  }
}

const MAX_KEYS = 100;

/** Checks the shape the verifier relies on: an object with a `keys` array of objects. */
export function asJwks(value: unknown): JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length > MAX_KEYS || keys.some((k) => typeof k !== 'object' || k === null)) {
    throw new JwksUnavailableError('not a JWK Set');
  }
  return { keys: keys as JSONWebKeySet['keys'] };
}

export interface JwksFetchGuard {
  /** Demo/test only: allow http and loopback key servers. */
  allowLoopback: boolean;
  resolver?: Resolver;
  fetcher?: Fetcher;
}

/**
 * Default `jku` fetcher: through the same outbound address guard as FHIR reads (the host must resolve to
 * public addresses only, https; the connection goes to the checked address), no redirects, bounded time
 * and size. The `jku` itself was already matched against the issuer's allowlist.
 */
export function createDefaultFetchJwks(options: Pick<JwksCacheOptions, 'fetchTimeoutMs' | 'maxBytes'>, guard: JwksFetchGuard = { allowLoopback: false }): FetchJwks {
  const fetcher = guard.fetcher ?? pinnedFetcher;
  return async (jku) => {
    let response: Response;
    try {
      const url = new URL(jku);
      if (url.protocol !== 'https:' && !(guard.allowLoopback && url.protocol === 'http:')) throw new JwksUnavailableError('not https');
      if (url.username || url.password) throw new JwksUnavailableError('credentials in URL');
      const [address] = await resolveCheckedAddresses(url, guard.allowLoopback, guard.resolver);
      if (!address) throw new JwksUnavailableError('unresolvable');
      response = await fetcher(url, { method: 'GET', headers: { accept: 'application/json' }, address, timeoutMs: options.fetchTimeoutMs, maxBytes: options.maxBytes });
    } catch (error) {
      throw error instanceof JwksUnavailableError ? error : new JwksUnavailableError(error instanceof FetchNotAllowedError ? `refused: ${error.reason}` : 'fetch failed');
    }
    if (!response.ok) throw new JwksUnavailableError(`status ${response.status}`);
    try {
      return asJwks(JSON.parse(await response.text()));
    } catch {
      throw new JwksUnavailableError('not a JWK Set');
    }
  };
}

interface Entry {
  set?: LocalJWKSet;
  fetchedAt: number;
  lastAttemptAt: number;
}

export function isNoMatchingKey(error: unknown): boolean {
  return error instanceof errors.JWKSNoMatchingKey;
}

export class RemoteJwksCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Entry>>();

  constructor(
    private readonly fetchJwks: FetchJwks,
    private readonly clock: () => number,
    private readonly options: JwksCacheOptions,
  ) {}

  /** The key for `header` (kid, alg) from the set at `url`; refreshes once if the kid is unknown. */
  async getKey(url: string, header: JWSHeaderParameters): Promise<CryptoKey> {
    let entry = this.entries.get(url);
    const now = this.clock();
    if (!entry?.set || (now - entry.fetchedAt >= this.options.ttlMs && this.mayFetch(entry, now))) {
      entry = await this.refresh(url);
    }
    try {
      return await this.select(entry, header);
    } catch (error) {
      if (!isNoMatchingKey(error) || !this.mayFetch(entry, this.clock())) throw error;
      return this.select(await this.refresh(url), header);
    }
  }

  private mayFetch(entry: Entry | undefined, now: number): boolean {
    return !entry || now - entry.lastAttemptAt >= this.options.cooldownMs;
  }

  private async select(entry: Entry, header: JWSHeaderParameters): Promise<CryptoKey> {
    if (!entry.set) throw new JwksUnavailableError('no key set');
    return entry.set(header);
  }

  /** One fetch per URL at a time; a failed fetch keeps the previous set (keys rotate, servers blip). */
  private refresh(url: string): Promise<Entry> {
    const pending = this.inFlight.get(url);
    if (pending) return pending;
    const previous = this.entries.get(url);
    if (previous && !this.mayFetch(previous, this.clock())) return Promise.resolve(previous);
    const attemptAt = this.clock();
    const attempt = (async (): Promise<Entry> => {
      try {
        const set = createLocalJWKSet(asJwks(await this.fetchJwks(url)));
        const entry: Entry = { set, fetchedAt: attemptAt, lastAttemptAt: attemptAt };
        this.entries.set(url, entry);
        return entry;
      } catch {
        const entry: Entry = { ...(previous ?? { fetchedAt: attemptAt }), lastAttemptAt: attemptAt };
        this.entries.set(url, entry);
        if (!entry.set) throw new JwksUnavailableError('JWKS unavailable');
        return entry;
      } finally {
        this.inFlight.delete(url);
      }
    })();
    this.inFlight.set(url, attempt);
    return attempt;
  }
}
