/**
 * The full app (real engine, production transport = security guard's pinned fetch) on an ephemeral
 * loopback port, with the test-mode relaxed policy: plain http to loopback FHIR servers listed in
 * `fhir.openServers`. Every address here is loopback.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { AppConfig } from '../../src/config/types.js';
import { createApp, type AppDeps } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { ERROR_CODE_SYSTEM } from '../../src/http/outcomes.js';
import { FIXED_NOW, testConfig } from '../server/helpers/testApp.js';

export interface RunningApp {
  base: string;
  config: AppConfig;
  close(): Promise<void>;
}

/** Starts the app over real HTTP. `openServers` are the FHIR bases a request may name (no JWT in test mode). */
export async function startApp(openServers: string[], patch: (c: AppConfig) => void = () => undefined, deps: Partial<AppDeps> = {}): Promise<RunningApp> {
  const config = testConfig((c) => {
    c.fhir.openServers = openServers;
    patch(c);
  });
  const app = createApp({ config, logger: createLogger({ level: 'silent' }), now: () => FIXED_NOW, ...deps });
  const server = http.createServer(app);
  const sockets = trackSockets(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    config,
    close: () => closeServer(server, sockets),
  };
}

export function trackSockets(server: http.Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

export function closeServer(server: http.Server, sockets: Set<Socket>): Promise<void> {
  return new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
}

export interface HookAnswer {
  status: number;
  body: { cards?: unknown[]; resourceType?: string; issue?: { diagnostics?: string; details?: { text?: string; coding?: { system: string; code: string }[] } }[] };
  text: string;
  ms: number;
}

/** POSTs a hook request and times the answer. */
export async function callHook(base: string, serviceId: string, body: unknown): Promise<HookAnswer> {
  const started = performance.now();
  const res = await fetch(`${base}/cds-services/${serviceId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  return { status: res.status, body: JSON.parse(text) as HookAnswer['body'], text, ms };
}

export function errorCode(body: HookAnswer['body']): string | undefined {
  return body.issue?.[0]?.details?.coding?.find((c) => c.system === ERROR_CODE_SYSTEM)?.code;
}
