/**
 * SSRF guard (docs/cds-hooks-conformance.md#checklist lines 14, 17-19; docs/cds-hooks-conformance.md#fhir-server-trust).
 *
 * Safety of this file: every refused case runs with a recording fake resolver (no DNS) and a recording
 * fake fetcher (no socket), and asserts the fetcher was never called. The real network is used only
 * against servers this file starts on 127.0.0.1 / 127.0.0.2.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultConfig } from '../../src/config/defaults.js';
import type { AppConfig, IssuerConfig } from '../../src/config/types.js';
import {
  assertFetchAllowed,
  createGuardedFetch,
  FetchNotAllowedError,
  fhirAuthorizationWithoutServer,
  GuardedFetchError,
  pinnedFetcher,
  type FetchRefusalReason,
  type Fetcher,
  type PinnedRequest,
  type ResolvedAddress,
} from '../../src/security/fhirServerGuard.js';

const PUBLIC_V4 = '93.184.216.34';
const FHIR = 'https://fhir.example.org/r4';

/** DNS stand-in: answers from a table, records every question, never touches the network. */
function fakeResolver(table: Record<string, string[]> = {}) {
  const calls: string[] = [];
  const resolver = async (host: string): Promise<ResolvedAddress[]> => {
    calls.push(host);
    const found = table[host];
    if (!found) throw new Error(`ENOTFOUND ${host}`);
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolver, calls };
}

/** Fetch stand-in: records and answers 200 without any I/O. */
function fakeFetcher() {
  const calls: Array<{ url: string; request: PinnedRequest }> = [];
  const fetcher: Fetcher = async (url, request) => {
    calls.push({ url: url.href, request });
    return new Response('{"resourceType":"Bundle"}', { status: 200 });
  };
  return { fetcher, calls };
}

function productionConfig(issuer: IssuerConfig): { config: AppConfig; issuer: IssuerConfig } {
  const config = defaultConfig('production');
  config.auth.issuers = [issuer];
  return { config, issuer };
}

const DEFAULT_DNS = { 'fhir.example.org': [PUBLIC_V4, '2606:2800:220:1::1'] };

async function refusedWith(reason: FetchRefusalReason, target: string, fhirServer: string, setup: { config: AppConfig; issuer?: IssuerConfig; tenant?: string }, dns: Record<string, string[]> = DEFAULT_DNS) {
  const { resolver } = fakeResolver(dns);
  const { fetcher, calls } = fakeFetcher();
  const guarded = createGuardedFetch({ fhirServer, ...setup }, { resolver, fetcher });
  const error = await guarded(target).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(calls).toHaveLength(0);
  expect(error).toBeInstanceOf(FetchNotAllowedError);
  expect((error as FetchNotAllowedError).reason).toBe(reason);
  // The message is safe to log: no path or query (patient ids live there).
  expect((error as Error).message).not.toMatch(/Patient|patient=/);
}

