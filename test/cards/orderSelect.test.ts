/**
 * order-select cards (service iec-hs-order-select): only selected draft orders are judged (checklist
 * line 20), the IEC-HS panel is completed without what is drafted or recently resulted, IL-6 blockade
 * for an IEC-HS picture gets a warning, the right therapy gets no noise, and no card ever suggests an
 * IL-6 blocker (IL-6 blockade is not IEC-HS-directed therapy; Hines et al. 2023, doi:10.1016/j.jtct.2023.03.006).
 */
import type { Bundle, FhirResource, MedicationRequest, ServiceRequest } from 'fhir/r4';
import { ORDER_SELECT_DETAIL_MAX, orderSelectCards, readCardMeta, type OrderSelectContext } from '../../src/cards/index.js';
import type { CdsCard } from '../../src/cards/cdsHooks.js';
import { recentResultHours } from '../../src/cards/cardThresholds.js';
import { WORKUP_PANEL } from '../../src/terminology/index.js';
import { defaultLabs, evaluation, lab, sequentialIds, series, type EvaluationOptions } from './builders.js';
import { expectValidCards } from './cardChecks.js';
import { internalTextProblems } from './textChecks.js';

const LOINC = 'http://loinc.org';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

const labOrder = (id: string, code: string): ServiceRequest => ({
  resourceType: 'ServiceRequest',
  id,
  status: 'draft',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  code: { coding: [{ system: LOINC, code }] },
});

const medOrder = (id: string, code: string, text?: string): MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id,
  status: 'draft',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  medicationCodeableConcept: { coding: [{ system: RXNORM, code }], text },
});

const bundle = (resources: FhirResource[], withType = true): Bundle<FhirResource> => ({
  resourceType: 'Bundle',
  ...(withType ? { type: 'collection' as const } : {}),
  entry: resources.map((resource) => ({ resource })),
} as Bundle<FhirResource>);

const TOCILIZUMAB = '612865';
const SILTUXIMAB = '1535218';
const DEXAMETHASONE = '3264';
const ANAKINRA = '72435';

const allCards: CdsCard[] = [];

function run(o: EvaluationOptions, selections: string[], drafts: FhirResource[], withType = true): CdsCard[] {
  const ev = evaluation(o);
  const ctx: OrderSelectContext = {
    serviceId: 'iec-hs-order-select',
    patientId: 'p1',
    now: ev.timeline.now,
    newId: sequentialIds(),
    selections,
    draftOrders: bundle(drafts, withType),
  };
  const cards = orderSelectCards(ev, ctx);
  expectValidCards(cards, ev);
  allCards.push(...cards);
  return cards;
}

const suggestedLoinc = (card: CdsCard | undefined): string[] => {
  const meta = card && readCardMeta(card);
  return (card?.suggestions ?? [])
    .filter((s) => !meta?.suggestions.find((m) => m.uuid === s.uuid)?.panel)
    .map((s) => (s.actions?.[0]?.resource as ServiceRequest | undefined)?.code?.coding?.[0]?.code ?? '');
};

