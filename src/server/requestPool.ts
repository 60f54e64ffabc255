/**
 * A pool of worker threads (piscina) for the CPU work of large hook calls: JSON parsing, validation,
 * data gathering from the prefetch and the engine run off the event loop, so /health and small calls
 * stay fast while multi-megabyte bodies are processed. The queue in front of the workers is bounded:
 * when it is full the call is answered 503 with Retry-After at once, instead of growing the tail.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { MessageChannel } from 'node:worker_threads';
import type { PendingOrder } from '../feedback/types.js';
import type { CallResult, CallTask, PatientIds, WorkerTask } from './callCore.js';
import { OperationOutcomeError, outcomes } from '../http/outcomes.js';
import { createBodyAdmission, type BodyAdmission } from './bodyAdmission.js';

export interface RequestPoolOptions {
  /** Worker threads; default one less than the cores (at least one): the event loop keeps a core for I/O. */
  threads?: number;
  /** Calls waiting for a worker before new ones get 503; default 16. */
  maxQueue?: number;
  /** Bodies smaller than this run on the main thread (cheaper than a hand-off); default 512 KiB. */
  inlineBelowBytes?: number;
  /** Retry-After of the 503, seconds. */
  retryAfterSeconds?: number;
  /** Compiled worker module; default requestWorker.js next to this module. */
  workerFile?: string;
}

export interface RequestPool {
  readonly threads: number;
  readonly maxQueue: number;
  readonly inlineBelowBytes: number;
  /**
   * Gate for bodies of at least inlineBelowBytes, taken before they are read (bodyAdmission.ts):
   * two per worker (one processed, one read ahead), the rest of threads + maxQueue wait unread.
   */
  readonly admission: BodyAdmission;
  /** Retry-After (seconds) of the busy answer. */
  readonly retryAfterSeconds: number;
  /**
   * Runs the call in a worker. Resolves to the bytes (handed back) when the call needs the FHIR server;
   * rejects with a 503 OperationOutcomeError when the queue is full.
   */
  /** `pendingOrders` answers the worker's card-memory lookup on this thread (the store lives here). */
  run(task: CallTask, signal?: AbortSignal, pendingOrders?: (ids: PatientIds) => Promise<PendingOrder[]>): Promise<CallResult | Uint8Array>;
  /** Waits for running tasks, then stops the threads. */
  close(): Promise<void>;
}

/**
 * Measured on the bench (one run, busy 2-core machine): a typical 0.25 MiB call cost 13 ms CPU inline and
 * 18 ms through a worker, so such calls stay on the event loop; 4 MiB calls go to the pool.
 */
export const DEFAULT_INLINE_BELOW_BYTES = 512 * 1024;

/** The compiled worker next to this module, or undefined when running from TypeScript sources (ts-jest), which a worker thread cannot load. */
export function defaultWorkerFile(): string | undefined {
  const file = fileURLToPath(new URL('./requestWorker.js', import.meta.url));
  return fs.existsSync(file) ? file : undefined;
}

/** Pool settings from the environment: WORKER_THREADS (0 = no pool, every call inline), WORKER_QUEUE, WORKER_INLINE_BELOW (bytes). */
export function requestPoolOptionsFromEnv(env: Record<string, string | undefined>): RequestPoolOptions | undefined {
  const int = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
    return n;
  };
  const threads = int('WORKER_THREADS');
  if (threads === 0) return undefined;
  const maxQueue = int('WORKER_QUEUE');
  const inlineBelowBytes = int('WORKER_INLINE_BELOW');
  return { ...(threads !== undefined ? { threads } : {}), ...(maxQueue !== undefined ? { maxQueue } : {}), ...(inlineBelowBytes !== undefined ? { inlineBelowBytes } : {}) };
}

/** The pool, or undefined when no compiled worker exists (then every call runs inline, same code). */
export function createRequestPool(options: RequestPoolOptions = {}): RequestPool | undefined {
  const workerFile = options.workerFile ?? defaultWorkerFile();
  if (!workerFile) return undefined;
  // On the 2-core bench machine one worker beside the event loop gave more throughput, the same CPU per
  // call as inline and less memory than two workers competing with the event loop for the cores.
  const threads = Math.max(1, options.threads ?? os.availableParallelism() - 1);
  const maxQueue = Math.max(1, options.maxQueue ?? 16);
  const retryAfterSeconds = options.retryAfterSeconds ?? 1;
  const piscina = new Piscina<WorkerTask, CallResult | Uint8Array>({
    filename: workerFile,
    minThreads: threads,
    maxThreads: threads,
    maxQueue,
    idleTimeout: Number.POSITIVE_INFINITY,
    // The task awaits promises (gather); let the worker's event loop run between tasks.
    atomics: 'disabled',
  });
  // Same capacity as before (threads + maxQueue calls), but only `slots` of them hold their bytes here.
  const slots = Math.min(2 * threads, threads + maxQueue);
  const admission = createBodyAdmission({ slots, maxWaiting: threads + maxQueue - slots });
  return {
    threads,
    maxQueue,
    admission,
    retryAfterSeconds,
    inlineBelowBytes: options.inlineBelowBytes ?? DEFAULT_INLINE_BELOW_BYTES,
    async run(task, signal, pendingOrders) {
      // Full queue: refuse before copying anything.
      if (piscina.queueSize >= maxQueue) throw new OperationOutcomeError(outcomes.busy(retryAfterSeconds));
      // Move the body to the worker instead of copying it (a Buffer sharing a larger allocation is copied once).
      const owned = task.bytes.byteOffset === 0 && task.bytes.byteLength === task.bytes.buffer.byteLength ? task.bytes : new Uint8Array(task.bytes);
      // The card memory lives on this thread: the worker asks for pending orders over a port once it knows the patient.
      const channel = pendingOrders ? new MessageChannel() : undefined;
      if (channel && pendingOrders) {
        channel.port1.once('message', (ids: PatientIds) => {
          pendingOrders(ids).then(
            (orders) => channel.port1.postMessage(orders),
            () => channel.port1.postMessage([]),
          );
        });
      }
      const moved: WorkerTask = { ...task, bytes: owned, ...(channel ? { memoryPort: channel.port2 } : {}) };
      try {
        return await piscina.run(moved, {
          transferList: [owned.buffer as ArrayBuffer, ...(channel ? [channel.port2] : [])],
          ...(signal ? { signal } : {}),
        });
      } catch (e) {
        if (e instanceof Error && e.message === 'Task queue is at limit') throw new OperationOutcomeError(outcomes.busy(retryAfterSeconds));
        throw e;
      } finally {
        channel?.port1.close();
      }
    },
    close: () => piscina.close(),
  };
}
