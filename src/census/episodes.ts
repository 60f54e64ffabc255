/**
 * Episode transitions, pure: the stores call this inside their transaction. An episode opens when the
 * picture is first met (tier warning or critical), records every tier change, and resolves when a cycle
 * no longer sees the picture. A notification goes out when an episode opens and when the tier rises
 * above the highest tier already notified in that episode, never for an unchanged (or falling) state.
 */
import type { Tier } from '../criteria/types.js';
import type { EpisodeSummary } from './types.js';

export const TIER_RANK: Readonly<Record<Tier, number>> = { none: 0, watch: 1, warning: 2, critical: 3 };

export function pictureMet(tier: Tier): boolean {
  return TIER_RANK[tier] >= TIER_RANK.warning;
}

export type Transition =
  | { kind: 'none' }
  | { kind: 'open'; tier: Tier; notify: true }
  | { kind: 'change'; tier: Tier; from: Tier; notify: boolean }
  | { kind: 'resolve'; from: Tier };

export function transition(open: EpisodeSummary | undefined, tier: Tier): Transition {
  const met = pictureMet(tier);
  if (!open) return met ? { kind: 'open', tier, notify: true } : { kind: 'none' };
  if (!met) return { kind: 'resolve', from: open.tier };
  if (tier === open.tier) return { kind: 'none' };
  return { kind: 'change', tier, from: open.tier, notify: TIER_RANK[tier] > TIER_RANK[open.maxTier] };
}

/** The first time at or after `metAt` in `times` (ISO 8601), if any. */
export function firstAtOrAfter(times: readonly string[], metAt: string): string | undefined {
  const start = Date.parse(metAt);
  let best: number | undefined;
  for (const t of times) {
    const ms = Date.parse(t);
    if (Number.isFinite(ms) && ms >= start && (best === undefined || ms < best)) best = ms;
  }
  return best === undefined ? undefined : new Date(best).toISOString();
}

/** The stored form of an open episode as the stores read it. */
export interface StoredEpisode {
  id: string;
  metAt: string;
  tier: Tier;
  maxTier: Tier;
  tierChanges: { at: string; tier: Tier }[];
  firstTreatmentAt?: string;
}

export interface EpisodeWrite {
  id: string;
  patientId: string;
  metAt: string;
  tier: Tier;
  maxTier: Tier;
  tierChanges: { at: string; tier: Tier }[];
  resolvedAt?: string;
  firstTreatmentAt?: string;
}

export interface NotificationDraft {
  episodeId: string;
  kind: 'new-picture' | 'higher-tier';
  tier: Tier;
  previousTier: Tier;
  /** One notification per (episode, tier): the stores' unique key, so a state is never notified twice. */
  dedupeKey: string;
}

export interface ApplyPlan {
  /** Episode to insert (`insert`) or update (`update`). */
  episode?: { op: 'insert' | 'update'; row: EpisodeWrite };
  notifications: NotificationDraft[];
  /** The patient's open episode after this evaluation. */
  openEpisodeId?: string;
}

/** What one evaluation changes, given the previous tier and the open episode (both stores run this). */
export function planApply(
  patientId: string,
  previousTier: Tier,
  open: StoredEpisode | undefined,
  tier: Tier,
  at: string,
  treatments: readonly string[],
  newId: () => string,
): ApplyPlan {
  const t = transition(open, tier);
  if (t.kind === 'open') {
    const id = newId();
    const firstTreatmentAt = firstAtOrAfter(treatments, at);
    return {
      episode: { op: 'insert', row: { id, patientId, metAt: at, tier, maxTier: tier, tierChanges: [{ at, tier }], ...(firstTreatmentAt ? { firstTreatmentAt } : {}) } },
      notifications: [{ episodeId: id, kind: 'new-picture', tier, previousTier, dedupeKey: `${id}:${tier}` }],
      openEpisodeId: id,
    };
  }
  if (!open) return { notifications: [] };
  const firstTreatmentAt = open.firstTreatmentAt ?? firstAtOrAfter(treatments, open.metAt);
  const base: EpisodeWrite = { ...open, patientId, ...(firstTreatmentAt ? { firstTreatmentAt } : {}) };
  if (t.kind === 'change') {
    const maxTier = TIER_RANK[tier] > TIER_RANK[open.maxTier] ? tier : open.maxTier;
    return {
      episode: { op: 'update', row: { ...base, tier, maxTier, tierChanges: [...open.tierChanges, { at, tier }] } },
      notifications: t.notify ? [{ episodeId: open.id, kind: 'higher-tier', tier, previousTier: t.from, dedupeKey: `${open.id}:${tier}` }] : [],
      openEpisodeId: open.id,
    };
  }
  if (t.kind === 'resolve') {
    return { episode: { op: 'update', row: { ...base, tier, tierChanges: [...open.tierChanges, { at, tier }], resolvedAt: at } }, notifications: [] };
  }
  return { episode: { op: 'update', row: base }, notifications: [], openEpisodeId: open.id };
}