describe('selected IEC-HS lab', () => {
  const hours = recentResultHours(undefined);
  // Platelets resulted 1 h inside the window, ferritin series has values at day 9 and 11.
  const labs = [...defaultLabs(11), { ...series('platelets', []), values: [lab('platelets', 40, 11, 2 - (hours - 1))] }];

  it('suggests the rest of the panel: not drafted, not recently resulted', () => {
    const cards = run({ day: 11, labs }, ['ServiceRequest/sr-ferritin'], [labOrder('sr-ferritin', '2276-4'), labOrder('sr-fib', '3255-7')]);
    expect(cards.map((c) => c.indicator)).toEqual(['info']);
    const loinc = suggestedLoinc(cards[0]);
    expect(loinc).not.toContain('2276-4'); // selected
    expect(loinc).not.toContain('3255-7'); // drafted, though not selected
    expect(loinc).not.toContain('58410-2'); // platelets (CBC) resulted inside the window
    expect(loinc).toEqual(expect.arrayContaining(['2571-8', '1920-8', '1742-6', '2532-0']));
    expect(cards[0]?.summary).toMatch(/^IEC-HS workup, day 11 after CAR-T: also consider /);
    expect(cards[0]?.detail).toMatch(new RegExp(`Resulted in the last ${hours} h: [^.]*CBC`));
  });

  it.each([
    [-1 / 60, false, '23 h 59 min ago: inside the 24-h window, not suggested'],
    [0, false, 'exactly 24 h ago: the boundary counts as recent'],
    [1 / 60, true, '24 h 1 min ago: outside the window, suggested again'],
  ])('24-h boundary (orderSelect.recentResultHours, local rule): %p h past 24 h -> suggested %p (%s)', (past, suggested) => {
    expect(hours).toBe(24);
    // "now" is day 11 + 2 h in the builders; the platelets draw is 24 h + `past` before it.
    const platelets = [...defaultLabs(11), { ...series('platelets', []), values: [lab('platelets', 40, 10, 2 - past)] }];
    const cards = run({ day: 11, labs: platelets }, ['ServiceRequest/sr-ferritin'], [labOrder('sr-ferritin', '2276-4')]);
    expect(suggestedLoinc(cards[0]).includes('58410-2')).toBe(suggested);
  });

  it('the window is configurable through the threshold table', () => {
    expect(recentResultHours({ 'orderSelect.recentResultHours': 12 })).toBe(12);
    expect(() => recentResultHours({ 'orderSelect.recentResultHours': 0 })).toThrow(/outside/);
  });

  it('a fresh INR counts as a fresh PT (one test): neither is suggested', () => {
    const labs = [...defaultLabs(11), { ...series('inr', []), values: [lab('inr', 1.3, 11, 1)] }];
    const loinc = suggestedLoinc(run({ day: 11, labs }, ['ServiceRequest/sr-ferritin'], [labOrder('sr-ferritin', '2276-4')])[0]);
    expect(loinc).not.toContain('6301-6');
    expect(loinc).not.toContain('5902-2');
  });

  it('a result just outside the window does not count as recent', () => {
    const old = [...defaultLabs(11), { ...series('platelets', []), values: [lab('platelets', 40, 11, 2 - (hours + 1))] }];
    const cards = run({ day: 11, labs: old }, ['ServiceRequest/sr-ferritin'], [labOrder('sr-ferritin', '2276-4')]);
    expect(suggestedLoinc(cards[0])).toContain('58410-2');
  });

  it('an alternative ferritin code counts as the ferritin lab, with a Bundle without type', () => {
    const cards = run({ day: 11, labs: [] }, ['ServiceRequest/sr-f2'], [labOrder('sr-f2', '20567-4')], false);
    expect(cards).toHaveLength(1);
    expect(suggestedLoinc(cards[0])).not.toContain('2276-4');
    // Every panel lab but ferritin, with PT and INR (one test) suggested once, as INR.
    expect(suggestedLoinc(cards[0])).toHaveLength(WORKUP_PANEL.length - 2);
    expect(suggestedLoinc(cards[0])).toContain('6301-6');
    expect(suggestedLoinc(cards[0])).not.toContain('5902-2');
  });

  it('only selected orders are judged: an unselected ferritin draft gives no card', () => {
    expect(run({ day: 11 }, ['ServiceRequest/other'], [labOrder('sr-ferritin', '2276-4'), labOrder('other', '999-9')])).toEqual([]);
  });

  it('a selection naming no draft order gives no card', () => {
    expect(run({ day: 11 }, ['ServiceRequest/ghost'], [labOrder('sr-ferritin', '2276-4')])).toEqual([]);
  });

  it('no card when the whole panel is drafted', () => {
    const drafts = WORKUP_PANEL.map((item, i) => labOrder(`sr-${i}`, item.loinc));
    expect(run({ day: 11 }, ['ServiceRequest/sr-0'], drafts)).toEqual([]);
  });

  it('no card for a patient who is not watched', () => {
    expect(run({ infused: false, watched: false }, ['ServiceRequest/sr-ferritin'], [labOrder('sr-ferritin', '2276-4')])).toEqual([]);
  });

  it('a lab outside the IEC-HS panel gives no card', () => {
    expect(run({ day: 11 }, ['ServiceRequest/sr-x'], [labOrder('sr-x', '2345-7')])).toEqual([]);
  });
});

