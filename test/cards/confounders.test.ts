/**
 * Confounders on the patient-view card (the ASTCT framework weighs IEC-HS against other causes such as
 * infection and disease progression; Hines et al. 2023, doi:10.1016/j.jtct.2023.03.006). The tier is
 * kept (IEC-HS can coexist with infection); the summary (when it fits under 140 characters) and the
 * verdict name it.
 */
import fc from 'fast-check';
import { marked } from 'marked';
import { patientViewCards, type CardContext } from '../../src/cards/index.js';
import { SUMMARY_MAX_CHARS } from '../../src/cards/summary.js';
import type { Evaluation } from '../../src/criteria/types.js';
import type { Diagnosis } from '../../src/features/types.js';
import { evaluation, isoAt, sequentialIds, series, type EvaluationOptions } from './builders.js';
import { expectValidCards } from './cardChecks.js';

const ctx = (extra: Partial<CardContext> = {}): CardContext => ({
  serviceId: 'iec-hs-surveillance',
  patientId: 'p1',
  now: isoAt(11, 2),
  newId: sequentialIds(),
  ...extra,
});

const sepsis = (day = 10, extra: Partial<Diagnosis> = {}): Diagnosis => ({
  kind: 'infection', term: 'sepsis', display: 'E. coli bacteremia with sepsis', day, time: isoAt(day), active: true, source: 'Condition/sepsis', ...extra,
});
const relapse = (day = 9): Diagnosis => ({
  kind: 'relapse', term: 'ALL in relapse', display: 'Acute lymphoblastic leukemia, in relapse', day, time: isoAt(day), active: true, source: 'Condition/all',
});

function card(o: EvaluationOptions, confounders: Diagnosis[], extra: Partial<CardContext> = {}) {
  const ev: Evaluation = { ...evaluation(o), confounders };
  const cards = patientViewCards(ev, ctx(extra));
  expectValidCards(cards, ev);
  expect(cards).toHaveLength(1);
  return cards[0]!;
}

const INFECTION_SENTENCE =
  '**Active infection on record** (sepsis, charted as "E. coli bacteremia with sepsis", from day 10): it can mimic or drive this picture; evaluate before attributing it to IEC-HS.';
const BOTH_SENTENCE =
  '**Active infection on record** (sepsis, charted as "E. coli bacteremia with sepsis", from day 10); **Disease progression on record** (ALL in relapse, charted as "Acute lymphoblastic leukemia, in relapse", from day 9): it can mimic or drive this picture; evaluate before attributing it to IEC-HS.';

