/**
 * patient-view when the infusion records were not read in full and no infusion was found: one passive
 * info card says the IEC-HS check could not be done (patients are watched only after a recorded infusion;
 * README "What is required": procedures and medicationAdministrations hold the infusion evidence).
 * Both sides: complete data, or only optional items missing, on a non-CAR-T patient stays silent.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { patientViewCards, readCardMeta, type CardContext } from '../../src/cards/index.js';
import { INCOMPLETE_CHECK_SUMMARY, INFUSION_RECORD_ITEMS } from '../../src/cards/incompleteCheck.js';
import { patientDataFromBundle } from '../../src/fhir/bundle.js';
import { evaluate } from '../../src/criteria/index.js';
import { buildTimeline } from '../../src/features/index.js';
import { REQUIRED_DATA_ITEMS } from '../../src/fhir/dataItems.js';
import type { Manifest } from '../../src/fixtures/manifest.js';
import { evaluation, sequentialIds, type EvaluationOptions } from './builders.js';
import { expectValidCards } from './cardChecks.js';

const ctx = (missing?: string[]): CardContext => ({
  serviceId: 'iec-hs-surveillance',
  patientId: 'p1',
  now: '2026-05-12T10:00:00Z',
  newId: sequentialIds(),
  ...(missing ? { partialData: { missing } } : {}),
});

const NON_CART: EvaluationOptions = { infused: false, watched: false };

describe('when the "check incomplete" card appears', () => {
  const rows: [string, EvaluationOptions, string[] | undefined, string[]][] = [
    ['non-CAR-T, complete data: no card', NON_CART, undefined, []],
    ['non-CAR-T, conditions missing (optional): no card', NON_CART, ['conditions'], []],
    ['non-CAR-T, every optional item missing: no card', NON_CART, ['patient', 'temperature', 'conditions', 'medicationRequests', 'diagnosticReports'], []],
    ['non-CAR-T, labs truncated (not infusion evidence): no card', NON_CART, ['labs (truncated)'], []],
    ['non-CAR-T, a look-alike key: no card', NON_CART, ['proceduresExtra', 'medicationAdministrationsOld (truncated)'], []],
    ['non-CAR-T, procedures truncated', NON_CART, ['procedures (truncated)'], [INCOMPLETE_CHECK_SUMMARY]],
    ['non-CAR-T, medicationAdministrations: a later page failed', NON_CART, ['medicationAdministrations (a later page could not be read)'], [INCOMPLETE_CHECK_SUMMARY]],
    ['non-CAR-T, procedures not read at all', NON_CART, ['procedures'], [INCOMPLETE_CHECK_SUMMARY]],
    ['infusion found but past the watch window: no card (the infusion was read)', { day: 150, watched: false }, ['procedures (truncated)'], []],
    ['watched patient with procedures truncated: the usual watch card, not this one', { day: 9 }, ['procedures (truncated)'], ['IEC-HS watch, day 9 after CAR-T: checked on incomplete data']],
  ];
  it.each(rows)('%s', (_name, o, missing, summaries) => {
    const ev = evaluation(o);
    const cards = patientViewCards(ev, ctx(missing));
    expectValidCards(cards, ev);
    expect(cards.map((c) => c.summary)).toEqual(summaries);
    expect(cards.every((c) => c.indicator === 'info')).toBe(true);
  });
});

describe('what the card says', () => {
  const [card] = patientViewCards(evaluation(NON_CART), ctx(['procedures (truncated)', 'conditions', 'medicationAdministrations (a later page could not be read)']));

  it('is passive, has no suggestions, says what was not read and what to do', () => {
    expect(card!.indicator).toBe('info');
    expect(card!.suggestions).toBeUndefined();
    expect(card!.detail).toContain('**The IEC-HS check could not be done.**');
    expect(card!.detail).toContain('(procedures (truncated), medicationAdministrations (a later page could not be read))');
    expect(card!.detail).toContain('in the last 100 days');
    expect(card!.detail).toContain('Also not retrieved: conditions.');
    expect(readCardMeta(card!)).toMatchObject({ cardType: 'iec-hs-data-incomplete', episode: 'none', tier: 'info' });
  });

  it('escapes what the server reported', () => {
    const [c] = patientViewCards(evaluation(NON_CART), ctx(['procedures (<b>truncated</b>)']));
    expect(c!.detail).not.toContain('<b>');
  });

  it('the infusion record items are the required items of src/fhir/dataItems.ts other than labs', () => {
    expect([...INFUSION_RECORD_ITEMS].sort()).toEqual(REQUIRED_DATA_ITEMS.filter((k) => k !== 'labs').sort());
  });
});

describe('real pipeline on the iechs-non-cart fixture (buildTimeline -> evaluate -> cards)', () => {
  const dir = path.resolve('fhir-fixtures');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const scenario = manifest.scenarios.find((s) => s.id === 'iechs-non-cart')!;
  const { data } = patientDataFromBundle(JSON.parse(readFileSync(path.join(dir, scenario.file), 'utf8')), scenario.patientId);
  const ev = evaluate(buildTimeline(data, { now: manifest.anchor }));

  it.each([
    ['complete', undefined, []],
    ['conditions missing', ['conditions'], []],
    ['procedures truncated', ['procedures (truncated)'], ['info']],
  ] as const)('%s', (_name, missing, indicators) => {
    expect(ev.watched).toBe(false);
    const cards = patientViewCards(ev, { ...ctx(missing ? [...missing] : undefined), patientId: scenario.patientId });
    expectValidCards(cards, ev);
    expect(cards.map((c) => c.indicator)).toEqual(indicators);
  });
});
