/**
 * The raw body of a hook call, read into one buffer of the declared Content-Length as the chunks
 * arrive. express.raw (raw-body) keeps every chunk and concatenates them at the end: for a 4 MiB body
 * that held the bytes twice and blocked the event loop for one 4 MiB copy (~4 ms per heavy call in
 * `node --cpu-prof` on the bench, one run, busy 2-core machine), and those copies triggered main-thread
 * GCs for external memory. Here each chunk is copied when it arrives and dropped, and the buffer owns
 * its memory, so it moves to a worker without a copy. Anything else (no Content-Length, a
 * Content-Encoding, a length over the limit, another media type) goes to express.raw unchanged, which
 * answers those cases as before (413, 415, inflation).
 */
import express, { type Request, type RequestHandler } from 'express';
import type { BodyAdmission } from './bodyAdmission.js';
import type { BodyBuffers } from './bodyBuffers.js';
import { JSON_MEDIA_TYPES } from './json.js';

/** An error the error handler maps like body-parser's (status and type). */
function bodyError(status: number, type: string, message: string): Error {
  return Object.assign(new Error(message), { status, type, expose: true });
}

function declaredLength(req: Request): number | undefined {
  const raw = req.headers['content-length'];
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

/** Large bodies wait for a slot before they are read (bodyAdmission.ts); a full wait is answered `busy()`. */
export interface LargeBodyGate {
  fromBytes: number;
  admission: BodyAdmission;
  busy: () => Error;
}

/**
 * `buffers`: reused buffers for bodies small enough to be evaluated on this thread; whoever consumes
 * `req.body` gives it back (serviceCall.ts). Without it every body gets a buffer of its own.
 * `gate`: bodies of at least `gate.fromBytes` are read only once admitted; the slot is held until
 * the response is done (or the client goes away).
 */
export function rawJsonBody(limit: number, buffers?: BodyBuffers, gate?: LargeBodyGate): RequestHandler {
  const fallback = express.raw({ limit, type: JSON_MEDIA_TYPES });
  const read = readDeclared(buffers);
  return (req, res, next) => {
    const length = declaredLength(req);
    const identity = (req.headers['content-encoding'] ?? 'identity').toLowerCase() === 'identity';
    if (length === undefined || length > limit || !identity || req.headers['transfer-encoding'] !== undefined || !req.is(JSON_MEDIA_TYPES)) {
      fallback(req, res, next);
      return;
    }
    if (!gate || length < gate.fromBytes) {
      read(req, length, next);
      return;
    }
    // Until admitted the body stays unread: Node stops reading the socket and TCP holds the sender back.
    const gone = new AbortController();
    let release: (() => void) | undefined;
    res.once('close', () => {
      gone.abort();
      release?.();
    });
    void gate.admission.acquire(gone.signal).then((granted) => {
      if (!granted) {
        next(gate.busy());
        return;
      }
      if (gone.signal.aborted) {
        granted();
        return;
      }
      release = granted;
      read(req, length, next);
    });
  };
}

/** Reads a body of the declared length into one buffer, then calls next (with an error if it falls short or overruns). */
function readDeclared(buffers: BodyBuffers | undefined): (req: Request, length: number, next: (err?: unknown) => void) => void {
  return (req, length, next) => {
    // Otherwise not from a pool: the buffer is the whole ArrayBuffer, so it can be transferred as it is.
    const body = buffers?.acquire(length) ?? Buffer.allocUnsafeSlow(length);
    let received = 0;
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
      if (error) {
        // Read off the rest so the connection can answer (body-parser does the same).
        req.resume();
        next(error);
        return;
      }
      req.body = body;
      next();
    };
    const onData = (chunk: Buffer): void => {
      if (received + chunk.length > length) {
        finish(bodyError(400, 'request.size.invalid', 'request size did not match content length'));
        return;
      }
      chunk.copy(body, received);
      received += chunk.length;
    };
    const onEnd = (): void => {
      finish(received === length ? undefined : bodyError(400, 'request.size.invalid', 'request size did not match content length'));
    };
    const onAbort = (): void => finish(bodyError(400, 'request.aborted', 'request aborted'));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onAbort);
    req.once('close', onAbort);
  };
}
