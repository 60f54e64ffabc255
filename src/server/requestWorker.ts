/**
 * Worker-thread entry of the request pool (requestPool.ts): the same runServiceCall the main thread
 * runs for small bodies, with the real engine and no FHIR transport. A request that needs the FHIR
 * server gets its bytes back (moved, not copied) and the main thread runs it there.
 */
import { move } from 'piscina';
import { runServiceCall, refuseFhirPolicy, type CallResult, type CallTask } from './callCore.js';
import { realEngine } from './engine.js';

const noFetch = (): never => {
  throw new Error('no FHIR transport in a worker');
};

export default async function handle(task: CallTask): Promise<CallResult | Uint8Array> {
  const result = await runServiceCall(task, { engine: realEngine, fetchFor: () => noFetch, policy: refuseFhirPolicy() });
  return result.kind === 'needs-fhir' ? (move(task.bytes) as Uint8Array) : result;
}
