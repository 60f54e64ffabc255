/**
 * Seen-`jti` memory for replay protection. A token id is kept until the token itself can no longer be
 * accepted (exp + clock skew), so the store never needs to hold more than one token lifetime.
 */

export interface ReplayStore {
  /**
   * Records `id` until `expiresAtMs`. Answers false when `id` is already recorded and not yet expired
   * (a replay), or when the store cannot record it (fail closed).
   */
  remember(id: string, expiresAtMs: number, nowMs: number): boolean | Promise<boolean>;
}

/**
 * In-process store (one instance per process; use a shared store behind this interface when running
 * several instances). Bounded: when full of unexpired ids it refuses new ones rather than forgetting
 * old ones, because forgetting would let a replay through; only trusted issuers can mint ids, and
 * the per-client/per-issuer rate limits bound how fast they arrive.
 */
export class MemoryReplayStore implements ReplayStore {
  private readonly seen = new Map<string, number>();
  private readonly maxEntries: number;

  constructor(options: { maxEntries?: number } = {}) {
    this.maxEntries = options.maxEntries ?? 200_000;
  }

  get size(): number {
    return this.seen.size;
  }

  remember(id: string, expiresAtMs: number, nowMs: number): boolean {
    const known = this.seen.get(id);
    if (known !== undefined && known > nowMs) return false;
    if (known === undefined && this.seen.size >= this.maxEntries) {
      this.purgeExpired(nowMs);
      if (this.seen.size >= this.maxEntries) return false;
    }
    this.seen.set(id, expiresAtMs);
    return true;
  }

  private purgeExpired(nowMs: number): void {
    for (const [id, expiresAt] of this.seen) if (expiresAt <= nowMs) this.seen.delete(id);
  }
}
