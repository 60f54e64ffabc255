/**
 * The info card an overriding user sees instead of silence: "You overrode this at 02:14 EST (reason);
 * it returns if worse", in the site's time zone, under 140 characters whatever the reason, with the
 * suppressed card's source and links (the SMART app) and the scope said in words.
 */
import { overrideNoticeCard } from '../../src/cards/index.js';
import type { CdsCard } from '../../src/cards/cdsHooks.js';
import { checkCdsResponse } from '../../src/server/schemas/response.js';
import { sequentialIds } from './builders.js';

const suppressed: CdsCard = {
  summary: 'Possible IEC-HS, day 11 after CAR-T',
  indicator: 'warning',
  source: { label: 'IEC-HS CDS' },
  links: [{ label: 'Timeline and full evidence (SMART app)', url: 'https://cds.example.org/app/launch.html', type: 'smart' }],
};

describe('override notice', () => {
  it.each([
    ['site zone, with reason', { overriddenAt: '2026-01-15T07:14:00Z', reason: 'Already managed by the cellular therapy team', timeZone: 'America/New_York' }, 'You overrode this at 02:14 EST (Already managed by the cellular therapy team); it returns if worse'],
    ['summer time', { overriddenAt: '2026-07-15T06:14:00Z', timeZone: 'America/New_York' }, 'You overrode this at 02:14 EDT; it returns if worse'],
    ['no zone: UTC, labelled', { overriddenAt: '2026-07-15T06:14:00Z' }, 'You overrode this at 06:14 UTC; it returns if worse'],
  ])('%s', (_name, notice, summary) => {
    const card = overrideNoticeCard(suppressed, notice, sequentialIds());
    expect(card.summary).toBe(summary);
    expect(card.indicator).toBe('info');
    expect(card.links).toEqual(suppressed.links);
    expect(card.source).toEqual(suppressed.source);
    expect(checkCdsResponse({ cards: [card] })).toEqual([]);
  });

  it('a long reason is cut, the promise to return is kept, < 140 characters', () => {
    const card = overrideNoticeCard(suppressed, { overriddenAt: '2026-07-15T06:14:00Z', reason: 'r '.repeat(200) }, sequentialIds());
    expect(card.summary.length).toBeLessThan(140);
    expect(card.summary.endsWith('…); it returns if worse')).toBe(true);
  });

  it.each([
    [undefined, 'Hidden for you only: other clinicians still see this alert.'],
    ['encounter' as const, 'Hidden for everyone in this encounter.'],
    ['patient' as const, "Hidden for everyone who opens this patient's chart."],
  ])('scope %p is said in words', (scope, text) => {
    const card = overrideNoticeCard(suppressed, { overriddenAt: '2026-07-15T06:14:00Z', ...(scope ? { scope } : {}) }, sequentialIds());
    expect(card.detail).toBe(`${text} It comes back if the picture gets worse.`);
  });
});
