/**
 * The embedded FHIR server over real HTTP: the searches CDS Hooks prefetch templates and the
 * sandbox client send (bare-id patient, code lists, category, POST _search), both FHIR JSON media
 * types, paging, reads, /metadata and errors.
 */
import { LOINC, patientBundle, putEntry, labObservation } from './testData.js';
import { call, ids, startEmbeddedFhir } from './httpHarness.js';
import type { RunningFhir } from './httpHarness.js';

const LABS = 30; // per patient; codes rotate ferritin, fibrinogen, platelets -> 10 of each
let srv: RunningFhir;

beforeAll(async () => {
  srv = await startEmbeddedFhir();
  await srv.fhir.loadBundle(patientBundle('p1', LABS));
  await srv.fhir.loadBundle(patientBundle('p2', 6));
});
afterAll(() => srv.close());

describe('bare-id reference search (the 4.5.2 gap)', () => {
  test.each([
    ['patient=p1', LABS + 1],
    ['patient=Patient/p1', LABS + 1],
    ['subject=p1', LABS + 1],
    ['subject:Patient=p1', LABS + 1],
    ['patient=p2', 7],
    ['patient=p1,p2', LABS + 1 + 7],
    ['patient=nobody', 0],
  ])('Observation?%s -> %i', async (query, expected) => {
    const { status, body } = await call(`${srv.base}/Observation?${query}`);
    expect(status).toBe(200);
    expect(body.total).toBe(expected);
    expect(body.entry?.length ?? 0).toBe(expected);
  });

  test('a reference of a type the parameter cannot target is refused, not silently empty', async () => {
    const { status, body } = await call(`${srv.base}/Observation?patient=Group/p1`);
    expect(status).toBe(400);
    expect(body.resourceType).toBe('OperationOutcome');
  });

  test('only the patient\u2019s own resources come back', async () => {
    const { body } = await call(`${srv.base}/Observation?patient=p2`);
    expect(new Set(body.entry.map((e: any) => e.resource.subject.reference))).toEqual(new Set(['Patient/p2']));
  });
});

describe('token searches', () => {
  test.each([
    [`code=${LOINC}|2276-4`, 10],
    [`code=${LOINC}|2276-4,${LOINC}|3255-7`, 20],
    [`code=2276-4,777-3`, 20],
    [`code=${LOINC}|8310-5`, 1],
    ['category=laboratory', LABS],
    ['category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory', LABS],
    ['category=vital-signs', 1],
    [`category=laboratory&code=${LOINC}|2276-4,${LOINC}|777-3`, 20],
  ])('Observation?patient=p1&%s -> %i', async (query, expected) => {
    const { body } = await call(`${srv.base}/Observation?patient=p1&${query}`);
    expect(body.total).toBe(expected);
  });
});