describe('checklist 19: internal targets are never fetched, even when an issuer lists them', () => {
  test.each<[string, FetchRefusalReason]>([
    ['https://127.0.0.1/r4', 'blocked-address'],
    ['https://127.8.9.10/r4', 'blocked-address'],
    ['https://169.254.169.254/latest', 'blocked-address'],
    ['https://10.1.2.3/r4', 'blocked-address'],
    ['https://172.16.0.9/r4', 'blocked-address'],
    ['https://192.168.0.10/r4', 'blocked-address'],
    ['https://100.64.0.1/r4', 'blocked-address'],
    ['https://0.0.0.0/r4', 'blocked-address'],
    ['https://[::1]/r4', 'blocked-address'],
    ['https://[::ffff:127.0.0.1]/r4', 'blocked-address'],
    ['https://[::ffff:8.8.8.8]/r4', 'blocked-address'],
    ['https://[fe80::1]/r4', 'blocked-address'],
    ['https://[fd00:ec2::254]/r4', 'blocked-address'],
    ['https://[fc00::5]/r4', 'blocked-address'],
    ['https://2130706433/r4', 'blocked-address'],
    ['https://0x7f.1/r4', 'blocked-address'],
    ['https://0177.0.0.1/r4', 'blocked-address'],
    ['https://metadata.google.internal/computeMetadata/v1', 'blocked-host-name'],
    ['https://localhost/r4', 'blocked-host-name'],
  ])('%s -> %s', async (server, reason) => {
    const setup = productionConfig({ iss: 'https://ehr.example.org', fhirServers: [server], jwks: { keys: [] } });
    await refusedWith(reason, `${server}/Patient/123`, server, setup);
  });

  test.each([
    ['resolves to loopback', ['127.0.0.1']],
    ['resolves to IPv6 loopback', ['::1']],
    ['resolves to metadata', ['169.254.169.254']],
    ['resolves to a private address', ['10.0.0.7']],
    ['one good and one private address (rebinding setup)', [PUBLIC_V4, '192.168.1.1']],
    ['resolves to an IPv4-mapped address', ['::ffff:10.0.0.1']],
  ])('a host name that %s is refused', async (_label, addresses) => {
    const server = 'https://innocent.example.org/r4';
    const setup = productionConfig({ iss: 'https://ehr.example.org', fhirServers: [server] });
    await refusedWith('blocked-address', `${server}/Patient/1`, server, setup, { 'innocent.example.org': addresses });
  });

  test('a host name that does not resolve is refused', async () => {
    const server = 'https://nowhere.example.org/r4';
    await refusedWith('unresolvable', `${server}/Patient/1`, server, productionConfig({ iss: 'i', fhirServers: [server] }), {});
  });

  test('an IP literal is checked without asking the resolver', async () => {
    const { resolver, calls } = fakeResolver({});
    const { config } = productionConfig({ iss: 'i', fhirServers: ['https://10.0.0.1/r4'] });
    await expect(assertFetchAllowed(new URL('https://10.0.0.1/r4/Patient'), { fhirServer: 'https://10.0.0.1/r4', issuer: config.auth.issuers[0], config }, resolver)).rejects.toThrow(FetchNotAllowedError);
    expect(calls).toHaveLength(0);
  });
});

