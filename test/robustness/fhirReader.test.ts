/**
 * How the bounded FHIR reader classifies transport failures (issue 9): refusals of the security guard and
 * byte-limit/timeout failures are final (never retried); only network errors and 502/503/504 are retried;
 * a transport that ignores the abort signal still cannot outlast the per-request timeout or the budget.
 */
import { defaultConfig } from '../../src/config/defaults.js';
import { FhirReadError, createFhirReader, type FetchFn } from '../../src/fhir/http.js';
import { defaultUrlPolicy } from '../../src/fhir/urlPolicy.js';
import { FetchNotAllowedError, GuardedFetchError } from '../../src/security/fhirServerGuard.js';

const URL_UNDER_TEST = new URL('http://127.0.0.1:9/fhir/Patient/p1');

function reader(fetchFn: FetchFn, opts: { requestTimeoutMs?: number; retries?: number; budgetMs?: number } = {}) {
  return createFhirReader({
    fetch: fetchFn,
    limits: { ...defaultConfig('test').fhir, requestTimeoutMs: opts.requestTimeoutMs ?? 500, retries: opts.retries ?? 3 },
    policy: defaultUrlPolicy({ allowInsecureLoopback: true }),
    policyContext: { fhirServer: 'http://127.0.0.1:9/fhir' },
    budget: AbortSignal.timeout(opts.budgetMs ?? 5000),
    random: () => 0,
  });
}

/** A transport that throws `error` on every call and counts the calls (nothing is sent anywhere). */
function throwing(error: unknown): { fetch: FetchFn; calls: () => number } {
  let calls = 0;
  return {
    fetch: () => {
      calls++;
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    calls: () => calls,
  };
}

test.each([
  ['guard refusal (cross-origin)', 'policy', new FetchNotAllowedError('cross-origin', 'x is not the origin of fhirServer')],
  ['guard refusal (blocked address)', 'policy', new FetchNotAllowedError('blocked-address', 'host resolves to a private address')],
  ['guard byte limit', 'too-large', new GuardedFetchError('too-large', 'answer exceeds 10 bytes')],
  ['guard timeout', 'timeout', new GuardedFetchError('timeout', 'no answer in 500 ms')],
] as const)('%s -> FhirReadError(%s), not retried', async (_name, kind, error) => {
  const t = throwing(error);
  const err = await reader(t.fetch).getJson(URL_UNDER_TEST).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(FhirReadError);
  expect((err as FhirReadError).kind).toBe(kind);
  expect(t.calls()).toBe(1);
});

test('a policy refusal names the guard reason, never the URL', async () => {
  const err = (await reader(throwing(new FetchNotAllowedError('cross-origin', 'http://127.0.0.1:9/fhir/Patient/p1')).fetch)
    .getJson(URL_UNDER_TEST)
    .catch((e: unknown) => e)) as Error;
  expect(err.message).toContain('cross-origin');
  expect(err.message).not.toContain('p1');
});

test.each([
  { name: 'guard network error', error: new GuardedFetchError('network', 'request failed') },
  { name: 'fetch TypeError (connection refused)', error: new TypeError('fetch failed') },
  { name: 'a non-Error rejection', error: 'boom' },
])('$name is retried (retries + 1 attempts), then a network error', async ({ error }) => {
  const t = throwing(error);
  await expect(reader(t.fetch, { retries: 2 }).getJson(URL_UNDER_TEST)).rejects.toMatchObject({ kind: 'network' });
  expect(t.calls()).toBe(3);
});

test('a transport that ignores the abort signal is cut off at the per-request timeout', async () => {
  const started = performance.now();
  const never: FetchFn = () => new Promise<Response>(() => undefined);
  await expect(reader(never, { requestTimeoutMs: 150, retries: 0 }).getJson(URL_UNDER_TEST)).rejects.toMatchObject({ kind: 'timeout' });
  expect(performance.now() - started).toBeLessThan(1000);
});

test('a transport that ignores the abort signal cannot outlast the budget', async () => {
  const started = performance.now();
  const never: FetchFn = () => new Promise<Response>(() => undefined);
  await expect(reader(never, { requestTimeoutMs: 10_000, budgetMs: 200 }).getJson(URL_UNDER_TEST)).rejects.toMatchObject({ kind: 'budget' });
  expect(performance.now() - started).toBeLessThan(1000);
});

test('a body stream that never ends (and ignores the signal) is cut off at the per-request timeout', async () => {
  let cancelled = false;
  const stalled: FetchFn = () =>
    Promise.resolve(
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"resourceType":'));
          },
          cancel() {
            cancelled = true;
          },
        }),
        { status: 200 },
      ),
    );
  await expect(reader(stalled, { requestTimeoutMs: 150, retries: 0 }).getJson(URL_UNDER_TEST)).rejects.toMatchObject({ kind: 'timeout' });
  expect(cancelled).toBe(true);
});

test('a response that arrives after the budget ran out has its body released', async () => {
  let cancelled = false;
  const late: FetchFn = () =>
    new Promise<Response>((resolve) =>
      setTimeout(
        () =>
          resolve(
            new Response(
              new ReadableStream<Uint8Array>({
                cancel() {
                  cancelled = true;
                },
              }),
            ),
          ),
        300,
      ),
    );
  await expect(reader(late, { requestTimeoutMs: 10_000, budgetMs: 100 }).getJson(URL_UNDER_TEST)).rejects.toMatchObject({ kind: 'budget' });
  await new Promise((r) => setTimeout(r, 400));
  expect(cancelled).toBe(true);
});
