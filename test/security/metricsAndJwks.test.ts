/**
 * /metrics access (bearer token, or a separate loopback-bound port) and JWKS fetches through the same
 * outbound address guard as FHIR reads. docs/security.md "Metrics" and "Key sets" cite this file.
 */
import request from 'supertest';
import { defaultConfig } from '../../src/config/defaults.js';
import type { AppConfig } from '../../src/config/types.js';
import { createServiceApp, listenMetrics } from '../../src/cli/runtime.js';
import type { CardMemory } from '../../src/feedback/types.js';
import type { Fetcher, Resolver } from '../../src/security/fhirServerGuard.js';
import { createDefaultFetchJwks, JwksUnavailableError } from '../../src/security/jwks.js';
import { createLogger } from '../../src/server/logger.js';
import { startJwksServer } from './helpers.js';

const TOKEN = 'metrics-token-0123456789abcdef';

const memory: CardMemory = {
  pendingOrders: async () => [],
  filterAndRecord: async ({ cards }) => cards,
  recordFeedback: async () => 'unknown-card',
  isReady: () => true,
  close: async () => undefined,
};

function config(metrics: AppConfig['metrics']): AppConfig {
  const c = defaultConfig('test');
  c.metrics = metrics;
  return c;
}

describe('/metrics', () => {
  test('with a token: 401 without it or with a wrong one, 200 with it', async () => {
    const app = createServiceApp(config({ host: '127.0.0.1', token: TOKEN }), { logger: createLogger({ level: 'silent' }), cardMemory: memory });
    expect((await request(app).get('/metrics')).status).toBe(401);
    expect((await request(app).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789abcdef')).status).toBe(401);
    const ok = await request(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('# HELP');
  });

  test('with a metrics port: not served on the main port; served on the loopback port', async () => {
    const c = config({ host: '127.0.0.1', port: 0 });
    const app = createServiceApp(c, { logger: createLogger({ level: 'silent' }), cardMemory: memory });
    expect((await request(app).get('/metrics')).status).toBe(404);
    const server = await listenMetrics(c);
    try {
      const address = server?.address();
      expect(typeof address === 'object' && address ? address.address : '').toBe('127.0.0.1');
      const port = typeof address === 'object' && address ? address.port : 0;
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('# HELP');
    } finally {
      server?.close();
    }
  });
});

describe('JWKS fetches go through the outbound address guard', () => {
  const options = { fetchTimeoutMs: 1000, maxBytes: 64 * 1024 };
  const countingFetcher = (): { fetcher: Fetcher; calls: number } => {
    const state = { calls: 0, fetcher: (async () => {
      state.calls++;
      return new Response('{"keys":[]}', { status: 200 });
    }) as Fetcher };
    return state;
  };

  test.each([
    ['a private address', '10.1.2.3'],
    ['the metadata address', '169.254.169.254'],
    ['loopback', '127.0.0.1'],
    ['an IPv4-mapped loopback', '::ffff:127.0.0.1'],
  ])('a jku host resolving to %s is refused before anything is sent', async (_label, address) => {
    const resolver: Resolver = async () => [{ address, family: address.includes(':') ? 6 : 4 }];
    const f = countingFetcher();
    const fetchJwks = createDefaultFetchJwks(options, { allowLoopback: false, resolver, fetcher: f.fetcher });
    await expect(fetchJwks('https://keys.example.org/jwks.json')).rejects.toBeInstanceOf(JwksUnavailableError);
    expect(f.calls).toBe(0);
  });

  test('plain http is refused outside demo/test; a public https host is fetched at the checked address', async () => {
    const seen: string[] = [];
    const fetcher: Fetcher = async (url, req) => {
      seen.push(`${url.host} -> ${req.address.address}`);
      return new Response('{"keys":[]}', { status: 200 });
    };
    const resolver: Resolver = async () => [{ address: '93.184.216.34', family: 4 }];
    const fetchJwks = createDefaultFetchJwks(options, { allowLoopback: false, resolver, fetcher });
    await expect(fetchJwks('http://keys.example.org/jwks.json')).rejects.toBeInstanceOf(JwksUnavailableError);
    expect(seen).toEqual([]);
    await expect(fetchJwks('https://keys.example.org/jwks.json')).resolves.toEqual({ keys: [] });
    expect(seen).toEqual(['keys.example.org -> 93.184.216.34']);
  });

  test('a loopback key server is reachable only when loopback is allowed (demo/test)', async () => {
    const server = await startJwksServer({ keys: [] });
    try {
      await expect(createDefaultFetchJwks(options, { allowLoopback: false })(server.url)).rejects.toBeInstanceOf(JwksUnavailableError);
      expect(server.hits).toBe(0);
      await expect(createDefaultFetchJwks(options, { allowLoopback: true })(server.url)).resolves.toEqual({ keys: [] });
      expect(server.hits).toBe(1);
    } finally {
      await server.close();
    }
  });
});
