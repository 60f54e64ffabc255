/**
 * The service route's body reader (src/server/rawBody.ts): with a Content-Length it fills one buffer
 * that owns its memory (so it moves to a worker uncopied); chunked, compressed, oversized and other
 * media types take express.raw's path; a client that goes away mid-body gets a 400, not a hang.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import { OperationOutcomeError, outcomes } from '../../src/http/outcomes.js';
import { createBodyAdmission } from '../../src/server/bodyAdmission.js';
import { errorHandler } from '../../src/server/errors.js';
import { createLogger } from '../../src/server/logger.js';
import { rawJsonBody } from '../../src/server/rawBody.js';

/** A POST over loopback written in the given pieces; resolves to the status. */
function post(port: number, headers: Record<string, string>, pieces: (string | Buffer)[]): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    for (const piece of pieces) req.write(piece);
    req.end();
  });
}

interface Seen {
  isBuffer: boolean;
  text: string;
  ownsMemory: boolean;
}

function app(limit = 1024): { app: express.Express; seen: Seen[]; errors: unknown[] } {
  const seen: Seen[] = [];
  const errors: unknown[] = [];
  const a = express();
  a.post('/', rawJsonBody(limit), (req, res) => {
    const body: unknown = req.body;
    const isBuffer = Buffer.isBuffer(body);
    seen.push({
      isBuffer,
      text: isBuffer ? body.toString('utf8') : '',
      ownsMemory: isBuffer && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength,
    });
    res.json({ ok: true });
  });
  a.use((err: unknown, _req: express.Request, _res: express.Response, next: express.NextFunction) => {
    errors.push(err);
    next(err);
  });
  a.use(errorHandler(createLogger({ level: 'silent' })));
  return { app: a, seen, errors };
}

test('a body with Content-Length arrives whole, in a buffer that owns its memory', async () => {
  const { app: a, seen } = app(1 << 20);
  const text = JSON.stringify({ hook: 'patient-view', pad: 'x'.repeat(200_000) });
  await request(a).post('/').set('content-type', 'application/json').send(text).expect(200);
  expect(seen).toEqual([{ isBuffer: true, text, ownsMemory: true }]);
});

test('an empty body is an empty buffer', async () => {
  const { app: a, seen } = app();
  await request(a).post('/').set('content-type', 'application/fhir+json').set('content-length', '0').send('').expect(200);
  expect(seen).toEqual([{ isBuffer: true, text: '', ownsMemory: true }]);
});

test('gzip is inflated and another media type leaves no body, as express.raw does', async () => {
  const { app: a, seen } = app();
  const server = a.listen(0, '127.0.0.1');
  try {
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const zipped = gzipSync('{"a":1}');
    expect(await post(port, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(zipped.length) }, [zipped])).toBe(200);
    expect(await post(port, { 'content-type': 'text/plain', 'content-length': '7' }, ['{"a":1}'])).toBe(200);
    expect(seen.map((s) => [s.isBuffer, s.text])).toEqual([
      [true, '{"a":1}'],
      [false, ''],
    ]);
  } finally {
    server.close();
  }
});

test('over the limit by Content-Length -> 413 body-too-large', async () => {
  const { app: a, seen } = app(10);
  const res = await request(a).post('/').set('content-type', 'application/json').send('{"a":"0123456789"}').expect(413);
  expect(res.body.issue[0].details.coding[0].code).toBe('body-too-large');
  expect(seen).toEqual([]);
});

test('a chunked body (no Content-Length) is read by express.raw', async () => {
  const { app: a, seen } = app();
  const server = a.listen(0, '127.0.0.1');
  try {
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const status = await post(port, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, ['{"a":', '1}']);
    expect(status).toBe(200);
    expect(seen).toEqual([{ isBuffer: true, text: '{"a":1}', ownsMemory: expect.any(Boolean) }]);
  } finally {
    server.close();
  }
});

test('a client that leaves mid-body: the handler never runs, the error is a 400 request.aborted', async () => {
  const { app: a, seen, errors } = app(1 << 20);
  const server = a.listen(0, '127.0.0.1');
  try {
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'content-type': 'application/json', 'content-length': '1000' } });
    req.on('error', () => undefined);
    req.write('{"a":"only part of it');
    await new Promise((r) => setTimeout(r, 100));
    req.destroy();
    const deadline = Date.now() + 5000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ status: 400, type: 'request.aborted' });
    expect(seen).toEqual([]);
  } finally {
    server.close();
  }
});

test('a large body waits unread for an admission slot; with the wait full it is refused 503 before it is read', async () => {
  const admission = createBodyAdmission({ slots: 1, maxWaiting: 1 });
  const read: string[] = [];
  let letFirstFinish: () => void = () => undefined;
  const firstHeld = new Promise<void>((r) => (letFirstFinish = r));
  const a = express();
  a.post(
    '/',
    rawJsonBody(1 << 20, undefined, { fromBytes: 1000, admission, busy: () => new OperationOutcomeError(outcomes.busy(1)) }),
    (req, res, next) => {
      const text = (req.body as Buffer).toString('utf8');
      read.push(text);
      // The first call holds its slot until the test lets it answer.
      (read.length === 1 ? firstHeld : Promise.resolve()).then(() => res.json({ ok: true }), next);
    },
  );
  a.use(errorHandler(createLogger({ level: 'silent' })));
  const server = a.listen(0, '127.0.0.1');
  try {
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const body = (n: number): string => JSON.stringify({ n, pad: 'x'.repeat(5000) });
    const first = post(port, { 'content-type': 'application/json', 'content-length': String(body(1).length) }, [body(1)]);
    await new Promise((r) => setTimeout(r, 50));
    const second = post(port, { 'content-type': 'application/json', 'content-length': String(body(2).length) }, [body(2)]);
    await new Promise((r) => setTimeout(r, 50));
    // Small bodies are not gated.
    expect(await post(port, { 'content-type': 'application/json', 'content-length': '7' }, ['{"a":1}'])).toBe(200);
    expect(admission.active).toBe(1);
    expect(admission.waiting).toBe(1);
    expect(await post(port, { 'content-type': 'application/json', 'content-length': String(body(3).length) }, [body(3)])).toBe(503);
    // The waiting body has not been read; once the first answers it is.
    expect(read).toEqual([body(1), '{"a":1}']);
    letFirstFinish();
    expect(await first).toBe(200);
    expect(await second).toBe(200);
    expect(read).toEqual([body(1), '{"a":1}', body(2)]);
    expect(admission.active).toBe(0);
  } finally {
    server.close();
  }
});
