/**
 * One /health and one /ready (src/server/health.ts) in every composition: /health is liveness (200 while
 * the card memory is usable, whatever the readiness checks say), /ready names the failing checks.
 */
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { healthRouter } from '../../src/server/health.js';
import { buildApp, memoryCardMemory } from './helpers/testApp.js';

function app(readiness: () => Record<string, boolean> = () => ({ ok: true })): express.Express {
  const a = express();
  a.use(healthRouter({ readiness }));
  return a;
}

describe('healthRouter', () => {
  it('/health answers 200 whatever readiness says', async () => {
    const res = await request(app(() => ({ fixturesLoaded: false }))).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('/ready answers 200 when every check passes', async () => {
    const res = await request(app(() => ({ fixturesLoaded: true, schemasCompiled: true, feedbackStore: true }))).get('/ready').expect(200);
    expect(res.body.status).toBe('ready');
  });

  it('/ready answers 503 naming exactly the failing checks', async () => {
    const res = await request(app(() => ({ fixturesLoaded: true, schemasCompiled: false, feedbackStore: false }))).get('/ready').expect(503);
    expect(res.body.failing).toEqual(['schemasCompiled', 'feedbackStore']);
  });

  it('/ready answers 503 without internals when a check throws', async () => {
    const res = await request(
      app(() => {
        throw new Error('secret path /var/db');
      }),
    )
      .get('/ready')
      .expect(503);
    expect(res.body).toEqual({ status: 'not ready', failing: ['readiness'] });
  });
});

describe('the app serves the one /health and /ready', () => {
  it('a broken card memory fails /health and /ready; a failing extra check fails /ready only', async () => {
    const broken = buildApp({ cardMemory: { ...memoryCardMemory(), isReady: () => false } });
    expect((await request(broken).get('/health')).body).toEqual({ status: 'unavailable' });
    expect((await request(broken).get('/ready').expect(503)).body.failing).toEqual(['cardMemory']);

    const embeddedDown = buildApp({ cardMemory: memoryCardMemory(), readiness: () => ({ embeddedFhir: false }) });
    expect((await request(embeddedDown).get('/health').expect(200)).body).toEqual({ status: 'ok' });
    const ready = await request(embeddedDown).get('/ready').expect(503);
    expect(ready.body).toEqual({ status: 'not ready', failing: ['embeddedFhir'], checks: { cardMemory: true, embeddedFhir: false } });
  });

  it('no other module of src defines a /health route', () => {
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const defining = files(path.resolve('src')).filter((f) => /\.get\(\s*['"`]\/health['"`]/.test(fs.readFileSync(f, 'utf8')));
    expect(defining.map((f) => path.relative(path.resolve('src'), f))).toEqual([path.join('server', 'health.ts')]);
  });
});