describe('checklist 18/19: https and the list bound to the verified issuer (and tenant)', () => {
  const issuer: IssuerConfig = {
    iss: 'https://ehr.example.org',
    fhirServers: [FHIR],
    tenantFhirServers: { 'org-b': ['https://fhir-b.example.org/r4'] },
  };

  test.each<[string, string, FetchRefusalReason]>([
    ['non-https fhirServer', 'http://fhir.example.org/r4', 'scheme-not-allowed'],
    ['not on the list', 'https://other.example.org/r4', 'server-not-allowed'],
    ['longer path', 'https://fhir.example.org/r4x', 'server-not-allowed'],
    ['shorter path', 'https://fhir.example.org', 'server-not-allowed'],
    ['look-alike host', 'https://fhir.example.org.evil.example/r4', 'server-not-allowed'],
    ['other port', 'https://fhir.example.org:8443/r4', 'server-not-allowed'],
    ['credentials in URL', 'https://user:pw@fhir.example.org/r4', 'credentials-in-url'],
    ['query on the base', 'https://fhir.example.org/r4?x=1', 'invalid-url'],
    ['not a URL', 'fhir.example.org/r4', 'invalid-url'],
  ])('%s: %s -> %s', async (_label, fhirServer, reason) => {
    await refusedWith(reason, `${fhirServer.replace(/\?.*/, '')}/Patient/1`, fhirServer, { ...productionConfig(issuer) });
  });

  test.each([
    ['exact', FHIR],
    ['trailing slash', `${FHIR}/`],
    ['upper-case host and default port', 'https://FHIR.example.org:443/r4'],
  ])('allowed after normalization: %s', async (_label, fhirServer) => {
    const { resolver } = fakeResolver(DEFAULT_DNS);
    const { fetcher, calls } = fakeFetcher();
    const setup = productionConfig(issuer);
    const guarded = createGuardedFetch({ fhirServer, ...setup }, { resolver, fetcher });
    const res = await guarded(`${FHIR}/Observation?patient=123&code=2276-4`, { headers: { authorization: 'Bearer at' } });
    expect(res.status).toBe(200);
    expect(calls).toHaveLength(1);
    // The connection is told which checked address to use; limits come from config.fhir.
    expect(calls[0]?.request.address).toEqual({ address: PUBLIC_V4, family: 4 });
    expect(calls[0]?.request).toMatchObject({ timeoutMs: setup.config.fhir.requestTimeoutMs, maxBytes: setup.config.fhir.maxBytes, headers: { authorization: 'Bearer at' } });
  });

  test('tenant list replaces the issuer list for that tenant', async () => {
    const setup = productionConfig(issuer);
    const dns = { ...DEFAULT_DNS, 'fhir-b.example.org': [PUBLIC_V4] };
    await refusedWith('server-not-allowed', `${FHIR}/Patient/1`, FHIR, { ...setup, tenant: 'org-b' }, dns);
    const { resolver } = fakeResolver(dns);
    await expect(assertFetchAllowed(new URL('https://fhir-b.example.org/r4/Patient/1'), { fhirServer: 'https://fhir-b.example.org/r4', ...setup, tenant: 'org-b' }, resolver)).resolves.toHaveLength(1);
    // Other tenants keep the issuer list.
    await expect(assertFetchAllowed(new URL(`${FHIR}/Patient/1`), { fhirServer: FHIR, ...setup, tenant: 'org-a' }, resolver)).resolves.toHaveLength(2);
  });

  test('production without a verified issuer fetches nothing, openServers notwithstanding', async () => {
    const { config } = productionConfig(issuer);
    config.fhir.openServers = [FHIR];
    await refusedWith('server-not-allowed', `${FHIR}/Patient/1`, FHIR, { config });
  });

  test('mode with allowInsecureLoopback still refuses plain http to a public address', async () => {
    const config = defaultConfig('test');
    config.fhir.openServers = ['http://fhir.example.org/r4'];
    await refusedWith('blocked-address', 'http://fhir.example.org/r4/Patient/1', 'http://fhir.example.org/r4', { config });
  });

  test('mode: a loopback server not in openServers is refused', async () => {
    const config = defaultConfig('test');
    await refusedWith('server-not-allowed', 'http://127.0.0.1:9/fhir/Patient/1', 'http://127.0.0.1:9/fhir', { config });
  });

  test('allowInsecureLoopback has no effect in production mode', async () => {
    const setup = productionConfig({ iss: 'i', fhirServers: ['http://127.0.0.1:9/fhir'] });
    setup.config.fhir.allowInsecureLoopback = true;
    await refusedWith('scheme-not-allowed', 'http://127.0.0.1:9/fhir/Patient/1', 'http://127.0.0.1:9/fhir', setup);
  });
});

describe('checklist 14: paging links only on the origin of fhirServer', () => {
  const setup = productionConfig({ iss: 'i', fhirServers: [FHIR] });
  test.each([
    ['another host', 'https://evil.example.org/r4?_getpages=abc'],
    ['another port', 'https://fhir.example.org:8443/r4?_getpages=abc'],
    ['downgrade to http', 'http://fhir.example.org/r4?_getpages=abc'],
    ['metadata address', 'http://169.254.169.254/latest/meta-data'],
    ['credentials', 'https://u:p@fhir.example.org/r4?page=2'],
  ])('next link to %s is not followed', async (_label, next) => {
    const { resolver } = fakeResolver(DEFAULT_DNS);
    const { fetcher, calls } = fakeFetcher();
    const guarded = createGuardedFetch({ fhirServer: FHIR, ...setup }, { resolver, fetcher });
    await expect(guarded(next)).rejects.toBeInstanceOf(FetchNotAllowedError);
    expect(calls).toHaveLength(0);
  });

  test('same-origin next link is followed', async () => {
    const { resolver } = fakeResolver(DEFAULT_DNS);
    const { fetcher, calls } = fakeFetcher();
    const guarded = createGuardedFetch({ fhirServer: FHIR, ...setup }, { resolver, fetcher });
    await guarded('https://fhir.example.org/?_getpages=abc&_getpagesoffset=20');
    expect(calls).toHaveLength(1);
  });
});

