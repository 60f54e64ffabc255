/**
 * Bounded FHIR reads over plain `fetch` (injected, so tests and the CLI choose the transport).
 *
 * Why not fhir-kit-client here: it reads every body whole with `response.text()` (no byte cap is
 * possible), always calls the global `fetch` (no injected transport, no `redirect: 'manual'` guarantee),
 * and with DEBUG=fhir-kit-client:* it logs request headers (the bearer token) and response bodies (PHI).
 * The CDS path needs all three controls, and it only does GETs, so a small reader is safer.
 *
 * Every read: outbound-URL policy first, per-request timeout, the hook call's overall budget, a byte cap,
 * no redirects, retries with jitter only on network errors and 502/503/504 (GETs are idempotent).
 * Error messages never contain the URL (it holds the patient id) or the token.
 */
import type { FhirAccessLimits } from '../config/types.js';
import type { OutboundRequestContext, OutboundUrlPolicy } from './urlPolicy.js';

/**
 * The transport: the global `fetch`, a test stub, or the security guard's pinned fetch
 * (src/security/fhirServerGuard.ts `createGuardedFetch`), which all accept this call shape.
 */
export type FetchFn = (url: URL, init: { method: 'GET'; headers: Record<string, string>; redirect: 'manual'; signal: AbortSignal }) => Promise<Response>;

export type FhirReadErrorKind = 'policy' | 'timeout' | 'budget' | 'network' | 'redirect' | 'too-large' | 'invalid-json' | 'http';

export class FhirReadError extends Error {
  readonly kind: FhirReadErrorKind;
  readonly status?: number;
  constructor(kind: FhirReadErrorKind, message: string, status?: number) {
    super(message);
    this.name = 'FhirReadError';
    this.kind = kind;
    if (status !== undefined) this.status = status;
  }
}

/** Called once per FHIR request attempt sequence (for metrics); never given URLs or bodies. */
export type FhirRequestObserver = (e: { ok: boolean; seconds: number; status?: number; error?: FhirReadErrorKind }) => void;

export interface FhirReader {
  /** GET `url` and parse JSON. Resolves for any final status (the caller interprets 404 etc.). */
  getJson(url: URL): Promise<{ status: number; body: unknown }>;
  readonly limits: FhirAccessLimits;
}

export interface FhirReaderOptions {
  fetch: FetchFn;
  limits: FhirAccessLimits;
  accessToken?: string;
  policy: OutboundUrlPolicy;
  policyContext: OutboundRequestContext;
  /** Aborts when the hook call's FHIR budget is spent. */
  budget: AbortSignal;
  /** For jitter; injectable for tests. */
  random?: () => number;
  observe?: FhirRequestObserver;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);
const BACKOFF_BASE_MS = 50;

