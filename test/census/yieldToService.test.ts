/**
 * Background priority of the census: before a patient it waits while the event loop was busier than
 * `busyAbove` since the last check, at most `maxWaitMs`; an idle loop costs no wait; 1 never waits.
 * Driven by a scripted utilisation source, so no timing of this machine enters the assertions.
 */
import type { EventLoopUtilization } from 'node:perf_hooks';
import { createYield } from '../../src/census/yieldToService.js';

/** Each `elu(since)` call answers the next scripted utilisation. */
function scripted(utilisations: number[]): (since?: EventLoopUtilization) => EventLoopUtilization {
  const queue = [...utilisations];
  return (since) => ({ idle: 0, active: 0, utilization: since ? (queue.shift() ?? 0) : 0 });
}

describe('census yield to hook calls', () => {
  it('an idle loop: no wait', async () => {
    expect(await createYield({ busyAbove: 0.5, maxWaitMs: 1_000 }, scripted([0.1]))()).toBe(0);
  });

  it('at the threshold: no wait; just above: waits until the loop calms down', async () => {
    expect(await createYield({ busyAbove: 0.5, maxWaitMs: 1_000 }, scripted([0.5]))()).toBe(0);
    expect(await createYield({ busyAbove: 0.5, maxWaitMs: 1_000 }, scripted([0.51, 0.9, 0.2]))()).toBe(50);
  });

  it('a loop that stays busy: the wait stops at maxWaitMs, so the cycle still progresses', async () => {
    expect(await createYield({ busyAbove: 0.5, maxWaitMs: 100 }, scripted(Array<number>(100).fill(1)))()).toBe(100);
  });

  it('busyAbove 1 never waits', async () => {
    expect(await createYield({ busyAbove: 1, maxWaitMs: 1_000 }, scripted([1, 1, 1]))()).toBe(0);
  });
});
