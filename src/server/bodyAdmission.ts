/**
 * Admission of large bodies (those bound for the worker pool) before they are read. Reading a 4 MiB
 * body as soon as its headers arrive held every queued call's bytes on this thread: with ten
 * connections sending 4.3 MB bodies to one worker, ~9 bodies (~40 MB of array buffers) sat here while
 * the worker was busy, the largest item of the service's peak RSS on the heavy bench row. Here only
 * `slots` large bodies are read or processed at a time (enough to keep the workers fed); the others
 * wait unread, their bytes held back by TCP flow control in the kernel, and a call that would wait
 * behind `maxWaiting` others is refused at once, before its body is read.
 */

/** Gives the slot back; safe to call more than once. */
export type Release = () => void;

export interface BodyAdmission {
  readonly slots: number;
  readonly maxWaiting: number;
  /** Calls read or processed now / waiting for a slot (for tests and metrics). */
  readonly active: number;
  readonly waiting: number;
  /**
   * A slot, now or when one frees: resolves to its release, or to undefined when the wait is
   * full (answer busy). `cancelled` ends a wait early (the client went away): the promise then
   * never resolves and no slot is taken.
   */
  acquire(cancelled: AbortSignal): Promise<Release | undefined>;
}

export function createBodyAdmission(options: { slots: number; maxWaiting: number }): BodyAdmission {
  const slots = Math.max(1, options.slots);
  const maxWaiting = Math.max(0, options.maxWaiting);
  let active = 0;
  const waiters: ((release: Release) => void)[] = [];

  const grant = (): Release => {
    active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active -= 1;
      const next = waiters.shift();
      if (next) next(grant());
    };
  };

  return {
    slots,
    maxWaiting,
    get active() {
      return active;
    },
    get waiting() {
      return waiters.length;
    },
    acquire(cancelled) {
      if (active < slots && waiters.length === 0) return Promise.resolve(grant());
      if (waiters.length >= maxWaiting || cancelled.aborted) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const waiter = (release: Release): void => resolve(release);
        waiters.push(waiter);
        cancelled.addEventListener(
          'abort',
          () => {
            const at = waiters.indexOf(waiter);
            if (at >= 0) waiters.splice(at, 1);
          },
          { once: true },
        );
      });
    },
  };
}
