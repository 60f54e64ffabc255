/**
 * Worker-thread entry of the request pool (requestPool.ts): the same runServiceCall the main thread
 * runs for small bodies, with the real engine and no FHIR transport. A request that needs the FHIR
 * server gets its bytes back (moved, not copied) and the main thread runs it there.
 */
import { move } from 'piscina';
import type { MessagePort } from 'node:worker_threads';
import type { PendingOrder } from '../feedback/types.js';
import { runServiceCall, refuseFhirPolicy, type CallResult, type PatientIds, type WorkerTask } from './callCore.js';
import { realEngine } from './engine.js';

const noFetch = (): never => {
  throw new Error('no FHIR transport in a worker');
};

/** Asks the main thread, which holds the card memory, for the patient's pending orders. */
function pendingOrdersOver(port: MessagePort): (ids: PatientIds) => Promise<PendingOrder[]> {
  return (ids) =>
    new Promise((resolve) => {
      port.once('message', (orders: PendingOrder[]) => resolve(orders));
      port.postMessage(ids);
    });
}

export default async function handle(task: WorkerTask): Promise<CallResult | Uint8Array> {
  const { memoryPort, ...callTask } = task;
  try {
    const result = await runServiceCall(callTask, {
      engine: realEngine,
      fetchFor: () => noFetch,
      policy: refuseFhirPolicy(),
      ...(memoryPort ? { pendingOrders: pendingOrdersOver(memoryPort) } : {}),
    });
    return result.kind === 'needs-fhir' ? (move(callTask.bytes) as Uint8Array) : result;
  } finally {
    memoryPort?.close();
  }
}
