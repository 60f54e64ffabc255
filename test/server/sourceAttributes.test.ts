/**
 * ONC HTI-1 source attributes (docs/cds-hooks-conformance.md#source-attributes): a namespaced `extension` on each discovery
 * entry, and a public page per service that the cards' `source.url` points to, absolute, on this server
 * (or on publicBaseUrl when one is configured).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import request from 'supertest';
import type { CdsCard } from '../../src/cards/cdsHooks.js';
import { sourceAttributesExtension } from '../../src/cards/index.js';
import { hookDefinitionSchema } from '../../src/hooks/index.js';
import { realEngine } from '../../src/server/engine.js';
import { buildApp, patientViewRequest, testConfig } from './helpers/testApp.js';

const SERVICES = ['iec-hs-surveillance', 'iec-hs-order-select'];

describe('discovery extension', () => {
  test('each entry carries its source attributes and still validates as a service definition', async () => {
    const res = await request(buildApp()).get('/cds-services');
    const validate = new Ajv({ strict: true }).compile(hookDefinitionSchema);
    for (const id of SERVICES) {
      const entry = (res.body.services as { id: string; extension?: unknown }[]).find((s) => s.id === id);
      expect(entry?.extension).toEqual(sourceAttributesExtension(id));
      expect({ id, valid: validate(entry), errors: validate.errors ?? null }).toEqual({ id, valid: true, errors: null });
    }
  });
});

describe('GET /cds-services/{id}/source-attributes', () => {
  test.each(SERVICES)('%s: an HTML page with the 13 attributes, no JWT needed', async (id) => {
    const app = buildApp({ config: testConfig((c) => (c.auth.required = true)) });
    const res = await request(app).get(`/cds-services/${id}/source-attributes`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain(id);
    expect(res.text.match(/<tr><td>\d+<\/td>/g)).toHaveLength(13);
    // The page works under the CSP (no script, no inline style).
    expect(res.text).not.toMatch(/<script|style=/);
  });

  test('unknown service -> 404 OperationOutcome', async () => {
    const res = await request(buildApp()).get('/cds-services/nope/source-attributes');
    expect(res.status).toBe(404);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].details.coding[0].code).toBe('unknown-service');
  });
});

describe('card source links', () => {
  async function cardsFrom(app: ReturnType<typeof buildApp>): Promise<{ cards: CdsCard[]; origin: string; close: () => Promise<void> }> {
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const res = await fetch(`${origin}/cds-services/iec-hs-surveillance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patientViewRequest()) });
    expect(res.status).toBe(200);
    const { cards } = (await res.json()) as { cards: CdsCard[] };
    expect(cards.length).toBeGreaterThan(0);
    return { cards, origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }

  test('without publicBaseUrl: source.url is the absolute URL of the page on the server called, and it answers', async () => {
    const { cards, origin, close } = await cardsFrom(buildApp({ engine: realEngine }));
    try {
      for (const card of cards) {
        expect(card.source.url).toBe(`${origin}/cds-services/iec-hs-surveillance/source-attributes`);
      }
      const page = await fetch(cards[0]?.source.url ?? '');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Source attributes');
    } finally {
      await close();
    }
  });

  test('with publicBaseUrl (trailing slash): source.url is on the public base, whatever the Host header', async () => {
    const app = buildApp({ engine: realEngine, config: testConfig((c) => (c.publicBaseUrl = 'https://cds.example.org/')) });
    const { cards, close } = await cardsFrom(app);
    try {
      for (const card of cards) expect(card.source.url).toBe('https://cds.example.org/cds-services/iec-hs-surveillance/source-attributes');
    } finally {
      await close();
    }
  });
});
