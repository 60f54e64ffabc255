/** Infusion day 0, CRS episodes, diagnoses, treatments, robustness (docs/clinical-basis.md#clinical-stance). */
import type { DiagnosticReport, MedicationAdministration, Observation } from 'fhir/r4';
import { buildTimeline } from '../../src/features/index.js';
import type { PatientData } from '../../src/features/types.js';
import { administration, carTProcedure, condition, emptyData, ICD10CM, lab, LOINC, request, SNOMED } from './builders.js';

const NOW = { now: '2024-03-20T12:00:00Z' };
const run = (over: Partial<PatientData>) => buildTimeline(emptyData(over), NOW);

describe('infusion day 0 (docs/terminology.md#car-t, docs/terminology.md#infusion-day)', () => {
  test('the most recent definite infusion is day 0; all are listed ascending', () => {
    const t = run({
      procedures: [carTProcedure('second', '2024-03-01T10:00:00Z'), carTProcedure('first', '2023-06-01T10:00:00Z')],
      medicationRequests: [request('order', 'Yescarta', '2024-03-10T10:00:00Z')],
    });
    expect(t.infusions.map((i) => [i.source, i.strength])).toEqual([
      ['Procedure/first', 'definite'],
      ['Procedure/second', 'definite'],
      ['MedicationRequest/order', 'weak'],
    ]);
    expect(t.infusion?.source).toBe('Procedure/second');
    expect(t.dayNow).toBe(19);
  });

  test('MedicationAdministration of a product (contained Medication) is definite', () => {
    const a: MedicationAdministration = {
      resourceType: 'MedicationAdministration',
      id: 'ma',
      status: 'completed',
      subject: { reference: 'Patient/p1' },
      contained: [{ resourceType: 'Medication', id: 'm1', code: { coding: [{ system: 'http://hl7.org/fhir/sid/ndc', code: '73153-900-01' }] } }],
      medicationReference: { reference: '#m1' },
      effectiveDateTime: '2024-03-02T09:00:00Z',
    };
    const t = run({ medicationAdministrations: [a] });
    expect(t.infusion).toMatchObject({ evidence: 'MedicationAdministration', strength: 'definite', product: 'Breyanzi' });
  });

  test('weak evidence only: the order or the complication diagnosis is used, marked weak', () => {
    const t = run({ conditions: [condition('c', ICD10CM, 'T80.82XA', { onsetDateTime: '2024-03-04' })] });
    expect(t.infusion).toMatchObject({ evidence: 'Condition', strength: 'weak' });
  });

  test('harvest codes, not-done procedures and future evidence never set day 0', () => {
    const t = run({
      procedures: [
        carTProcedure('harvest', '2024-02-01T10:00:00Z', { code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '38225' }] } }),
        carTProcedure('notdone', '2024-03-01T10:00:00Z', { status: 'not-done' }),
        carTProcedure('future', '2024-04-01T10:00:00Z'),
      ],
    });
    expect(t.infusions.map((i) => i.source)).toEqual(['Procedure/future']);
    expect(t.infusion).toBeUndefined();
    expect(t.issues.map((i) => i.source)).toContain('Procedure/future');
  });

  test('ICD-10-PCS infusion matched by pattern without the system preferred URI', () => {
    const t = run({
      procedures: [carTProcedure('pcs', '2024-03-01', { code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/icd10PCS', code: 'XW043M7' }] } })],
    });
    expect(t.infusion).toMatchObject({ product: 'Tecartus', time: '2024-03-01' });
  });
});

describe('CRS episodes and diagnoses (docs/terminology.md#diagnoses)', () => {
  const infusion = carTProcedure('car', '2024-03-01T10:00:00Z');

  test('CRS with grade from the ICD code, active vs resolved', () => {
    const t = run({
      procedures: [infusion],
      conditions: [
        condition('crs1', ICD10CM, 'D89.832', { onsetDateTime: '2024-03-03T00:00:00Z', abatementDateTime: '2024-03-06T00:00:00Z',
          clinicalStatus: { coding: [{ code: 'resolved' }] } }),
        condition('crs2', SNOMED, '710027002', { onsetDateTime: '2024-03-12T00:00:00Z' }),
        condition('refuted', ICD10CM, 'D89.834', { verificationStatus: { coding: [{ code: 'refuted' }] } }),
      ],
    });
    expect(t.crsEpisodes).toEqual([
      { source: 'Condition/crs1', onset: '2024-03-03T00:00:00Z', onsetDay: 2, abatement: '2024-03-06T00:00:00Z', abatementDay: 5, active: false, grade: 2 },
      { source: 'Condition/crs2', onset: '2024-03-12T00:00:00Z', onsetDay: 11, active: true },
    ]);
  });

  test('HLH from a Condition, hemophagocytosis from a bone marrow report, MAS from conclusionCode', () => {
    const report: DiagnosticReport = {
      resourceType: 'DiagnosticReport',
      id: 'bm',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '33721-2' }] },
      effectiveDateTime: '2024-03-10T00:00:00Z',
      conclusion: 'Hypocellular marrow. Occasional hemophagocytosis is present.',
      conclusionCode: [{ coding: [{ system: SNOMED, code: '430478003' }] }],
    };
    const t = run({ procedures: [infusion], conditions: [condition('h', ICD10CM, 'D76.1')], diagnosticReports: [report] });
    expect(t.diagnoses.map((d) => [d.kind, d.source, d.basis ?? 'code', d.day])).toEqual([
      ['hlh', 'Condition/h', 'code', undefined],
      ['hemophagocytosis', 'DiagnosticReport/bm', 'text', 9],
      ['mas', 'DiagnosticReport/bm', 'code', 9],
    ]);
  });

  test('splenomegaly coded as an Observation finding; valueBoolean false means absent', () => {
    const finding = (id: string, value?: boolean): Observation => ({
      resourceType: 'Observation', id, status: 'final', effectiveDateTime: '2024-03-10',
      code: { coding: [{ system: SNOMED, code: '16294009' }] }, ...(value === undefined ? {} : { valueBoolean: value }),
    });
    const t = run({ observations: [finding('yes'), finding('no', false)] });
    expect(t.diagnoses.map((d) => [d.kind, d.source])).toEqual([['splenomegaly', 'Observation/yes']]);
  });
});