describe('selected medication', () => {
  const activeCrs = [{ onsetDay: 9, active: true, grade: 2, source: 'Condition/crs' }];
  const rows: [string, EvaluationOptions, MedicationRequest, string[], boolean][] = [
    ['tocilizumab, IEC-HS without active CRS', { picture: true }, medOrder('m1', TOCILIZUMAB), ['warning'], true],
    ['tocilizumab by clinical-drug code and text', { picture: true }, medOrder('m1', '1000001', 'tocilizumab 20 MG/ML Injection'), ['warning'], true],
    ['siltuximab, IEC-HS without active CRS', { picture: true, severe: true }, medOrder('m1', SILTUXIMAB), ['warning'], true],
    ['siltuximab, IEC-HS overlapping active CRS', { picture: true, crs: activeCrs }, medOrder('m1', SILTUXIMAB), ['info'], false],
    ['tocilizumab, no IEC-HS picture', { picture: false, crs: activeCrs }, medOrder('m1', TOCILIZUMAB), [], false],
    ['dexamethasone, IEC-HS picture', { picture: true }, medOrder('m1', DEXAMETHASONE), [], false],
    ['anakinra, IEC-HS picture', { picture: true }, medOrder('m1', ANAKINRA), [], false],
    ['tocilizumab, not watched', { infused: false, watched: false, picture: true }, medOrder('m1', TOCILIZUMAB), [], false],
  ];
  it.each(rows)('%s', (_name, o, order, indicators, il6Warning) => {
    const cards = run(o, ['MedicationRequest/m1'], [order]);
    expect(cards.map((c) => c.indicator)).toEqual(indicators);
    const warning = cards.find((c) => c.indicator === 'warning');
    expect(warning !== undefined).toBe(il6Warning);
    for (const card of cards) expect(card?.suggestions).toBeUndefined();
  });

  it('the warning names the drug, the evidence and the first-line alternatives as text', () => {
    const [card] = run({ picture: true }, ['MedicationRequest/m1'], [medOrder('m1', TOCILIZUMAB, 'Actemra <b>IV</b>')]);
    expect(card?.summary).toBe('IL-6 blockade alone is not expected to treat IEC-HS (ferritin 12,400 ng/mL, day 11 after CAR-T, no active CRS)');
    expect(card?.detail).toContain('**Possible IEC-HS with no active CRS. IL-6 blockade (Actemra &lt;b>IV&lt;/b>) alone is not expected to treat it.**');
    expect(card?.detail).toContain('**Instead (text, not an order):** Consider corticosteroids with anakinra (first line)');
    expect(card?.detail).toContain('Latest: Ferritin 12,400 ng/mL, high (ref 24-336), day 11; ↑ rising from 4,200 (day 9).');
    expect(card?.detail).not.toMatch(/^\|/m);
    expect(card?.overrideReasons?.[0]).toMatchObject({ code: 'treating-overlapping-crs', display: 'Given for overlapping CRS' });
    expect((card && readCardMeta(card))?.cardType).toBe('order-il6-not-iec-hs');
  });

  it('a long driving value falls back to the shorter summary, never both', () => {
    const labs = [series('ferritin', [[-1, 0.01], [11, 1.5e30]])];
    const [card] = run({ picture: true, day: 11, labs }, ['MedicationRequest/m1'], [medOrder('m1', TOCILIZUMAB)]);
    expect(card?.summary).toBe('IL-6 blockade alone is not expected to treat IEC-HS (day 11 after CAR-T, no active CRS)');
  });

  it('a medication given by a contained Medication is classified too', () => {
    const order: MedicationRequest = {
      resourceType: 'MedicationRequest',
      id: 'm2',
      status: 'draft',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
      contained: [{ resourceType: 'Medication', id: 'med', code: { coding: [{ system: RXNORM, code: TOCILIZUMAB }] } }],
      medicationReference: { reference: '#med' },
    };
    expect(run({ picture: true }, ['MedicationRequest/m2'], [order]).map((c) => c.indicator)).toEqual(['warning']);
  });

  it('a medication named only by the reference display is classified too', () => {
    const order = { ...medOrder('m3', TOCILIZUMAB), medicationCodeableConcept: undefined, medicationReference: { display: 'tocilizumab' } };
    const [card] = run({ picture: true }, ['MedicationRequest/m3'], [order]);
    expect(card?.indicator).toBe('warning');
    expect(card?.detail).toContain('IL-6 blockade (tocilizumab)');
  });

  // Draft orders come from the client as they are: a field of the wrong shape is read as absent, never a 500.
  it.each<[string, Record<string, unknown>, string[]]>([
    ['coding is one object, not a list; the text still names the drug', { medicationCodeableConcept: { coding: { system: RXNORM, code: TOCILIZUMAB }, text: 'tocilizumab' } }, ['warning']],
    ['coding is a number', { medicationCodeableConcept: { coding: 5, text: 'tocilizumab' } }, ['warning']],
    ['coding items of the wrong types', { medicationCodeableConcept: { coding: [null, 5, 'x', { system: 5, code: 5, display: 7 }], text: 9 } }, []],
    ['a reference that is not a string, a display that names the drug', { medicationCodeableConcept: undefined, medicationReference: { reference: 5, display: 'tocilizumab' } }, ['warning']],
    ['contained is not a list', { medicationCodeableConcept: undefined, medicationReference: { reference: '#med' }, contained: { resourceType: 'Medication', id: 'med' } }, []],
  ])('malformed draft medication: %s', (_name, patch, indicators) => {
    const order = { ...medOrder('m1', TOCILIZUMAB), ...patch } as MedicationRequest;
    expect(run({ picture: true }, ['MedicationRequest/m1'], [order]).map((c) => c.indicator)).toEqual(indicators);
  });

  it.each<[string, unknown]>([
    ['coding is one object', { system: LOINC, code: '2276-4' }],
    ['a code that is a number', [{ system: LOINC, code: 2276 }]],
    ['items of the wrong types', [null, 5, 'x']],
  ])('malformed draft lab order (%s) is read as no known lab', (_name, coding) => {
    const order = { ...labOrder('sr-1', '2276-4'), code: { coding } } as ServiceRequest;
    expect(run({ picture: true, labs: [] }, ['ServiceRequest/sr-1'], [order])).toEqual([]);
  });

  it('lab and IL-6 blocker selected together: one warning, one passive panel card', () => {
    const cards = run(
      { picture: true, labs: [] },
      ['MedicationRequest/m1', 'ServiceRequest/sr-ferritin'],
      [medOrder('m1', TOCILIZUMAB), labOrder('sr-ferritin', '2276-4')],
    );
    expect(cards.map((c) => c.indicator)).toEqual(['warning', 'info']);
  });
});

