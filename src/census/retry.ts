/**
 * One outbound write of a notification (webhook POST, FHIR Communication), retried with exponential
 * backoff and jitter within a run. A claim before each attempt counts it in the store and stops when the
 * write already succeeded elsewhere; network errors, 5xx, 408 and 429 are retried, any other refusal is
 * left for the next cycle. Logs carry the notification id, the status or error name and the attempt.
 */
import type { Logger } from '../server/logger.js';

export interface RetryPolicy {
  retries: number;
  backoffMs: number;
}

export interface RetriedWrite {
  id: string;
  /** Counts one attempt; false when the write already succeeded (nothing more to do). */
  claim(): Promise<boolean>;
  send(): Promise<Response>;
  succeeded(status: number): boolean;
  /** Records success. */
  done(): Promise<void>;
  /** Log messages for a refusal and for an unreachable target. */
  messages: { refused: string; failed: string };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True once the write succeeded (now or before). */
export async function writeWithRetry(w: RetriedWrite, policy: RetryPolicy, deps: { logger?: Logger; random?: () => number }): Promise<boolean> {
  const random = deps.random ?? Math.random;
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    if (attempt > 0) await sleep(policy.backoffMs * 2 ** (attempt - 1) * (0.5 + random()));
    if (!(await w.claim())) return true;
    try {
      const res = await w.send();
      await res.body?.cancel().catch(() => undefined);
      if (w.succeeded(res.status)) {
        await w.done();
        return true;
      }
      deps.logger?.warn({ notification: w.id, status: res.status, attempt: attempt + 1 }, w.messages.refused);
      // A 4xx other than 408/429 will not get better by retrying now.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) return false;
    } catch (e) {
      deps.logger?.warn({ notification: w.id, err: e instanceof Error ? e.name : 'error', attempt: attempt + 1 }, w.messages.failed);
    }
  }
  return false;
}