describe('confounder diagnoses: infection and relapse (docs/clinical-basis.md#astct, docs/terminology.md#underlying-disease)', () => {
  const infusion = carTProcedure('car', '2024-03-01T10:00:00Z');

  test('sepsis and relapse Conditions become infection / relapse diagnoses with the code term, charted text and day', () => {
    const t = run({
      procedures: [infusion],
      conditions: [
        condition('sepsis', ICD10CM, 'A41.51', { onsetDateTime: '2024-03-13T18:00:00Z', code: { coding: [{ system: ICD10CM, code: 'A41.51' }], text: 'E. coli sepsis' } }),
        condition('all', ICD10CM, 'C9102', { onsetDateTime: '2023-11-02' }),
        condition('shock', ICD10CM, 'R65.21', { recordedDate: '2024-03-14', clinicalStatus: { coding: [{ code: 'resolved' }] } }),
        condition('refuted', SNOMED, '91302008', { onsetDateTime: '2024-03-12', verificationStatus: { coding: [{ code: 'refuted' }] } }),
      ],
    });
    expect(t.diagnoses.map((d) => [d.kind, d.term, d.display, d.day, d.active, d.source])).toEqual([
      ['relapse', 'ALL in relapse', 'Acute lymphoblastic leukemia, in relapse', -120, true, 'Condition/all'],
      ['infection', 'sepsis', 'E. coli sepsis', 12, true, 'Condition/sepsis'],
      ['infection', 'septic shock', 'Severe sepsis with septic shock', 13, false, 'Condition/shock'],
    ]);
  });

  test('an infection coded in a DiagnosticReport conclusion is an infection finding', () => {
    const report: DiagnosticReport = {
      resourceType: 'DiagnosticReport', id: 'bc', status: 'final', effectiveDateTime: '2024-03-11',
      code: { coding: [{ system: LOINC, code: '600-7' }] },
      conclusionCode: [{ coding: [{ system: ICD10CM, code: 'R78.81' }] }],
    };
    const t = run({ procedures: [infusion], diagnosticReports: [report] });
    expect(t.diagnoses.map((d) => [d.kind, d.term, d.day])).toEqual([['infection', 'bacteremia', 10]]);
  });
});

