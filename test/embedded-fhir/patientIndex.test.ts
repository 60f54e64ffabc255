/**
 * The embedded repository's index by patient/subject: a `patient=X` search examines only X's
 * resources (counted, not timed), whatever else is stored; answers equal a full scan's; updates and
 * deletes keep the index right; `identifier=system|value` matches (conditional create relies on it).
 */
import type { Bundle, Observation } from 'fhir/r4';
import { startEmbeddedFhir, type RunningFhir } from './httpHarness.js';

let running: RunningFhir;

function obs(patient: string, i: number, ref: 'subject' | 'none' = 'subject'): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '2276-4' }] },
    ...(ref === 'subject' ? { subject: { reference: `Patient/${patient}` } } : {}),
    effectiveDateTime: new Date(Date.UTC(2026, 0, 1 + (i % 28))).toISOString(),
    valueQuantity: { value: i, unit: 'ng/mL' },
  };
}

async function load(patients: string[], perPatient: number): Promise<void> {
  const entry = patients.flatMap((p) => Array.from({ length: perPatient }, (_, i) => ({ resource: obs(p, i), request: { method: 'POST' as const, url: 'Observation' } })));
  await running.fhir.loadBundle({ resourceType: 'Bundle', type: 'batch', entry });
}

async function search(query: string): Promise<{ ids: string[]; visited: number }> {
  const before = running.fhir.repo.visited;
  const res = await fetch(`${running.base}/Observation?${query}`);
  expect(res.status).toBe(200);
  const bundle = (await res.json()) as Bundle;
  return { ids: (bundle.entry ?? []).map((e) => e.resource?.id ?? '').sort(), visited: running.fhir.repo.visited - before };
}

beforeAll(async () => {
  running = await startEmbeddedFhir();
  await load(['a'], 20);
});
afterAll(() => running.close());

describe('embedded FHIR patient index', () => {
  it('search cost does not grow with unrelated patients', async () => {
    const alone = await search('patient=a');
    expect(alone.ids).toHaveLength(20);
    expect(alone.visited).toBe(20);

    await load(Array.from({ length: 200 }, (_, i) => `other-${i}`), 10);
    const crowded = await search('patient=a');
    expect(crowded.ids).toEqual(alone.ids);
    expect(crowded.visited).toBe(20);
    // The same through subject= (bare id -> every target type, OR-ed) and with more filters.
    expect((await search('subject=a&code=http://loinc.org|2276-4')).visited).toBe(20);
    // Without an indexed filter the whole type is still examined.
    expect((await search('code=http://loinc.org|2276-4&_count=1')).visited).toBe(2_020);
  });

  it('indexed answers equal a full scan of the same filters', async () => {
    const indexed = await search('patient=other-7&date=ge2026-01-05&_sort=date');
    const all = await search('code=http://loinc.org|2276-4&date=ge2026-01-05&_count=5000');
    const expected = all.ids.filter((id) => indexed.ids.includes(id));
    expect(indexed.ids).toEqual(expected);
    expect(indexed.ids.length).toBeGreaterThan(0);
    expect(indexed.visited).toBe(10);
  });

  it('an update moving a resource to another patient, and a delete, keep the index right', async () => {
    const [id] = (await search('patient=a')).ids;
    const read = (await (await fetch(`${running.base}/Observation/${id ?? ''}`)).json()) as Observation;
    const put = await fetch(`${running.base}/Observation/${id ?? ''}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ ...read, subject: { reference: 'Patient/moved' } }),
    });
    expect(put.status).toBe(200);
    expect((await search('patient=a')).ids).not.toContain(id);
    expect((await search('patient=moved')).ids).toEqual([id]);
    expect((await fetch(`${running.base}/Observation/${id ?? ''}`, { method: 'DELETE' })).status).toBe(200);
    expect(await search('patient=moved')).toEqual({ ids: [], visited: 0 });
  });

  it('a resource without a subject is not found by patient, and :missing still works', async () => {
    await running.fhir.loadBundle({ resourceType: 'Bundle', type: 'batch', entry: [{ resource: obs('x', 1, 'none'), request: { method: 'POST', url: 'Observation' } }] });
    expect((await search('patient=x')).ids).toEqual([]);
    expect((await search('subject:missing=true')).ids).toHaveLength(1);
  });

  it('identifier=system|value matches, and a conditional create finds the first resource', async () => {
    const body = JSON.stringify({ ...obs('a', 99), identifier: [{ system: 'urn:ietf:rfc:3986', value: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427' }] });
    const headers = { 'content-type': 'application/fhir+json', 'if-none-exist': `identifier=${encodeURIComponent('urn:ietf:rfc:3986|urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427')}` };
    expect((await fetch(`${running.base}/Observation`, { method: 'POST', headers, body })).status).toBe(201);
    expect((await fetch(`${running.base}/Observation`, { method: 'POST', headers, body })).status).toBe(200);
    expect((await search(`identifier=${encodeURIComponent('urn:ietf:rfc:3986|urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427')}`)).ids).toHaveLength(1);
    expect((await search('identifier=urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427')).ids).toHaveLength(1);
    expect((await search(`identifier=${encodeURIComponent('urn:other|urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427')}`)).ids).toHaveLength(0);
  });
});
