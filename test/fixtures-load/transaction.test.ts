/** PUT-transaction conversion and transaction summaries (src/fixtures/transaction.ts). */
import type { Bundle } from 'fhir/r4';
import { outcomeText, summarizeTransaction, toPutTransaction } from '../../src/fixtures/transaction.js';

const uuid = 'urn:uuid:0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';

test('POST entries with urn:uuid fullUrls become PUT Type/id and references are rewritten', () => {
  const input: Bundle = {
    resourceType: 'Bundle',
    type: 'batch',
    entry: [
      { fullUrl: uuid, resource: { resourceType: 'Patient', id: 'pat-a' }, request: { method: 'POST', url: 'Patient' } },
      { fullUrl: 'urn:uuid:obs', resource: { resourceType: 'Observation', id: 'obs-a', status: 'final', code: {}, subject: { reference: uuid }, hasMember: [{ reference: 'Observation/other' }] } },
    ],
  };
  const copy = JSON.stringify(input);
  const out = toPutTransaction(input);
  expect(JSON.stringify(input)).toBe(copy);
  expect(out.type).toBe('transaction');
  expect(out.entry?.map((e) => e.request)).toEqual([
    { method: 'PUT', url: 'Patient/pat-a' },
    { method: 'PUT', url: 'Observation/obs-a' },
  ]);
  expect((out.entry?.[1]?.resource as any).subject.reference).toBe('Patient/pat-a');
  expect((out.entry?.[1]?.resource as any).hasMember[0].reference).toBe('Observation/other');
});

test('a resource without a client-assigned id cannot be loaded idempotently', () => {
  expect(() => toPutTransaction({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Patient' } }] })).toThrow(
    /entry\[0\].*client-assigned id/,
  );
});

test('summary counts written resources per type and keeps failures with their OperationOutcome text', () => {
  const request = toPutTransaction({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [{ resource: { resourceType: 'Patient', id: 'a' } }, { resource: { resourceType: 'Patient', id: 'b' } }, { resource: { resourceType: 'Condition', id: 'c', subject: { reference: 'Patient/a' } } }],
  });
  const response: Bundle = {
    resourceType: 'Bundle',
    type: 'transaction-response',
    entry: [
      { response: { status: '201 Created' } },
      { response: { status: '200 OK' } },
      { response: { status: '400 Bad Request', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'HAPI-0960: bad id' }] } } },
    ],
  };
  expect(summarizeTransaction(request, response)).toEqual({
    entries: 3,
    byType: { Patient: 2 },
    created: 1,
    updated: 1,
    failures: [{ index: 2, target: 'Condition/c', status: '400 Bad Request', text: 'error invalid HAPI-0960: bad id' }],
  });
});

test('outcomeText says so when there is no OperationOutcome', () => {
  expect(outcomeText(undefined)).toBe('no OperationOutcome');
  expect(outcomeText({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', details: { text: 'Not found' } }] })).toBe('error not-found Not found');
});
