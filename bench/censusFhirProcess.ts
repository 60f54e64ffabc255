/**
 * The EHR's FHIR server for the census benchmark row: the embedded FHIR server alone, in its own
 * process on loopback, as a real deployment has it (the EHR's FHIR server is never in our process).
 * Reports its port and, on request, its peak RSS to the parent over IPC.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createEmbeddedFhir } from '../src/embedded-fhir/index.js';

const fhir = await createEmbeddedFhir();
const app = express();
app.use('/fhir', fhir.router);
const server = app.listen(0, process.env.HOST ?? '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('message', (m: { cmd?: string }) => {
  if (m.cmd === 'stats') process.send?.({ maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), visited: fhir.repo.visited });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
