/**
 * Reused buffers for the bodies of hook calls evaluated on this thread. A fresh 0.25 MiB buffer costs
 * its page faults on first write: measured on the 2-core bench VM (Node 20, one run) 0.65 ms to allocate
 * and fill 263 KB fresh against 0.003 ms to refill a reused one, about a tenth of a typical call's CPU.
 * A body is bytes only until it is decoded to text (callCore.ts), so its buffer goes back here as soon
 * as the call is done with it. Bodies for the worker pool keep their own buffer (it is transferred).
 */

/** The smallest size class: below it a fresh buffer is cheap (a few pages). */
const MIN_CLASS_BYTES = 16 * 1024;

export interface BodyBuffers {
  /** Bodies of at most this many bytes are served from reused buffers. */
  readonly maxBytes: number;
  /** A buffer of exactly `length` bytes: reused when it fits, else undefined (the caller allocates). */
  acquire(length: number): Buffer | undefined;
  /** Gives a body back; a no-op for a buffer that did not come from acquire or was already released. */
  release(body: Uint8Array): void;
}

/**
 * `maxBytes`: the largest reused body (the inline limit of the worker pool: larger ones move away);
 * `perClass`: buffers kept per power-of-two size class (about the number of calls read at once).
 */
export function createBodyBuffers(options: { maxBytes: number; perClass?: number }): BodyBuffers {
  const perClass = Math.max(1, options.perClass ?? 16);
  const free = new Map<number, Buffer[]>();
  // The view handed out -> its whole buffer; deleted on release so a second release cannot pool it twice.
  const lent = new WeakMap<Uint8Array, Buffer>();
  const classOf = (length: number): number => {
    let size = MIN_CLASS_BYTES;
    while (size < length) size *= 2;
    return size;
  };
  return {
    maxBytes: options.maxBytes,
    acquire(length) {
      if (length < MIN_CLASS_BYTES || length > options.maxBytes) return undefined;
      const size = classOf(length);
      const whole = free.get(size)?.pop() ?? Buffer.allocUnsafeSlow(size);
      const view = whole.subarray(0, length);
      lent.set(view, whole);
      return view;
    },
    release(body) {
      const whole = lent.get(body);
      if (!whole) return;
      lent.delete(body);
      const list = free.get(whole.byteLength) ?? [];
      if (list.length < perClass) list.push(whole);
      free.set(whole.byteLength, list);
    },
  };
}
