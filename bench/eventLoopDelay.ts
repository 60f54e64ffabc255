/**
 * Event-loop delay of a bench child process, sampled between two messages from the parent
 * ({eventLoop: 'start'} ... {eventLoop: 'read'}, answered with {eventLoop: {p50Ms, p99Ms, maxMs}}): how
 * long a ready callback (such as the /health handler) waited for the loop, measured inside the process,
 * so the client's own event loop and the network are not in the figure.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface EventLoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The histogram's timer fires every RESOLUTION_MS; that interval is subtracted, leaving the lateness. */
const RESOLUTION_MS = 2;

export function answerEventLoopDelay(): void {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const late = (ns: number): number => Number(Math.max(0, ns / 1e6 - RESOLUTION_MS).toFixed(1));
  process.on('message', (m: { eventLoop?: unknown }) => {
    if (m.eventLoop === 'start') {
      histogram.reset();
      histogram.enable();
    } else if (m.eventLoop === 'read') {
      histogram.disable();
      const delay: EventLoopDelay = { p50Ms: late(histogram.percentile(50)), p99Ms: late(histogram.percentile(99)), maxMs: late(histogram.max) };
      process.send?.({ eventLoop: delay });
    }
  });
}