describe('checklist 17: fhirAuthorization without fhirServer', () => {
  test.each([
    [{ fhirAuthorization: { access_token: 'x' } }, true],
    [{ fhirAuthorization: { access_token: 'x' }, fhirServer: '' }, true],
    [{ fhirAuthorization: { access_token: 'x' }, fhirServer: FHIR }, false],
    [{ fhirServer: FHIR }, false],
    [{ fhirAuthorization: null }, false],
    [{}, false],
    [null, false],
  ])('%j -> %s', (body, expected) => {
    expect(fhirAuthorizationWithoutServer(body)).toBe(expected);
  });
});

describe('pinned fetcher against loopback servers started here (test mode)', () => {
  let server: http.Server;
  let base: string;
  let port: number;
  const seen: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} host=${req.headers.host}`);
      if (req.url?.endsWith('/redirect')) res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
      else if (req.url?.endsWith('/big')) res.end('x'.repeat(4096));
      else if (req.url?.endsWith('/big-chunked')) {
        res.writeHead(200, { 'transfer-encoding': 'chunked' });
        for (let i = 0; i < 8; i++) res.write('y'.repeat(512));
        res.end();
      }
      else if (req.url?.endsWith('/slow')) setTimeout(() => res.end('late'), 2_000).unref();
      else res.writeHead(200, { 'content-type': 'application/fhir+json' }).end('{"resourceType":"Patient","id":"p1"}');
    });
    // 127.0.0.2: nothing listens on 127.0.0.1 at this port, so reaching the server proves the pinned address was used.
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://localhost:${port}/fhir`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function testConfig(maxBytes = 1024 * 1024, timeoutMs = 1_000): AppConfig {
    const config = defaultConfig('test');
    config.fhir.openServers = [base, `http://127.0.0.2:${port}/fhir`];
    config.fhir.maxBytes = maxBytes;
    config.fhir.requestTimeoutMs = timeoutMs;
    return config;
  }
  const pinTo127002 = fakeResolver({ localhost: ['127.0.0.2'] }).resolver;

  test('connects to the checked address, keeps the Host header of the URL', async () => {
    const guarded = createGuardedFetch({ fhirServer: base, config: testConfig() }, { resolver: pinTo127002 });
    const res = await guarded(`${base}/Patient/p1`, { headers: { accept: 'application/fhir+json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ resourceType: 'Patient', id: 'p1' });
    expect(seen[seen.length - 1]).toBe(`GET /fhir/Patient/p1 host=localhost:${port}`);
  });

  test('redirects are not followed', async () => {
    const guarded = createGuardedFetch({ fhirServer: base, config: testConfig() }, { resolver: pinTo127002 });
    const res = await guarded(`${base}/redirect`);
    expect(res.status).toBe(302);
  });

  test('answers over maxBytes are cut off', async () => {
    const guarded = createGuardedFetch({ fhirServer: base, config: testConfig(1024) }, { resolver: pinTo127002 });
    await expect(guarded(`${base}/big`)).rejects.toMatchObject({ name: 'GuardedFetchError', reason: 'too-large' });
    await expect(guarded(`${base}/big-chunked`)).rejects.toMatchObject({ name: 'GuardedFetchError', reason: 'too-large' });
  });

  test('a slow server is given up after requestTimeoutMs', async () => {
    const guarded = createGuardedFetch({ fhirServer: base, config: testConfig(1024, 150) }, { resolver: pinTo127002 });
    const started = Date.now();
    await expect(guarded(`${base}/slow`)).rejects.toBeInstanceOf(GuardedFetchError);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  test('IP literal URLs connect directly', async () => {
    const direct = `http://127.0.0.2:${port}/fhir`;
    const guarded = createGuardedFetch({ fhirServer: direct, config: testConfig() });
    expect((await guarded(`${direct}/Patient/p1`)).status).toBe(200);
  });

  test('pinnedFetcher alone uses the address it is given, not DNS', async () => {
    const res = await pinnedFetcher(new URL(`${base}/Patient/p1`), { address: { address: '127.0.0.2', family: 4 }, timeoutMs: 1_000, maxBytes: 1024 });
    expect(res.status).toBe(200);
  });
});
