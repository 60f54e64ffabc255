/** Bounds of the default JWKS fetcher (loopback servers only) and of the in-memory replay store. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDefaultFetchJwks, JwksUnavailableError } from '../../src/security/jwks.js';
import { MemoryReplayStore } from '../../src/security/replayStore.js';

describe('default JWKS fetcher', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/ok') res.end(JSON.stringify({ keys: [{ kty: 'EC' }] }));
      else if (req.url === '/big') res.end(JSON.stringify({ keys: [{ kty: 'EC', pad: 'x'.repeat(10_000) }] }));
      else if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
      else if (req.url === '/slow') setTimeout(() => res.end('{"keys":[]}'), 2_000).unref();
      else if (req.url === '/not-jwks') res.end('{"hello":1}');
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  // Loopback test server: allowed as in demo/test (the guard itself: test/security/metricsAndJwks.test.ts).
  const fetchJwks = createDefaultFetchJwks({ fetchTimeoutMs: 200, maxBytes: 2_048 }, { allowLoopback: true });

  test('reads a JWK Set', async () => {
    await expect(fetchJwks(`${base}/ok`)).resolves.toEqual({ keys: [{ kty: 'EC' }] });
  });

  test.each(['/big', '/redirect', '/slow', '/not-jwks', '/missing'])('%s -> JwksUnavailableError', async (path) => {
    const started = Date.now();
    await expect(fetchJwks(`${base}${path}`)).rejects.toBeInstanceOf(JwksUnavailableError);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe('MemoryReplayStore', () => {
  test('refuses a seen id until it expires', () => {
    const store = new MemoryReplayStore();
    expect(store.remember('a', 1_000, 0)).toBe(true);
    expect(store.remember('a', 1_000, 999)).toBe(false);
    expect(store.remember('a', 2_000, 1_000)).toBe(true);
  });

  test('bounded: expired ids make room; when full of live ids it fails closed', () => {
    const store = new MemoryReplayStore({ maxEntries: 2 });
    expect(store.remember('a', 100, 0)).toBe(true);
    expect(store.remember('b', 1_000, 0)).toBe(true);
    expect(store.remember('c', 1_000, 50)).toBe(false);
    expect(store.remember('c', 1_000, 100)).toBe(true);
    expect(store.size).toBe(2);
    expect(store.remember('b', 1_000, 100)).toBe(false);
  });
});
