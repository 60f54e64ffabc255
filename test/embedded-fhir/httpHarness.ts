/** Starts the embedded FHIR router on 127.0.0.1 with an ephemeral port, as the demo mounts it. */
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmbeddedFhir } from '../../src/embedded-fhir/index.js';
import type { EmbeddedFhir, EmbeddedFhirOptions } from '../../src/embedded-fhir/index.js';

export interface RunningFhir {
  fhir: EmbeddedFhir;
  base: string;
  close(): Promise<void>;
}

/**
 * `intercept` runs before the FHIR router on every /fhir request: a test can answer some requests
 * itself (a FHIR server failing writes) and pass the rest on with next().
 */
export async function startEmbeddedFhir(options: EmbeddedFhirOptions & { intercept?: express.RequestHandler } = {}): Promise<RunningFhir> {
  const { intercept, ...fhirOptions } = options;
  const fhir = await createEmbeddedFhir(fhirOptions);
  const app = express();
  if (intercept) app.use('/fhir', intercept);
  app.use('/fhir', fhir.router);
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  return {
    fhir,
    base: `http://127.0.0.1:${port}/fhir`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** GET (or any method) returning status, content type and parsed JSON body. */
export async function call(url: string, init: RequestInit = {}): Promise<{ status: number; type: string; body: any }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

export function ids(bundle: { entry?: { resource?: { id?: string } }[] }): string[] {
  return (bundle.entry ?? []).map((e) => e.resource?.id ?? '');
}
