/**
 * The concept matchers (src/terminology) read data as the EHR or the client sent it: a `coding` that is
 * not a list (one object, a number, a string), items of the wrong types and a non-string text never
 * throw; they read as absent, and whatever well-formed part is left (the text) still matches.
 */
import type { CodeableConcept } from 'fhir/r4';
import {
  isPathologyReport,
  matchCarTConcept,
  matchDiagnosisConcept,
  matchEngagerConcept,
  matchTreatmentConcept,
  mayCarryDiagnosis,
} from '../../src/terminology/index.js';

const matchers: [string, (c: CodeableConcept | undefined) => unknown][] = [
  ['isPathologyReport', isPathologyReport],
  ['matchCarTConcept', matchCarTConcept],
  ['matchDiagnosisConcept', matchDiagnosisConcept],
  ['matchEngagerConcept', matchEngagerConcept],
  ['matchTreatmentConcept', matchTreatmentConcept],
  ['mayCarryDiagnosis', mayCarryDiagnosis],
];
const malformed: unknown[] = [
  { coding: 5 },
  { coding: {} },
  { coding: { system: 'http://snomed.info/sct', code: '5' } },
  { coding: 'abc' },
  { coding: true },
  { coding: [null, 5, 'x', true, []] },
  { coding: [{ system: 5, code: 5, display: 5 }] },
  { text: 5, coding: [{ display: {} }] },
];

describe.each(matchers)('%s', (_name, match) => {
  it.each(malformed.map((c) => [JSON.stringify(c), c]))('%s: no throw, nothing matched', (_label, concept) => {
    const result = match(concept as CodeableConcept);
    expect(result === undefined || result === false || (Array.isArray(result) && result.length === 0)).toBe(true);
  });
});

test('a coding that is not a list does not hide a drug the text names', () => {
  expect(matchTreatmentConcept({ coding: {} as never, text: 'tocilizumab' })?.drug).toBe('tocilizumab');
  expect(matchCarTConcept({ coding: 5 as never, text: 'Yescarta infusion' })?.product?.brand).toBe('Yescarta');
});
