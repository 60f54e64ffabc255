/** Structural R4 validation of fixture resources (src/fixtures/fhirSchema.ts). */
import { validateBundle, validateResource } from '../../src/fixtures/fhirSchema.js';
import { patientBundle } from '../embedded-fhir/testData.js';

test('a well-formed bundle of the test data has no issues', () => {
  expect(validateBundle(patientBundle('v', 5))).toEqual(new Map());
});

test.each([
  [{ resourceType: 'Observation', status: 'bogus', code: {} }, '/status', /allowed values/],
  [{ resourceType: 'Observation', status: 'final' }, '/', /required property 'code'/],
  [{ resourceType: 'Observation', status: 'final', code: {}, effectiveDateTime: '2025-13-01' }, '/effectiveDateTime', /pattern/],
  [{ resourceType: 'Patient', gender: 'x' }, '/gender', /allowed values/],
  [{ resourceType: 'Patient', favouriteColour: 'blue' }, '/', /additional properties \(favouriteColour\)/],
  [{ resourceType: 'NotAType' }, '/resourceType', /unknown resourceType/],
])('%j -> issue at %s', (resource, path, message) => {
  const issues = validateResource(resource);
  expect(issues.some((i) => i.path === path && message.test(i.message))).toBe(true);
});

test('bundle issues are keyed by Type/id', () => {
  const problems = validateBundle({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [{ resource: { resourceType: 'Patient', id: 'bad', gender: 'x' }, request: { method: 'PUT', url: 'Patient/bad' } }],
  });
  expect([...problems.keys()]).toEqual(['Patient/bad']);
});