afterAll(() => {
  // Every card from every case above: no action anywhere orders an IL-6 blocker or any medication.
  expect(allCards.length).toBeGreaterThan(5);
  for (const card of allCards) {
    expect(internalTextProblems(card)).toEqual([]);
    expect(card.detail?.length).toBeLessThanOrEqual(ORDER_SELECT_DETAIL_MAX);
    for (const action of (card.suggestions ?? []).flatMap((s) => s.actions ?? [])) {
      expect(action.resource?.resourceType).toBe('ServiceRequest');
      expect(JSON.stringify(action)).not.toMatch(/tocilizumab|siltuximab|612865|1535218/i);
    }
  }
});

describe('short order-select cards (<= 600 characters): why now, one evidence line, the actions', () => {
  it('panel card: no table, one evidence line, pending labs shown as ordered and not suggested', () => {
    const ev = evaluation({ day: 11, labs: defaultLabs(11) });
    const cards = orderSelectCards(ev, {
      serviceId: 'iec-hs-order-select',
      patientId: 'p1',
      now: ev.timeline.now,
      newId: sequentialIds(),
      selections: ['ServiceRequest/sr-ferritin'],
      draftOrders: bundle([labOrder('sr-ferritin', '2276-4')]),
      pendingOrders: [{ loinc: '2571-8', orderedAt: ev.timeline.now }],
      smartAppLaunchUrl: 'https://cds.example.org/app/launch.html',
    });
    const [card] = cards;
    expect(card?.detail?.length).toBeLessThanOrEqual(ORDER_SELECT_DETAIL_MAX);
    expect(card?.detail).not.toMatch(/^\|/m);
    expect(card?.detail?.match(/^Latest: /gm)).toHaveLength(1);
    expect(card?.detail).toContain('Ordered, pending: triglycerides.');
    expect(suggestedLoinc(card)).not.toContain('2571-8');
    expect(card?.links?.[0]).toEqual({ label: 'Timeline and full evidence (SMART app)', url: 'https://cds.example.org/app/launch.html', type: 'smart' });
  });

  it('IL-6 warning knows steroids are running: escalate and add anakinra', () => {
    const [card] = run(
      { picture: true, treatmentState: { corticosteroid: true, anakinra: false, refractoryTherapy: false, il6Blockade: false } },
      ['MedicationRequest/m1'],
      [medOrder('m1', TOCILIZUMAB)],
    );
    expect(card?.detail).toContain('**Instead (text, not an order):** Corticosteroids already running: consider escalating them and adding anakinra');
    expect(card?.detail?.length).toBeLessThanOrEqual(ORDER_SELECT_DETAIL_MAX);
  });

  it('T-cell engager: the IL-6 warning speaks of the HLH-like syndrome, never CAR-T or IEC-HS', () => {
    const [card] = run({ picture: true, exposure: 't-cell-engager', product: 'teclistamab' }, ['MedicationRequest/m1'], [medOrder('m1', TOCILIZUMAB)]);
    expect(card?.summary).toMatch(/^IL-6 blockade alone is not expected to treat this HLH-like syndrome \(.*day 11 after T-cell engager therapy \(teclistamab\), no active CRS\)$/);
    expect(`${card?.summary}${card?.detail}`).not.toMatch(/CAR-?T|IEC-HS/);
  });

  it('long EHR text never pushes the detail over the limit', () => {
    const long = 'x'.repeat(5000);
    const cards = run({ picture: true, product: long }, ['MedicationRequest/m1', 'ServiceRequest/sr-f'], [medOrder('m1', TOCILIZUMAB, long), labOrder('sr-f', '2276-4')]);
    expect(cards.length).toBe(2);
    for (const c of cards) expect(c.detail?.length).toBeLessThanOrEqual(ORDER_SELECT_DETAIL_MAX);
  });
});
