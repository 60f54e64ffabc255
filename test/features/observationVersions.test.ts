/** Version grouping: the distinct-ids fast path gives the answer the general grouping gives. */
import fc from 'fast-check';
import type { Observation } from 'fhir/r4';
import { latestVersions } from '../../src/features/observationVersions.js';

function observation(id: string | undefined, identifier?: string): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { text: 'x' },
    ...(id !== undefined && { id }),
    ...(identifier !== undefined && { identifier: [{ system: 'urn:test', value: identifier }] }),
  };
}

describe('latestVersions', () => {
  test('distinct ids without identifiers: every Observation, in input order', () => {
    const obs = [observation('a'), observation('b'), observation('c')];
    expect(latestVersions(obs, ['x', 'x', 'x'])).toEqual([0, 1, 2]);
  });

  test('the fast path agrees with the general grouping', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          // Distinct ids (the fast path), and ids that repeat or are missing (the general path on both sides).
          fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { maxLength: 40 }),
          fc.array(fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }), { maxLength: 40 }),
        ),
        (ids) => {
          const plain = ids.map((n) => observation(n === undefined ? undefined : `o${n}`));
          // An identifier that links nothing the id does not already link, but takes the general path
          // (versions sharing an id share it too, so the content tie-break sees no difference).
          const general = plain.map((o, i) => ({ ...o, identifier: [{ system: 'urn:test', value: o.id ?? `none-${i}` }] }));
          const measured = ids.map(() => 'x');
          expect(latestVersions(plain, measured)).toEqual(latestVersions(general, measured));
        },
      ),
      { numRuns: 500 },
    );
  });
});
