/** The date shift applied to fixtures at load time (src/fixtures/dateShift.ts). */
import type { Bundle, Observation, Patient } from 'fhir/r4';
import { DAY_MS, dateShiftFor, shiftBundleDates, shiftText } from '../../src/fixtures/dateShift.js';

const HOUR = 3_600_000;

describe('shiftText', () => {
  test.each([
    // value, deltaMs, days, expected
    ['2025-01-10T08:00:00Z', 3 * DAY_MS + 2 * HOUR, 3, '2025-01-13T10:00:00Z'],
    ['2025-01-10T23:30:00+02:00', HOUR, 0, '2025-01-11T00:30:00+02:00'], // keeps its offset, crosses midnight there
    ['2025-01-10T08:00:00-05:00', -DAY_MS, -1, '2025-01-09T08:00:00-05:00'],
    ['2025-02-28T12:00:00Z', DAY_MS, 1, '2025-03-01T12:00:00Z'],
    ['2024-02-28T12:00:00Z', DAY_MS, 1, '2024-02-29T12:00:00Z'], // leap year
    ['2025-01-10T08:00:00.123Z', 1000, 0, '2025-01-10T08:00:01.123Z'],
    ['2025-01-10T08:00:00.123456Z', 1000, 0, '2025-01-10T08:00:01.123456Z'],
    ['2025-01-10T08:00:00Z', 250, 0, '2025-01-10T08:00:00.250Z'], // sub-second delta adds a fraction
    ['2025-01-10', 5 * DAY_MS + 20 * HOUR, 5, '2025-01-15'], // date-only: whole days, not the delta
    ['2025-12-30', 3 * DAY_MS, 3, '2026-01-02'],
    ['2025-01', 40 * DAY_MS, 40, '2025-01'], // partial: kept
    ['2025', 400 * DAY_MS, 400, '2025'],
    ['not a date', DAY_MS, 1, 'not a date'],
  ])('%s shifted by %i ms / %i days -> %s', (value, deltaMs, days, expected) => {
    expect(shiftText(value, { deltaMs, days })).toBe(expected);
  });
});

describe('dateShiftFor', () => {
  test('whole seconds for instants, UTC calendar days for dates', () => {
    expect(dateShiftFor('2025-01-15T12:00:00Z', new Date('2025-01-27T23:00:00.400Z'))).toEqual({ deltaMs: 12 * DAY_MS + 11 * HOUR, days: 12 });
    // 11 h later but past UTC midnight: one more calendar day
    expect(dateShiftFor('2025-01-15T20:00:00Z', new Date('2025-01-16T07:00:00Z'))).toEqual({ deltaMs: 11 * HOUR, days: 1 });
    expect(dateShiftFor('2025-01-15T00:00:00Z', new Date('2025-01-15T00:00:00Z'))).toEqual({ deltaMs: 0, days: 0 });
    expect(() => dateShiftFor('yesterday', new Date())).toThrow(/anchor/);
  });
});

