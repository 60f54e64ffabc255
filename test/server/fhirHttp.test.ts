/** The bounded FHIR reader: byte cap, no redirects, retries only where reads are safe to repeat. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultConfig } from '../../src/config/defaults.js';
import { FhirReadError, createFhirReader } from '../../src/fhir/http.js';
import { defaultUrlPolicy } from '../../src/fhir/urlPolicy.js';
import { plainFetch } from './helpers/testApp.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

async function serve(handler: Handler): Promise<{ url: URL; hits: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => handler(req, res, ++n));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/fhir/Patient/p1`),
    hits: () => n,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

function reader(patch: Partial<ReturnType<typeof defaultConfig>['fhir']> = {}, budgetMs = 3000) {
  const limits = { ...defaultConfig('test').fhir, requestTimeoutMs: 500, retries: 2, ...patch };
  return createFhirReader({
    fetch: plainFetch,
    limits,
    policy: defaultUrlPolicy({ allowInsecureLoopback: true }),
    policyContext: { fhirServer: 'http://127.0.0.1/fhir' },
    budget: AbortSignal.timeout(budgetMs),
    random: () => 0.5,
  });
}

const json = (res: http.ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(body));
};

test('retries 503 then succeeds; 502/503/504 are the only retried statuses', async () => {
  const s = await serve((_q, res, n) => (n < 3 ? json(res, 503, {}) : json(res, 200, { resourceType: 'Patient', id: 'p1' })));
  try {
    const out = await reader().getJson(s.url);
    expect(out.status).toBe(200);
    expect(s.hits()).toBe(3);
  } finally {
    await s.close();
  }
});

test.each([400, 401, 404, 500])('HTTP %i is not retried', async (status) => {
  const s = await serve((_q, res) => json(res, status, { resourceType: 'OperationOutcome' }));
  try {
    expect((await reader().getJson(s.url)).status).toBe(status);
    expect(s.hits()).toBe(1);
  } finally {
    await s.close();
  }
});

test('gives up after the configured retries with a network error', async () => {
  const s = await serve((_q, res) => json(res, 502, {}));
  try {
    await expect(reader({ retries: 1 }).getJson(s.url)).rejects.toMatchObject({ kind: 'network' });
    expect(s.hits()).toBe(2);
  } finally {
    await s.close();
  }
});

test('redirects are not followed', async () => {
  const s = await serve((_q, res) => res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end());
  try {
    await expect(reader().getJson(s.url)).rejects.toMatchObject({ kind: 'redirect' });
    expect(s.hits()).toBe(1);
  } finally {
    await s.close();
  }
});

test('bodies over maxBytes are refused, declared or streamed', async () => {
  const big = JSON.stringify({ resourceType: 'Patient', text: 'x'.repeat(5000) });
  const declared = await serve((_q, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(big.length) }).end(big));
  const streamed = await serve((_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(big.slice(0, 3000));
    res.end(big.slice(3000));
  });
  try {
    await expect(reader({ maxBytes: 1000 }).getJson(declared.url)).rejects.toMatchObject({ kind: 'too-large' });
    await expect(reader({ maxBytes: 1000 }).getJson(streamed.url)).rejects.toMatchObject({ kind: 'too-large' });
    expect((await reader({ maxBytes: 10_000 }).getJson(streamed.url)).status).toBe(200);
  } finally {
    await declared.close();
    await streamed.close();
  }
});

test('a silent server times out per request, and error messages never carry the URL', async () => {
  const s = await serve(() => undefined);
  try {
    const err = await reader({ requestTimeoutMs: 100, retries: 0 }).getJson(s.url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FhirReadError);
    expect((err as FhirReadError).kind).toBe('timeout');
    expect((err as Error).message).not.toContain('p1');
  } finally {
    await s.close();
  }
});

test('the overall budget stops retries', async () => {
  const s = await serve((_q, res) => json(res, 503, {}));
  try {
    const started = Date.now();
    await expect(reader({ retries: 50 }, 300).getJson(s.url)).rejects.toMatchObject({ kind: 'budget' });
    expect(Date.now() - started).toBeLessThan(1000);
  } finally {
    await s.close();
  }
});

test('non-JSON bodies are an error, not a crash', async () => {
  const s = await serve((_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'));
  try {
    await expect(reader().getJson(s.url)).rejects.toMatchObject({ kind: 'invalid-json' });
  } finally {
    await s.close();
  }
});

test.each([
  ['https://fhir.example.org/r4', true, false],
  ['http://fhir.example.org/r4', false, false],
  ['http://127.0.0.1:8080/fhir', true, true],
  ['http://127.0.0.1:8080/fhir', false, false],
  ['http://localhost/fhir', true, true],
  ['https://user:pw@fhir.example.org/', false, true],
])('URL policy: %s allowed=%s (insecure loopback flag %s)', async (url, allowed, flag) => {
  const decision = await defaultUrlPolicy({ allowInsecureLoopback: flag })(new URL(url), { fhirServer: url });
  expect(decision.allowed).toBe(allowed);
});
