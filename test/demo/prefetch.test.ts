/** The page's prefetch logic (public/js/prefetch.js), run in Node against a fake fetch of recorded answers. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface PrefetchModule {
  userTokens(userId: string | undefined): Record<string, string>;
  resolveTemplate(template: string, context: Record<string, unknown>): string | undefined;
  isRead(query: string): boolean;
  runPrefetch(
    templates: Record<string, string>,
    context: Record<string, unknown>,
    fhirBase: string,
    fetchFn: (url: string, init?: unknown) => Promise<Response>,
  ): Promise<{ prefetch: Record<string, unknown>; log: { key: string; result: string; url?: string }[] }>;
}

let mod: PrefetchModule;
beforeAll(async () => {
  mod = (await import(pathToFileURL(path.resolve('public/js/prefetch.js')).href)) as PrefetchModule;
});

const context = { userId: 'Practitioner/demo-clinician', patientId: 'pt 1/x', selections: ['ServiceRequest/a'] };

describe('template substitution (CDS Hooks 2.0 prefetch tokens)', () => {
  it.each([
    ['Practitioner/demo-clinician', { userPractitionerId: 'demo-clinician' }],
    ['PractitionerRole/r1', { userPractitionerRoleId: 'r1' }],
    ['Patient/p1', { userPatientId: 'p1' }],
    ['RelatedPerson/rp', { userRelatedPersonId: 'rp' }],
    ['Organization/o', {}],
    [undefined, {}],
  ])('userId %j -> %j', (userId, tokens) => {
    expect(mod.userTokens(userId)).toEqual(tokens);
  });

  it.each([
    ['Patient/{{context.patientId}}', 'Patient/pt%201%2Fx'],
    ['Observation?patient={{ context.patientId }}&code=http://loinc.org|2276-4', 'Observation?patient=pt%201%2Fx&code=http://loinc.org|2276-4'],
    ['Practitioner/{{userPractitionerId}}', 'Practitioner/demo-clinician'],
    // Not resolvable: unknown field, non-primitive field (2.0 allows first-level primitives only), other user token, 3.0-only function.
    ['Encounter/{{context.encounterId}}', undefined],
    ['X?s={{context.selections}}', undefined],
    ['Patient/{{userPatientId}}', undefined],
    ['Observation?date=gt{{today() - 90 days}}', undefined],
  ])('%s -> %s', (template, expected) => {
    expect(mod.resolveTemplate(template, context)).toBe(expected);
  });

  it.each([
    ['Patient/123', true],
    ['Observation?patient=1', false],
    ['Observation', false],
  ])('isRead(%s) = %s', (query, read) => {
    expect(mod.isRead(query)).toBe(read);
  });
});

describe('runPrefetch', () => {
  const bundle = { resourceType: 'Bundle', type: 'searchset', entry: [] };
  const answers: Record<string, () => Response> = {
    'http://h/fhir/Patient/p1': () => Response.json({ resourceType: 'Patient', id: 'p1' }),
    'http://h/fhir/Practitioner/demo-clinician': () => Response.json({ resourceType: 'OperationOutcome' }, { status: 404 }),
    'http://h/fhir/Observation?patient=p1': () => Response.json(bundle),
    'http://h/fhir/Condition?patient=p1': () => new Response('boom', { status: 500 }),
    'http://h/fhir/Procedure?patient=p1': () => Response.json({ resourceType: 'OperationOutcome' }),
  };
  const fetchFn = async (url: string) => {
    const answer = answers[url];
    if (!answer) throw new TypeError('fetch failed');
    return answer();
  };

  it('a read gives the resource or null; a search gives its Bundle; failures and unresolved tokens leave the key out', async () => {
    const { prefetch, log } = await mod.runPrefetch(
      {
        patient: 'Patient/{{context.patientId}}',
        user: 'Practitioner/{{userPractitionerId}}',
        labs: 'Observation?patient={{context.patientId}}',
        conditions: 'Condition?patient={{context.patientId}}',
        procedures: 'Procedure?patient={{context.patientId}}',
        meds: 'MedicationRequest?patient={{context.patientId}}',
        encounter: 'Encounter/{{context.encounterId}}',
      },
      { userId: 'Practitioner/demo-clinician', patientId: 'p1' },
      'http://h/fhir',
      fetchFn,
    );
    expect(prefetch).toEqual({ patient: { resourceType: 'Patient', id: 'p1' }, user: null, labs: bundle });
    expect(Object.fromEntries(log.map((l) => [l.key, l.result]))).toEqual({
      patient: 'resource',
      user: 'null',
      labs: 'bundle',
      conditions: 'omitted', // HTTP 500
      procedures: 'omitted', // 200 but not a Bundle
      meds: 'omitted', // network error
      encounter: 'omitted', // unresolved token
    });
  });
});
