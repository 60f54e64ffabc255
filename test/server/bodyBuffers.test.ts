/**
 * Reused body buffers (src/server/bodyBuffers.ts): a released buffer serves the next body of its size
 * class, a body is never handed out twice while lent, and bodies outside the reused range get none.
 * Through rawJsonBody, consecutive bodies arrive whole and unmixed in the same memory.
 */
import express from 'express';
import request from 'supertest';
import { createBodyBuffers } from '../../src/server/bodyBuffers.js';
import { rawJsonBody } from '../../src/server/rawBody.js';

test('a released buffer is reused for the next body of its size class, never while lent', () => {
  const buffers = createBodyBuffers({ maxBytes: 512 * 1024 });
  const a = buffers.acquire(200_000);
  const b = buffers.acquire(200_000);
  expect(a?.byteLength).toBe(200_000);
  expect(b?.byteLength).toBe(200_000);
  expect(a?.buffer).not.toBe(b?.buffer);
  if (!a || !b) throw new Error('no buffer');
  buffers.release(a);
  // A second release of the same body must not put its memory in the pool twice.
  buffers.release(a);
  const c = buffers.acquire(150_000);
  const d = buffers.acquire(150_000);
  expect(c?.buffer).toBe(a.buffer);
  expect(d?.buffer).not.toBe(a.buffer);
  expect(d?.buffer).not.toBe(b.buffer);
});

test('bodies below the smallest class or above maxBytes get no reused buffer; foreign buffers are ignored', () => {
  const buffers = createBodyBuffers({ maxBytes: 100_000 });
  expect(buffers.acquire(100)).toBeUndefined();
  expect(buffers.acquire(100_001)).toBeUndefined();
  const own = Buffer.alloc(50_000);
  buffers.release(own);
  expect(buffers.acquire(50_000)?.buffer).not.toBe(own.buffer);
});

test('through rawJsonBody, bodies read into reused memory arrive whole and unmixed', async () => {
  const buffers = createBodyBuffers({ maxBytes: 512 * 1024 });
  const seen: { text: string; memory: ArrayBufferLike }[] = [];
  const a = express();
  a.post('/', rawJsonBody(1 << 20, buffers), (req, res) => {
    const body = req.body as Buffer;
    seen.push({ text: body.toString('utf8'), memory: body.buffer });
    buffers.release(body);
    res.json({ ok: true });
  });
  const first = JSON.stringify({ pad: 'a'.repeat(120_000) });
  const second = JSON.stringify({ pad: 'b'.repeat(100_000) });
  await request(a).post('/').set('content-type', 'application/json').send(first).expect(200);
  await request(a).post('/').set('content-type', 'application/json').send(second).expect(200);
  expect(seen.map((s) => s.text)).toEqual([first, second]);
  expect(seen[1]?.memory).toBe(seen[0]?.memory);
});
