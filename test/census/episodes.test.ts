/** Episode transitions (pure): when an episode opens, changes tier, resolves, and when that is notified. */
import { planApply, transition, type StoredEpisode } from '../../src/census/episodes.js';
import type { Tier } from '../../src/criteria/types.js';

const open = (tier: Tier, maxTier: Tier = tier): StoredEpisode => ({ id: 'e1', metAt: '2026-06-10T00:00:00.000Z', tier, maxTier, tierChanges: [{ at: '2026-06-10T00:00:00.000Z', tier }] });

describe('transition', () => {
  it.each<[string, StoredEpisode | undefined, Tier, string, boolean | undefined]>([
    ['nothing -> none', undefined, 'none', 'none', undefined],
    ['nothing -> watch (not the picture)', undefined, 'watch', 'none', undefined],
    ['nothing -> warning opens, notifies', undefined, 'warning', 'open', true],
    ['nothing -> critical opens, notifies', undefined, 'critical', 'open', true],
    ['warning -> warning unchanged', open('warning'), 'warning', 'none', undefined],
    ['warning -> critical rises, notifies', open('warning'), 'critical', 'change', true],
    ['critical -> warning falls, silent', open('critical'), 'warning', 'change', false],
    ['back to critical after a fall: already notified', open('warning', 'critical'), 'critical', 'change', false],
    ['warning -> watch resolves', open('warning'), 'watch', 'resolve', undefined],
    ['critical -> none resolves', open('critical'), 'none', 'resolve', undefined],
  ])('%s', (_name, episode, tier, kind, notify) => {
    const t = transition(episode, tier);
    expect(t.kind).toBe(kind);
    expect('notify' in t ? t.notify : undefined).toBe(notify);
  });
});

describe('planApply', () => {
  const ids = (): (() => string) => {
    let n = 0;
    return () => `id${++n}`;
  };

  it('opens an episode with the first corticosteroid/anakinra given at or after the picture was met', () => {
    const plan = planApply('p1', 'watch', undefined, 'warning', '2026-06-12T10:00:00.000Z', ['2026-06-05T10:00:00Z', '2026-06-12T18:00:00Z', '2026-06-13T09:00:00Z'], ids());
    expect(plan.notifications).toEqual([{ episodeId: 'id1', kind: 'new-picture', tier: 'warning', previousTier: 'watch', dedupeKey: 'id1:warning' }]);
    expect(plan.episode?.row).toMatchObject({ metAt: '2026-06-12T10:00:00.000Z', firstTreatmentAt: '2026-06-12T18:00:00.000Z' });
    expect(plan.openEpisodeId).toBe('id1');
  });

  it('a rise notifies once per (episode, tier); resolution closes the episode', () => {
    const rise = planApply('p1', 'warning', open('warning'), 'critical', '2026-06-13T00:00:00.000Z', [], ids());
    expect(rise.notifications.map((n) => n.dedupeKey)).toEqual(['e1:critical']);
    expect(rise.episode?.row.maxTier).toBe('critical');
    const resolved = planApply('p1', 'critical', open('critical'), 'watch', '2026-06-20T00:00:00.000Z', [], ids());
    expect(resolved.openEpisodeId).toBeUndefined();
    expect(resolved.episode?.row.resolvedAt).toBe('2026-06-20T00:00:00.000Z');
    expect(resolved.notifications).toEqual([]);
  });
});