describe('treatments (docs/terminology.md#treatments)', () => {
  test('given and ordered, with statuses filtered', () => {
    const t = run({
      procedures: [carTProcedure('car', '2024-03-01T10:00:00Z')],
      medicationAdministrations: [
        administration('toci', '612865', undefined, '2024-03-04T10:00:00Z'),
        administration('dexa-err', '3264', undefined, '2024-03-05T10:00:00Z', { status: 'entered-in-error' }),
        administration('dexa-nd', undefined, 'dexamethasone 10 mg IV', '2024-03-05T10:00:00Z', { status: 'not-done' }),
      ],
      medicationRequests: [
        request('ana', 'Anakinra 100 mg/0.67 mL syringe', '2024-03-11T10:00:00Z'),
        request('rux', 'ruxolitinib 10 mg tablet', '2024-03-12T10:00:00Z', { status: 'cancelled' }),
      ],
    });
    expect(t.treatments.map((x) => [x.drug, x.class, x.kind, x.day])).toEqual([
      ['tocilizumab', 'il6-blockade', 'given', 3],
      ['anakinra', 'anakinra', 'ordered', 10],
    ]);
  });
});

describe('weird but FHIR-valid (or merely odd) input never throws', () => {
  const weird: [string, Partial<PatientData>][] = [
    ['observation without value, code or dates', { observations: [{ resourceType: 'Observation', status: 'final', code: {} }] }],
    ['observation with only dataAbsentReason', { observations: [{ resourceType: 'Observation', status: 'final', code: { coding: [{ system: LOINC, code: '2276-4' }] }, dataAbsentReason: { text: 'x' } }] }],
    ['component without code or value', { observations: [{ resourceType: 'Observation', status: 'final', code: { text: 'panel' }, component: [{ code: {} }, {} as never] }] }],
    ['range with only text, no numbers', { observations: [lab('a', '2276-4', 5, 'ng/mL', '2024-03-05', { referenceRange: [{ text: 'see lab' }] })] }],
    ['unknown status', { observations: [lab('a', '2276-4', 5, 'ng/mL', '2024-03-05', { status: 'weird' as never })] }],
    ['valueQuantity value as string', { observations: [lab('a', '2276-4', '12' as never, 'ng/mL', '2024-03-05')] }],
    ['garbage date', { observations: [lab('a', '2276-4', 5, 'ng/mL', 'yesterday')] }],
    ['coding without system or code', { observations: [{ resourceType: 'Observation', status: 'final', code: { coding: [{}] } }] }],
    ['condition with only a year onset and no codes', { conditions: [{ resourceType: 'Condition', subject: {}, onsetDateTime: '2023' }] }],
    ['procedure with year-only date', { procedures: [carTProcedure('p', '2024')] }],
    ['medication request without medication', { medicationRequests: [{ resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: {} } as never] }],
    ['contained reference that does not exist', { medicationAdministrations: [{ resourceType: 'MedicationAdministration', status: 'completed', subject: {}, medicationReference: { reference: '#none' }, effectiveDateTime: '2024-03-01' }] }],
    ['null entries and nulls in arrays', { observations: [null as never], conditions: null as never, procedures: undefined }],
    ['report with no code', { diagnosticReports: [{ resourceType: 'DiagnosticReport', status: 'final', code: {}, conclusion: 'hemophagocytosis' }] }],
  ];
  test.each(weird)('%s', (_label, over) => {
    expect(() => run(over)).not.toThrow();
  });

  test('a garbage date is reported, not guessed', () => {
    const t = run({ observations: [lab('a', '2276-4', 5, 'ng/mL', 'yesterday')] });
    expect(t.labs.ferritin).toBeUndefined();
    expect(t.issues[0]).toMatchObject({ source: 'Observation/a', analyte: 'ferritin' });
  });

  test('an invalid evaluation time is a caller error', () => {
    expect(() => buildTimeline(emptyData(), { now: 'soon' })).toThrow(TypeError);
  });
});
