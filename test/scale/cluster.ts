/**
 * The scale test's cluster: service processes in production mode (JWT on, PostgreSQL store) started
 * from the transpiled sources, and a loopback round-robin proxy in front of them that, like a load
 * balancer's "next upstream on connection error", retries a request once on the other instance when
 * its instance refuses the connection (a request that reached an instance that then died gets 502 from
 * the proxy, never a retry). Every answer carries `x-upstream`: the instance that answered, or `proxy:…`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import path from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Instance {
  name: string;
  port: number;
  process?: ChildProcess;
  /** Output kept for the failure message. */
  output: string[];
}

/** Starts `entry` (transpiled instance.js) with `env` and resolves once it prints `listening <port>`. */
export function startInstance(instance: Instance, entry: string, env: Record<string, string>, timeoutMs = 45_000): Promise<void> {
  const child = spawn(process.execPath, [entry], { cwd: path.dirname(entry), env: { ...env, PORT: String(instance.port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  instance.process = child;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${instance.name} did not start in ${timeoutMs} ms:\n${instance.output.join('')}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      instance.output.push(text);
      if (instance.output.length > 200) instance.output.shift();
      if (/^listening \d+$/m.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${instance.name} exited (${code ?? signal}) before listening:\n${instance.output.join('')}`));
    });
  });
}

/** SIGTERM (graceful) or SIGKILL; resolves when the process is gone. */
export function stopInstance(instance: Instance, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const child = instance.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export interface Proxy {
  url: string;
  close(): Promise<void>;
}

/** Round-robin over `upstreams`; one retry on the next upstream when the chosen one cannot be reached. */
export async function startProxy(upstreams: Instance[]): Promise<Proxy> {
  let next = 0;
  const agent = new http.Agent({ keepAlive: false });
  const forward = (upstream: Instance, req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1', 'x-forwarded-proto': 'https' };
      const out = http.request({ host: '127.0.0.1', port: upstream.port, method: req.method, path: req.url, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void (async () => {
      const body = Buffer.concat(chunks);
      const first = next++ % upstreams.length;
      for (let attempt = 0; attempt < upstreams.length; attempt++) {
        const upstream = upstreams[(first + attempt) % upstreams.length];
        if (!upstream) break;
        try {
          const answer = await forward(upstream, req, body);
          res.writeHead(answer.status, { ...answer.headers, 'x-upstream': upstream.name, connection: 'close' });
          res.end(answer.body);
          return;
        } catch (error) {
          // Refused: the request never reached that instance, so the next one may take it. Anything
          // else (reset mid-request): it may have been processed, so the client is told (502), as a
          // load balancer does for non-idempotent requests.
          if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') continue;
          res.writeHead(502, { 'content-type': 'text/plain', 'x-upstream': `proxy:${upstream.name}-lost` }).end('upstream lost\n');
          return;
        }
      }
      res.writeHead(502, { 'content-type': 'text/plain', 'x-upstream': 'proxy:none' }).end('no upstream\n');
    })());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