describe('tier is kept, summary and verdict name the confounder', () => {
  test.each([
    ['warning + sepsis', { picture: true }, [sepsis()], 'warning', '; sepsis on record'],
    ['critical + sepsis', { picture: true, severe: true }, [sepsis()], 'critical', '; sepsis on record'],
    ['warning + relapse', { picture: true }, [relapse()], 'warning', '; disease progression on record'],
    ['warning + both', { picture: true }, [relapse(), sepsis()], 'warning', '; sepsis and disease progression on record'],
    ['warning + septic shock (the code term is used)', { picture: true }, [sepsis(10, { term: 'septic shock' })], 'warning', '; septic shock on record'],
  ] as const)('%s', (_name, o, confounders, indicator, ending) => {
    const c = card(o, [...confounders]);
    expect(c.indicator).toBe(indicator);
    expect(c.summary.endsWith(ending)).toBe(true);
    expect(c.summary).toContain('IEC-HS');
  });

  test('the warning summary keeps the driving value and the second finding when everything fits', () => {
    const c = card({ picture: true }, [sepsis()]);
    expect(c.summary).toBe('Possible IEC-HS, day 11 after CAR-T: ferritin 12,400 ng/mL today, rising from 4,200 on day 9; sepsis on record');
  });

  test('verdict says it plainly, in one sentence, with the term, the charted text and the day', () => {
    const verdict = card({ picture: true }, [sepsis()]).detail!.split('\n\n')[0]!;
    expect(verdict).toContain(INFECTION_SENTENCE);
    const both = card({ picture: true }, [relapse(), sepsis()]).detail!.split('\n\n')[0]!;
    expect(both).toContain(BOTH_SENTENCE);
  });

  test('T-cell engager cards weigh it against the HLH-like syndrome, not IEC-HS', () => {
    const c = card({ picture: true, exposure: 't-cell-engager', product: 'teclistamab' }, [sepsis()]);
    expect(c.detail).toContain('evaluate before attributing it to HLH-like syndrome.');
  });

  test('one line per term: the same sepsis charted twice is named once (earliest day)', () => {
    const verdict = card({ picture: true }, [sepsis(10), sepsis(12, { source: 'DiagnosticReport/bc' })]).detail!;
    expect(verdict.match(/from day 1[02]/g)).toEqual(['from day 10']);
  });

  test('EHR text in the charted display is escaped, cut when long, and never breaks the markdown', () => {
    const long = `**bold** <script>x</script> ${'very long diagnosis text '.repeat(10)}`;
    const detail = card({ picture: true }, [sepsis(10, { display: long })]).detail!;
    expect(detail).not.toContain('<script>');
    expect(detail).toContain('\\*\\*bold\\*\\*');
    expect(detail).toMatch(/charted as "[^"]{1,70}…"/);
    expect(marked.parse(detail, { async: false })).not.toMatch(/<strong>bold<\/strong>|<script>/);
  });

  test('no confounder: summary and verdict unchanged', () => {
    const c = card({ picture: true }, []);
    expect(c.summary).toBe('Possible IEC-HS, day 11 after CAR-T: ferritin 12,400 ng/mL today, rising from 4,200 on day 9');
    expect(c.detail).not.toMatch(/on record/);
  });

  test('info card (picture absent): the confounder is not named, the card stays short', () => {
    const c = card({ day: 9, workupDue: ['ferritin'] }, [sepsis(8)]);
    expect(c.indicator).toBe('info');
    expect(`${c.summary}\n${c.detail}`).not.toMatch(/on record|Active infection/);
  });
});

describe('summary length: the confounder outranks the second finding', () => {
  // A critical head ("with grade 3 AST") plus a long driving value leaves no room for all three parts.
  const longLabs = (day: number) => [
    series('ferritin', [[-1, 1.234], [day, 123_456_789.5]]),
    series('fibrinogen', [[-1, 380], [day, 12.25]]),
  ];

  test('drops the fibrinogen before the confounder', () => {
    const ev: Evaluation = { ...evaluation({ picture: true, severe: true, labs: longLabs(11), specificSigns: ['fibrinogen-low'] }), confounders: [sepsis()] };
    ev.assessments[0]!.criteria.push({
      id: 'fibrinogen-low', label: 'Fibrinogen < 150', status: 'met', missing: [], thresholds: [],
      evidence: [{ label: 'Fibrinogen', value: ev.timeline.labs.fibrinogen!.values.at(-1)! }],
    });
    const [c] = patientViewCards(ev, ctx({ newId: sequentialIds() }));
    const withoutConfounder = patientViewCards({ ...ev, confounders: [] }, ctx())[0]!.summary;
    expect(withoutConfounder).toBe('Possible IEC-HS with grade 3 AST, day 11 after CAR-T: ferritin 123,456,790 ng/mL today, rising from 1.23 on day -1, fibrinogen 12.3 mg/dL');
    expect(`${withoutConfounder}; sepsis on record`.length).toBeGreaterThan(SUMMARY_MAX_CHARS);
    expect(c!.summary).toBe('Possible IEC-HS with grade 3 AST, day 11 after CAR-T: ferritin 123,456,790 ng/mL today, rising from 1.23 on day -1; sepsis on record');
  });

  test('property: always < 140 characters, always names IEC-HS and the confounder', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999 }),
        fc.double({ min: 0.001, max: 1e12, noNaN: true }),
        fc.boolean(),
        fc.constantFrom('sepsis', 'septic shock', 'candidemia', 'bacteremia'),
        (day, ferritin, severe, term) => {
          const ev: Evaluation = {
            ...evaluation({ picture: true, severe, day, labs: [series('ferritin', [[-1, 1], [day, ferritin]])] }),
            confounders: [sepsis(day, { term })],
          };
          const [c] = patientViewCards(ev, ctx());
          expect(c!.summary.length).toBeLessThan(140);
          expect(c!.summary).toContain('IEC-HS');
          expect(c!.summary).toContain(`${term} on record`);
        },
      ),
    );
  });
});
