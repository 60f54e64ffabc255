/** hooks/*.json: start-up validation and agreement with the terminology code sets. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LAB_LOINC, PATHOLOGY_REPORT_LOINC, isPathologyReport } from '../../src/terminology/index.js';
import type { Analyte } from '../../src/features/types.js';
import { HookDefinitionError, defaultHooksDir, loadServiceDefinitions, parseServiceDefinition } from '../../src/hooks/index.js';
import { buildApp } from './helpers/testApp.js';

const services = loadServiceDefinitions(defaultHooksDir());

function loincCodes(template: string): string[] {
  const code = new URLSearchParams(template.split('?')[1]).get('code') ?? '';
  return code.split(',').map((c) => {
    const [system, value] = c.split('|');
    expect(system).toBe('http://loinc.org');
    return value ?? '';
  });
}

describe('prefetch templates and terminology', () => {
  const labAnalytes = (Object.keys(LAB_LOINC) as Analyte[]).filter((a) => a !== 'temperature');

  test.each(services.map((s) => [s.id, s] as const))('%s: labs template holds exactly the LOINC codes of every lab analyte and of pathology Observations', (_id, s) => {
    const expected = [...new Set([...labAnalytes.flatMap((a) => LAB_LOINC[a]), ...PATHOLOGY_REPORT_LOINC])].sort();
    expect(loincCodes(s.prefetch?.labs ?? '').sort()).toEqual(expected);
    expect(s.prefetch?.labs).toMatch(/^Observation\?patient=\{\{context\.patientId\}\}&category=laboratory&code=/);
  });

  test.each(services.map((s) => [s.id, s] as const))('%s: temperature template holds exactly the temperature LOINC codes', (_id, s) => {
    expect(loincCodes(s.prefetch?.temperature ?? '').sort()).toEqual([...LAB_LOINC.temperature].sort());
    expect(s.prefetch?.temperature).toMatch(/&category=vital-signs&/);
    expect(LAB_LOINC.temperature).toContain('8310-5');
  });

  test.each(services.map((s) => [s.id, s] as const))('%s: every diagnosticReports code is a pathology report code of the terminology', (_id, s) => {
    const codes = loincCodes(s.prefetch?.diagnosticReports ?? '');
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect({ code, pathology: isPathologyReport({ coding: [{ system: 'http://loinc.org', code }] }) }).toEqual({ code, pathology: true });
  });

  test('every Observation template is filtered by category and code (Epic refuses a bare patient search)', () => {
    for (const s of services) {
      for (const t of Object.values(s.prefetch ?? {}).filter((t) => t.startsWith('Observation?'))) {
        const q = new URLSearchParams(t.split('?')[1]);
        expect(q.get('category')).toBeTruthy();
        expect(q.get('code')).toBeTruthy();
      }
    }
  });
});

describe('start-up validation of hook files', () => {
  const good = JSON.parse(fs.readFileSync(path.join(defaultHooksDir(), 'iec-hs-surveillance.json'), 'utf8')) as Record<string, unknown>;
  const broken = (patch: Record<string, unknown>): string => JSON.stringify({ ...good, ...patch });

  test.each([
    ['missing description', broken({ description: undefined }), /x\.json: \/description/],
    ['unknown field', broken({ surprise: 1 }), /x\.json: \/surprise/],
    ['title not a string', broken({ title: 5 }), /x\.json: \/title/],
    ['unsupported hook', broken({ hook: 'order-sign' }), /x\.json: \/hook: .*not supported/],
    ['3.0 token', broken({ prefetch: { ...(good.prefetch as object), conditions: 'Condition?patient={{context.patientId}}&onset-date=ge{{today() - 90 days}}' } }), /x\.json: \/prefetch\/conditions/],
    ['_include', broken({ prefetch: { ...(good.prefetch as object), procedures: 'Procedure?patient={{context.patientId}}&_include=Procedure:patient' } }), /x\.json: \/prefetch\/procedures/],
    ['required item without template', broken({ prefetch: { patient: 'Patient/{{context.patientId}}' } }), /x\.json: \/prefetch\/labs: required/],
    ['not JSON', '{', /x\.json: \(file\): not valid JSON/],
  ])('%s stops start-up naming file and field', (_name, text, message) => {
    expect(() => parseServiceDefinition('/tmp/x.json', text)).toThrow(HookDefinitionError);
    expect(() => parseServiceDefinition('/tmp/x.json', text)).toThrow(message);
  });

  test('createApp refuses a hooks directory with a broken file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooks-'));
    try {
      fs.writeFileSync(path.join(dir, 'bad.json'), broken({ id: 'Bad Id!' }));
      expect(() => buildApp({ hooksDir: dir })).toThrow(/bad\.json: \/id/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('discovery lists exactly what the files hold', () => {
    expect(services.map((s) => s.id).sort()).toEqual(['iec-hs-order-select', 'iec-hs-surveillance']);
    for (const s of services) expect(s.prefetch?.patient).toBe('Patient/{{context.patientId}}');
  });
});
