/**
 * The JWT replay cache in the card-memory database (table `seen_jti`): shared by every instance on the
 * same PostgreSQL, and surviving restarts on either database. One upsert decides: a row is written
 * when the id is new or its previous use has expired; zero rows written means a replay.
 */
import { createHash } from 'node:crypto';
import type { SqlDatabase } from './sql.js';
import type { ReplayStore } from '../security/replayStore.js';

/** Expired ids are deleted at most this often (per instance). */
const PURGE_INTERVAL_MS = 60_000;

export class SqlReplayStore implements ReplayStore {
  private lastPurgeMs = 0;

  constructor(
    private readonly db: SqlDatabase,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async remember(id: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    // Ids are issuer + NUL + jti (caller-chosen, up to 512 characters): store a fixed-size digest.
    const key = createHash('sha256').update(id).digest('hex');
    try {
      const purge = nowMs - this.lastPurgeMs >= PURGE_INTERVAL_MS;
      if (purge) this.lastPurgeMs = nowMs;
      // Its own transaction: on the single SQLite connection a bare statement could otherwise land
      // inside another caller's open transaction and be rolled back with it.
      const written = await this.db.transaction(async (tx) => {
        if (purge) await tx.run('DELETE FROM seen_jti WHERE expires_ms <= ?', [nowMs]);
        return tx.run(
          'INSERT INTO seen_jti (key, expires_ms) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_ms = excluded.expires_ms WHERE seen_jti.expires_ms <= ?',
          [key, Math.round(expiresAtMs), nowMs],
        );
      });
      return written > 0;
    } catch (error) {
      // Fail closed: a token that cannot be recorded could be replayed.
      this.onError(error);
      return false;
    }
  }
}