test('POST _search with a form body (as the sandbox sends prefetch) equals the GET search', async () => {
  const form = new URLSearchParams({ category: 'laboratory', code: `${LOINC}|2276-4,${LOINC}|3255-7`, patient: 'p1' });
  const post = await call(`${srv.base}/Observation/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json+fhir' },
    body: form.toString(),
  });
  const get = await call(`${srv.base}/Observation?${form}`);
  expect(post.status).toBe(200);
  expect(post.type).toMatch(/^application\/fhir\+json/);
  expect(post.body.total).toBe(20);
  expect(ids(post.body).sort()).toEqual(ids(get.body).sort());
});

test('POST _search merges URL and body parameters', async () => {
  const res = await call(`${srv.base}/Observation/_search?patient=p1`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `code=${encodeURIComponent(`${LOINC}|3255-7`)}`,
  });
  expect(res.body.total).toBe(10);
});

describe('request and response media types', () => {
  test.each(['application/fhir+json', 'application/json+fhir', 'application/json', 'application/fhir+json; fhirVersion=4.0'])(
    'PUT with Content-Type %s is accepted and answered as application/fhir+json',
    async (contentType) => {
      const id = `mt-${contentType.replace(/\W+/g, '-')}`;
      const put = await call(`${srv.base}/Patient/${id}`, {
        method: 'PUT',
        headers: { 'content-type': contentType },
        body: JSON.stringify({ resourceType: 'Patient', id, name: [{ family: 'Media', given: ['Type'] }] }),
      });
      expect(put.status).toBeLessThan(300);
      expect(put.type).toMatch(/^application\/fhir\+json/);
      const read = await call(`${srv.base}/Patient/${id}`, { headers: { accept: 'application/json+fhir' } });
      expect(read.status).toBe(200);
      expect(read.body.name[0].family).toBe('Media');
    },
  );

  test('a body in another media type gets 415 with an OperationOutcome', async () => {
    const res = await call(`${srv.base}/Patient/x`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(res.status).toBe(415);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  test('malformed JSON gets 400 with an OperationOutcome and no stack trace', async () => {
    const res = await call(srv.base, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: '{"resourceType":' });
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js/);
  });
});

describe('paging', () => {
  test('_count pages carry absolute self/next links and together hold every match once', async () => {
    let url: string | undefined = `${srv.base}/Observation?patient=p1&_count=7&_sort=date`;
    const seen: string[] = [];
    const dates: string[] = [];
    let pages = 0;
    while (url) {
      const { body } = await call(url);
      pages++;
      expect(body.link.find((l: any) => l.relation === 'self').url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir\/Observation\?/);
      seen.push(...ids(body));
      dates.push(...body.entry.map((e: any) => e.resource.effectiveDateTime));
      for (const e of body.entry) expect(e.fullUrl).toBe(`${srv.base}/Observation/${e.resource.id}`);
      url = body.link.find((l: any) => l.relation === 'next')?.url;
    }
    expect(pages).toBe(Math.ceil((LABS + 1) / 7));
    expect(seen).toHaveLength(LABS + 1);
    expect(new Set(seen).size).toBe(LABS + 1);
    expect(dates).toEqual([...dates].sort((a, b) => Date.parse(a) - Date.parse(b)));
  });

  test('the last page has a previous link and no next', async () => {
    const { body } = await call(`${srv.base}/Observation?patient=p1&_count=10&_offset=30`);
    expect(body.entry).toHaveLength(1);
    expect(body.link.map((l: any) => l.relation)).toEqual(['self', 'previous']);
  });

  test('without _count every match is returned (a prefetch that never pages still gets all labs)', async () => {
    const { body } = await call(`${srv.base}/Observation?patient=p1&category=laboratory`);
    expect(body.entry).toHaveLength(LABS);
    expect(body.link.map((l: any) => l.relation)).toEqual(['self']);
  });

  test.each([
    ['_count=abc'],
    ['_count=-1'],
    ['_offset=1.5'],
  ])('%s is refused with 400', async (query) => {
    expect((await call(`${srv.base}/Observation?${query}`)).status).toBe(400);
  });
});

test('_sort=-date compares instants, not strings, across time-zone offsets', async () => {
  const a = { ...labObservation('tz', 0), id: 'tz-a', effectiveDateTime: '2024-03-01T10:00:00+02:00' }; // 08:00Z
  const b = { ...labObservation('tz', 1), id: 'tz-b', effectiveDateTime: '2024-03-01T09:00:00Z' };
  const c = { ...labObservation('tz', 2), id: 'tz-c', effectiveDateTime: '2024-03-01T05:30:00-03:00' }; // 08:30Z
  await srv.fhir.loadBundle({ resourceType: 'Bundle', type: 'transaction', entry: [a, b, c].map(putEntry) });
  const { body } = await call(`${srv.base}/Observation?patient=tz&_sort=-date`);
  expect(ids(body)).toEqual(['tz-b', 'tz-c', 'tz-a']);
});

describe('errors the router would have hidden', () => {
  test.each([
    ['Observation?bogus=1', /Unknown search parameter 'bogus'/],
    ['Observation?value-quantity=gt5', /not supported/],
    ['Observation?code:text=ferritin', /not supported/],
    ['Observation?patient.name=Test', /chained/],
    ['Observation?_sort=bogus', /Unknown sort/],
    ['NotAType?x=1', /Unknown resource type/],
  ])('%s -> 400 OperationOutcome', async (query, text) => {
    const { status, body } = await call(`${srv.base}/${query}`);
    expect(status).toBe(400);
    expect(body.issue[0].details.text).toMatch(text);
  });
});

test('read: 200 for a known id, 404 OperationOutcome for an unknown one', async () => {
  expect((await call(`${srv.base}/Patient/p1`)).body.id).toBe('p1');
  const missing = await call(`${srv.base}/Patient/does-not-exist`);
  expect(missing.status).toBe(404);
  expect(missing.type).toMatch(/^application\/fhir\+json/);
  expect(missing.body.resourceType).toBe('OperationOutcome');
});

test('GET /Patient without parameters answers (the sandbox asks it at start-up)', async () => {
  const { status, body } = await call(`${srv.base}/Patient`, { headers: { accept: 'application/json' } });
  expect(status).toBe(200);
  expect(ids(body)).toEqual(expect.arrayContaining(['p1', 'p2']));
});

test('/metadata is an R4 CapabilityStatement listing the searches the services use', async () => {
  const { status, type, body } = await call(`${srv.base}/metadata`, { headers: { accept: 'application/json' } });
  expect(status).toBe(200);
  expect(type).toMatch(/^application\/fhir\+json/);
  expect(body.resourceType).toBe('CapabilityStatement');
  expect(body.fhirVersion).toBe('4.0.1');
  const obs = body.rest[0].resource.find((r: any) => r.type === 'Observation');
  expect(obs.searchParam.map((p: any) => p.name)).toEqual(expect.arrayContaining(['patient', 'subject', 'code', 'category', 'date']));
  expect(obs.searchParam.map((p: any) => p.name)).not.toContain('value-quantity');
  for (const type of ['Patient', 'Condition', 'Procedure', 'MedicationAdministration', 'MedicationRequest']) {
    expect(body.rest[0].resource.map((r: any) => r.type)).toContain(type);
  }
});

test('a transaction with a failing entry makes loadBundle throw with the entry named', async () => {
  const bad = { resourceType: 'Bundle' as const, type: 'transaction' as const, entry: [{ resource: { resourceType: 'Patient' as const, id: 'a' }, request: { method: 'PUT' as const, url: 'Patient/b' } }] };
  await expect(srv.fhir.loadBundle(bad)).rejects.toThrow(/1 of 1 entries failed; first: Patient\/b/);
});
