/** Comparing a CDS response with a manifest expectation (src/fixtures/expectations.ts). */
import type { CdsCard } from '../../src/cards/cdsHooks.js';
import { compareWithExpectation } from '../../src/fixtures/expectations.js';

const source = { label: 'test' };
const workupCard = (indicator: CdsCard['indicator'], summary: string, loinc: string[]): CdsCard => ({
  summary,
  indicator,
  source,
  suggestions: [
    {
      label: 'Order workup',
      actions: loinc.map((code) => ({
        type: 'create' as const,
        description: code,
        resource: { resourceType: 'ServiceRequest' as const, status: 'draft' as const, intent: 'proposal' as const, subject: { reference: 'Patient/p' }, code: { coding: [{ system: 'http://loinc.org', code }] } },
      })),
    },
  ],
});

test.each([
  ['exact match, cards in another order', [{ summary: 'info', indicator: 'info', source }, workupCard('warning', 'IEC-HS suspected', ['2276-4', '3255-7'])], { indicators: ['warning', 'info'], iecHs: true, workupLoinc: ['3255-7'] }, []],
  ['empty response for a quiet patient', [], { indicators: [], iecHs: false }, []],
  ['IEC-HS only in an info card does not count as the warning', [{ summary: 'IEC-HS watch', indicator: 'info', source }], { indicators: ['info'], iecHs: true }, ['IEC-HS warning/critical card: expected present, got absent']],
  ['critical IEC-HS card where none is expected', [workupCard('critical', 'IEC-HS likely', [])], { indicators: ['critical'], iecHs: false }, ['IEC-HS warning/critical card: expected absent, got present']],
  ['missing and forbidden workup', [workupCard('warning', 'IEC-HS', ['2276-4'])], { indicators: ['warning'], iecHs: true, workupLoinc: ['3255-7'], noWorkupLoinc: ['2276-4'] }, ['workup LOINC 3255-7 not suggested', 'workup LOINC 2276-4 suggested but must not be']],
  ['indicator set differs', [workupCard('warning', 'IEC-HS', [])], { indicators: ['critical'], iecHs: true }, ['indicators: expected [critical], got [warning]']],
  ['IL-6 warning present', [{ summary: 'Tocilizumab does not treat IEC-HS', indicator: 'warning', source }], { indicators: ['warning'], iecHs: true, il6Warning: true }, []],
  ['IL-6 warning missing', [workupCard('warning', 'IEC-HS', [])], { indicators: ['warning'], iecHs: true, il6Warning: true }, ['IL-6 blockade warning: expected present']],
] as const)('%s', (_name, cards, expectation, problems) => {
  expect(compareWithExpectation({ cards: cards as unknown as CdsCard[] }, expectation as any)).toEqual(problems);
});