export function createFhirReader(opts: FhirReaderOptions): FhirReader {
  const random = opts.random ?? Math.random;
  const headers: Record<string, string> = { accept: 'application/fhir+json, application/json;q=0.9' };
  if (opts.accessToken) headers.authorization = `Bearer ${opts.accessToken}`;

  async function attempt(url: URL): Promise<{ status: number; body: unknown } | 'retry'> {
    const perRequest = AbortSignal.timeout(opts.limits.requestTimeoutMs);
    const signal = AbortSignal.any([perRequest, opts.budget]);
    let res: Response;
    try {
      // Raced with the signal: a transport that ignores it (or a DNS lookup inside it) cannot outlast the budget.
      res = await untilAborted(opts.fetch(url, { method: 'GET', headers, redirect: 'manual', signal }), signal, discardResponse);
    } catch (e) {
      if (opts.budget.aborted) throw new FhirReadError('budget', 'FHIR time budget exhausted');
      if (perRequest.aborted) throw new FhirReadError('timeout', `FHIR request timed out after ${opts.limits.requestTimeoutMs} ms`);
      const refusal = transportRefusal(e);
      if (refusal) throw refusal;
      return 'retry';
    }
    if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
      await discardResponse(res);
      throw new FhirReadError('redirect', `FHIR server answered a redirect (${res.status}); redirects are not followed`, res.status);
    }
    if (RETRYABLE_STATUS.has(res.status)) {
      await discardResponse(res);
      return 'retry';
    }
    const text = await readCapped(res, opts.limits.maxBytes, signal, perRequest, opts.budget);
    if (text.length === 0) return { status: res.status, body: undefined };
    try {
      return { status: res.status, body: JSON.parse(text) as unknown };
    } catch {
      throw new FhirReadError('invalid-json', `FHIR server sent a body that is not JSON (HTTP ${res.status})`, res.status);
    }
  }

  return {
    limits: opts.limits,
    async getJson(url) {
      const decision = await opts.policy(url, opts.policyContext);
      if (!decision.allowed) throw new FhirReadError('policy', `FHIR URL refused: ${decision.reason}`);
      const started = performance.now();
      const seconds = (): number => (performance.now() - started) / 1000;
      try {
        for (let i = 0; ; i++) {
          const result = await attempt(url);
          if (result !== 'retry') {
            opts.observe?.({ ok: result.status < 400, seconds: seconds(), status: result.status });
            return result;
          }
          if (i >= opts.limits.retries) throw new FhirReadError('network', 'FHIR server unreachable or unavailable');
          await sleep(BACKOFF_BASE_MS * 2 ** i * (0.5 + random()), opts.budget);
        }
      } catch (e) {
        opts.observe?.({ ok: false, seconds: seconds(), error: e instanceof FhirReadError ? e.kind : 'network' });
        throw e;
      }
    },
  };
}

/**
 * Errors a transport throws on purpose, which retrying cannot fix. The security guard's fetch
 * (src/security/fhirServerGuard.ts) refuses with `FetchNotAllowedError` before sending anything and
 * fails with `GuardedFetchError` (reason timeout | too-large | network). Matched by name, not class:
 * src/fhir may not import src/security (docs/architecture.md#import-rules), and a test transport can throw the same.
 * Anything else is treated as a network error (retried).
 */
function transportRefusal(e: unknown): FhirReadError | undefined {
  if (!(e instanceof Error)) return undefined;
  if (e.name === 'FetchNotAllowedError') {
    const reason = (e as Error & { reason?: unknown }).reason;
    return new FhirReadError('policy', `FHIR URL refused by the outbound guard${typeof reason === 'string' ? ` (${reason})` : ''}`);
  }
  if (e.name === 'GuardedFetchError') {
    const reason = (e as Error & { reason?: unknown }).reason;
    if (reason === 'too-large') return new FhirReadError('too-large', 'FHIR response larger than the byte limit');
    if (reason === 'timeout') return new FhirReadError('timeout', 'FHIR request timed out');
  }
  return undefined;
}

async function readCapped(res: Response, maxBytes: number, signal: AbortSignal, perRequest: AbortSignal, budget: AbortSignal): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await discardResponse(res);
    throw new FhirReadError('too-large', `FHIR response larger than ${maxBytes} bytes`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await untilAborted(reader.read(), signal);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw new FhirReadError('too-large', `FHIR response larger than ${maxBytes} bytes`);
      chunks.push(value);
    }
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    if (e instanceof FhirReadError) throw e;
    if (budget.aborted) throw new FhirReadError('budget', 'FHIR time budget exhausted');
    if (perRequest.aborted) throw new FhirReadError('timeout', 'FHIR response timed out');
    throw new FhirReadError('network', 'FHIR response was cut off');
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function discardResponse(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => undefined);
}

/**
 * `promise`, or a rejection as soon as `signal` aborts. A value that arrives after the abort is handed to
 * `onLate` (e.g. to release a response body) instead of being dropped unseen.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, onLate?: (value: T) => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      promise.then(onLate, () => undefined).catch(() => undefined);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new FhirReadError('budget', 'FHIR time budget exhausted'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new FhirReadError('budget', 'FHIR time budget exhausted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