describe('shiftBundleDates', () => {
  const obs: Observation = {
    resourceType: 'Observation',
    id: '2025-01-10', // an id that looks like a date: never touched
    identifier: [{ system: 'urn:lab', value: '2025-01-10' }],
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '2276-4' }], text: '2025-01-10' },
    subject: { reference: 'Patient/p' },
    effectiveDateTime: '2025-01-10T08:00:00Z',
    issued: '2025-01-10T09:15:00.000+01:00',
    valueQuantity: { value: 2025, unit: 'ng/mL' },
    note: [{ time: '2025-01-10T10:00:00Z', text: 'drawn 2025-01-10' }],
    extension: [{ url: 'urn:x', valueDateTime: '2025-01-09' }],
    referenceRange: [{ text: '2025-01-10' }],
    contained: [{ resourceType: 'Specimen', id: 's', collection: { collectedPeriod: { start: '2025-01-10T07:00:00Z', end: '2025-01' } } }],
    meta: { lastUpdated: '2025-01-10T11:00:00Z' },
  };
  const patient: Patient = { resourceType: 'Patient', id: 'p', birthDate: '1960-05-04', deceasedBoolean: false };
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    timestamp: '2025-01-10T12:00:00Z',
    entry: [
      { resource: patient, request: { method: 'PUT', url: 'Patient/p' } },
      { resource: obs, request: { method: 'PUT', url: 'Observation/2025-01-10' } },
      {
        resource: { resourceType: 'MedicationRequest', id: 'm', status: 'active', intent: 'order', subject: { reference: 'Patient/p' }, medicationCodeableConcept: { text: 'x' }, dosageInstruction: [{ timing: { event: ['2025-01-10T06:00:00Z', '2025-01-11'] } }] },
        request: { method: 'PUT', url: 'MedicationRequest/m' },
      },
      { resource: { resourceType: 'Procedure', id: 'pr', status: 'completed', subject: { reference: 'Patient/p' }, performedPeriod: { start: '2025-01-01T09:00:00Z', end: '2025-01-01T10:00:00Z' } }, request: { method: 'PUT', url: 'Procedure/pr' } },
    ],
  };
  const before = JSON.stringify(bundle);
  const shifted = shiftBundleDates(bundle, 10 * DAY_MS + HOUR, 10);
  const sObs = shifted.entry?.[1]?.resource as Observation;

  test('does not modify its input', () => {
    expect(JSON.stringify(bundle)).toBe(before);
  });

  test('shifts every date-typed element, in resources, extensions, contained resources and the Bundle', () => {
    expect(shifted.timestamp).toBe('2025-01-20T13:00:00Z');
    expect(sObs.effectiveDateTime).toBe('2025-01-20T09:00:00Z');
    expect(sObs.issued).toBe('2025-01-20T10:15:00.000+01:00');
    expect(sObs.note?.[0]?.time).toBe('2025-01-20T11:00:00Z');
    expect(sObs.extension?.[0]?.valueDateTime).toBe('2025-01-19');
    expect(sObs.meta?.lastUpdated).toBe('2025-01-20T12:00:00Z');
    expect((sObs.contained?.[0] as any).collection.collectedPeriod).toEqual({ start: '2025-01-20T08:00:00Z', end: '2025-01' });
    expect((shifted.entry?.[0]?.resource as Patient).birthDate).toBe('1960-05-14');
    expect((shifted.entry?.[2]?.resource as any).dosageInstruction[0].timing.event).toEqual(['2025-01-20T07:00:00Z', '2025-01-21']);
    expect((shifted.entry?.[3]?.resource as any).performedPeriod).toEqual({ start: '2025-01-11T10:00:00Z', end: '2025-01-11T11:00:00Z' });
  });

  test('never touches ids, identifiers, codes, text, numbers or request URLs that look like dates', () => {
    expect(sObs.id).toBe('2025-01-10');
    expect(sObs.identifier).toEqual(obs.identifier);
    expect(sObs.code).toEqual(obs.code);
    expect(sObs.valueQuantity).toEqual(obs.valueQuantity);
    expect(sObs.note?.[0]?.text).toBe('drawn 2025-01-10');
    expect(sObs.referenceRange).toEqual(obs.referenceRange);
    expect(shifted.entry?.[1]?.request?.url).toBe('Observation/2025-01-10');
  });

  test('the interval between two events is kept (day N after infusion stays day N)', () => {
    const infusion = Date.parse((shifted.entry?.[3]?.resource as any).performedPeriod.start);
    const lab = Date.parse(sObs.effectiveDateTime as string);
    expect(lab - infusion).toBe(Date.parse(obs.effectiveDateTime as string) - Date.parse('2025-01-01T09:00:00Z'));
  });

  test('days default to the delta rounded to whole days', () => {
    expect(shiftBundleDates<Patient>(patient, 2 * DAY_MS + 13 * HOUR).birthDate).toBe('1960-05-07');
  });
});
