/**
 * What the SMART app computes in the browser, run here on the fixture scenarios: clinician-entered
 * findings re-score HScore and HLH-2004 by the threshold table's points (and only in memory), and the
 * charts draw threshold lines only for thresholds a met criterion applied to that analyte.
 */
import path from 'node:path';
import { evaluate } from '../../src/criteria/index.js';
import { THRESHOLD_TABLE, resolveThresholds } from '../../src/criteria/thresholds.js';
import type { Evaluation } from '../../src/criteria/types.js';
import { buildTimeline } from '../../src/features/index.js';
import type { PatientTimeline } from '../../src/features/types.js';
import { patientDataFromBundle } from '../../src/fhir/bundle.js';
import { loadScenarios } from '../../src/fixtures/scenarios.js';
import { PANELS, axisOf, firedThresholds, panelData } from '../../src/app/chartData.js';
import { CLINICIAN_SOURCE, withClinicianFindings, type ClinicianFindingId } from '../../src/app/clinicianFindings.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const timelines = new Map<string, PatientTimeline>();
let classicId = '';

beforeAll(async () => {
  const loaded = await loadScenarios(path.resolve('fhir-fixtures'), NOW);
  for (const { scenario, bundle } of loaded.scenarios) {
    const { data } = patientDataFromBundle(bundle, scenario.patientId);
    timelines.set(scenario.id, buildTimeline(data, { now: NOW.toISOString() }));
  }
  const classic = loaded.scenarios.find((s) => s.scenario.expect['iec-hs-surveillance'].iecHs && /classic/i.test(s.scenario.id)) ?? loaded.scenarios.find((s) => s.scenario.expect['iec-hs-surveillance'].iecHs);
  classicId = classic?.scenario.id ?? '';
});

const points = (id: string): number => {
  const row = THRESHOLD_TABLE.find((r) => r.id === id);
  if (!row) throw new Error(`no threshold ${id}`);
  return row.value;
};

function score(e: Evaluation, set: 'hscore' | 'hlh-2004'): number {
  const value = e.assessments.find((a) => a.id === set)?.score?.value;
  if (value === undefined) throw new Error(`no ${set} score`);
  return value;
}

function evalWith(timeline: PatientTimeline, findings: ClinicianFindingId[]): Evaluation {
  return evaluate(withClinicianFindings(timeline, new Set(findings)));
}

describe('clinician-entered findings (HScore, Fardet 2014, doi:10.1002/art.38690; HLH-2004, Henter 2007, doi:10.1002/pbc.21039)', () => {
  test('every scenario: each finding adds its published points to HScore and one criterion to HLH-2004 where it was unknown', () => {
    expect(timelines.size).toBeGreaterThan(5);
    for (const [id, timeline] of timelines) {
      const before = evalWith(timeline, []);
      const spleen = evalWith(timeline, ['splenomegaly']);
      const hemo = evalWith(timeline, ['hemophagocytosis']);
      const immuno = evalWith(timeline, ['immunosuppression']);
      const spleenKnown = before.assessments.find((a) => a.id === 'hscore')?.criteria.find((c) => c.id === 'hscore-organomegaly')?.status !== 'insufficient-data';
      const hemoKnown = before.assessments.find((a) => a.id === 'hscore')?.criteria.find((c) => c.id === 'hscore-hemophagocytosis')?.status !== 'insufficient-data';
      expect({ id, d: score(spleen, 'hscore') - score(before, 'hscore') }).toEqual({ id, d: spleenKnown ? 0 : points('hscore.organomegaly.onePoints') });
      expect({ id, d: score(hemo, 'hscore') - score(before, 'hscore') }).toEqual({ id, d: hemoKnown ? 0 : points('hscore.hemophagocytosis.points') });
      expect({ id, d: score(immuno, 'hscore') - score(before, 'hscore') }).toEqual({ id, d: points('hscore.immunosuppression.points') });
      expect({ id, d: score(spleen, 'hlh-2004') - score(before, 'hlh-2004') }).toEqual({ id, d: spleenKnown ? 0 : 1 });
      // Immunosuppression is an HScore item only.
      expect({ id, d: score(immuno, 'hlh-2004') - score(before, 'hlh-2004') }).toEqual({ id, d: 0 });
    }
  });

  test('the finding is labelled clinician-entered in the evidence and the input timeline is not changed', () => {
    const timeline = timelines.get(classicId);
    if (!timeline) throw new Error('no classic scenario');
    const diagnosesBefore = timeline.diagnoses.length;
    const e = evalWith(timeline, ['immunosuppression']);
    const item = e.assessments.find((a) => a.id === 'hscore')?.criteria.find((c) => c.id === 'hscore-immunosuppression');
    expect(item?.status).toBe('met');
    expect(item?.evidence[0]?.note).toMatch(/clinician-entered/);
    expect(timeline.diagnoses.length).toBe(diagnosesBefore);
    expect(withClinicianFindings(timeline, new Set(['splenomegaly'])).diagnoses.at(-1)).toMatchObject({ kind: 'splenomegaly', basis: 'clinician', source: CLINICIAN_SOURCE });
  });
});

describe('threshold lines on the charts', () => {
  test('classic IEC-HS: ferritin and fibrinogen lines from the met criteria, none for analytes a criterion did not cite', () => {
    const timeline = timelines.get(classicId);
    if (!timeline) throw new Error('no classic scenario');
    const e = evaluate(timeline);
    const fired = firedThresholds(e);
    const thresholds = resolveThresholds();
    const axis = axisOf(timeline, () => 0);
    const panel = (id: string) => {
      const spec = PANELS.find((p) => p.id === id);
      if (!spec) throw new Error(id);
      return panelData(timeline, spec, axis, fired, thresholds);
    };
    const fibrinogen = panel('fibrinogen').lines.map((l) => l.value);
    expect(fibrinogen).toContain(thresholds['astct.fibrinogen']);
    const ferritin = panel('ferritin');
    const uln = ferritin.series[0]?.limit?.value ?? NaN;
    expect(ferritin.lines.map((l) => l.value)).toContain(thresholds['astct.ferritin.ulnMultiple'] * uln);
    // Every line belongs to a met criterion that cites that analyte.
    for (const spec of PANELS) {
      for (const line of panel(spec.id).lines) expect(line.label).toMatch(/\(.+\)$/);
    }
    // Triglycerides: the HLH-2004 "triglycerides and/or fibrinogen" item met by fibrinogen draws no triglyceride line.
    const trig = e.timeline.labs.triglycerides?.values.at(-1)?.value ?? 0;
    if (trig < thresholds['hlh2004.triglycerides']) expect(panel('triglycerides').lines).toEqual([]);
  });
});
