/**
 * The census is background work: hook calls, which a clinician waits for, go first. Before each patient
 * the cycle reads this process's event-loop utilisation since the previous check; while it is above
 * `busyAbove` (hook traffic, or the census itself running too hot), the patient waits in short steps,
 * at most `maxWaitMs`, so the census still progresses under sustained load. An idle service costs no
 * wait at all.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface YieldOptions {
  /** Event-loop utilisation (0-1) above which the next patient waits; 1 = never wait. */
  busyAbove: number;
  maxWaitMs: number;
}

const STEP_MS = 25;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createYield(opts: YieldOptions, elu: (since?: EventLoopUtilization) => EventLoopUtilization = (s) => performance.eventLoopUtilization(s)): () => Promise<number> {
  let mark = elu();
  return async () => {
    if (opts.busyAbove >= 1) return 0;
    let waited = 0;
    for (;;) {
      const now = elu();
      const busy = elu(mark).utilization;
      mark = now;
      // One shared mark: with several patients in flight each check sees the load since the last one.
      if (busy <= opts.busyAbove || waited >= opts.maxWaitMs) return waited;
      await sleep(STEP_MS);
      waited += STEP_MS;
    }
  };
}
