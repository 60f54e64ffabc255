/**
 * Test kit for the security tests: key pairs generated per run, tokens signed here, JWKS servers on
 * 127.0.0.1 (ephemeral ports) that count their hits, and a pino logger writing to memory.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import pino from 'pino';

export interface TestKey {
  alg: 'ES384' | 'RS384' | 'ES256' | 'RS256';
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeKey(alg: TestKey['alg'], kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicJwk };
}

export interface SignOptions {
  header?: Record<string, unknown>;
  /** Claims; `iat`/`exp` default to now / now+300 s from `nowSec`. */
  claims?: JWTPayload;
  nowSec: number;
}

export function sign(key: TestKey, { header = {}, claims = {}, nowSec }: SignOptions): Promise<string> {
  const payload: JWTPayload = { iat: nowSec, exp: nowSec + 300, jti: crypto.randomUUID(), ...claims };
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid, ...header }).sign(key.privateKey);
}

export const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** A loopback JSON server that counts requests; `body` can be changed between requests (key rotation). */
export interface CountingServer {
  url: string;
  hits: number;
  body: unknown;
  close(): Promise<void>;
}

export async function startJwksServer(body: unknown, path = '/jwks.json'): Promise<CountingServer> {
  const state = { hits: 0, body };
  const server = http.createServer((req, res) => {
    state.hits++;
    if (req.url !== path) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    get hits() {
      return state.hits;
    },
    set hits(v: number) {
      state.hits = v;
    },
    get body() {
      return state.body;
    },
    set body(v: unknown) {
      state.body = v;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** pino writing JSON lines to memory, at debug level so success logs are captured too. */
export function memoryLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}
