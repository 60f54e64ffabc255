import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runEvaluateCli, type EvaluateCliIo } from '../../src/cli/evaluate.js';
import { patientDataFromBundle } from '../../src/fhir/bundle.js';
import type { PatientData } from '../../src/features/types.js';
import type { Manifest } from '../../src/fixtures/manifest.js';

const manifest = JSON.parse(readFileSync('fhir-fixtures/manifest.json', 'utf8')) as Manifest;
const classic = manifest.scenarios.find((s) => s.id === 'iechs-classic')!;
const classicFile = path.resolve('fhir-fixtures', classic.file);

async function cli(argv: string[], io: Partial<EvaluateCliIo> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runEvaluateCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, ...io });
  return { code, out, err };
}

describe('iec-hs evaluate: usage errors exit 2 with a clear message', () => {
  test.each([
    [[], /give exactly one of --fhir or --bundle/],
    [['--fhir', 'http://127.0.0.1:1/fhir'], /--fhir needs --patient/],
    [['--bundle', 'a.json', '--fhir', 'http://127.0.0.1:1/fhir', '--patient', 'x'], /exactly one/],
    [['--bundle', 'a.json', '--now', 'yesterday'], /--now is not an ISO 8601 time/],
    [['--bundle', 'a.json', '--threshold', 'watch.windowDays'], /--threshold expects <id>=<number>/],
    [['--bundle', 'a.json', '--threshold', 'no.such=3'], /unknown threshold id "no.such"/],
    [['--bundle'], /--bundle needs a value/],
    [['--frob'], /unknown argument "--frob"/],
    [['--bundle', 'a.json', 'stray'], /unknown argument "stray"/],
    [['--bundle', '--json'], /--bundle needs a value/],
    [['--bundle', 'a.json', '--json=yes'], /--json takes no value/],
  ])('%p', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/Usage:/);
  });

  test('--threshold repeats, and -h is --help', async () => {
    const r = await cli(['--bundle', classicFile, '--now', manifest.anchor, '--json', '--threshold', 'watch.windowDays=10', '--threshold=lookback.days=3']);
    expect(r.code).toBe(0);
    // The first of two --threshold flags still reaches the engine (watch window 10 days -> not watched at day 12).
    expect((JSON.parse(r.out) as { evaluation: { watched: boolean } }).evaluation.watched).toBe(false);
    expect((await cli(['-h'])).out).toMatch(/Usage:/);
  });

  test('--help prints usage and exits 0', async () => {
    const r = await cli(['evaluate', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/iec-hs evaluate --bundle/);
  });
});

describe('iec-hs evaluate --bundle', () => {
  test('readable output: timeline summary and every assessment side by side', async () => {
    const r = await cli(['--bundle', classicFile, '--now', manifest.anchor]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Watch: Day 12 after .* inside the 100-day IEC-HS watch window/);
    expect(r.out).toMatch(/Day 0: \d{4}-\d{2}-\d{2}/);
    expect(r.out).toMatch(/CRS: grade 2, day 2 -> day 7/);
    expect(r.out).toMatch(/IEC-HS picture \(ASTCT framework\): YES/);
    expect(r.out).toMatch(/ferritin\s+28,400 ng\/mL/);
    for (const name of ['ASTCT IEC-HS framework [UNVERIFIED thresholds]', 'CARTOX carHLH/MAS', 'PRWCC HLH-like toxicity', 'HScore', 'HLH-2004', 'OHI']) {
      expect(r.out).toContain(name);
    }
  });

  test('--json prints the Evaluation', async () => {
    const r = await cli(['--bundle', classicFile, '--now', manifest.anchor, '--json']);
    const parsed = JSON.parse(r.out) as { evaluation: { iecHsPicture: boolean; assessments: { id: string }[] } };
    expect(parsed.evaluation.iecHsPicture).toBe(true);
    expect(parsed.evaluation.assessments.map((a) => a.id)).toEqual(['astct-iec-hs', 'carhlh', 'hlh-lt', 'hscore', 'hlh-2004', 'ohi']);
  });

  test('--threshold overrides reach the engine (watch window 10 days -> not watched at day 12)', async () => {
    const r = await cli(['--bundle', classicFile, '--now', manifest.anchor, '--json', '--threshold', 'watch.windowDays=10']);
    expect((JSON.parse(r.out) as { evaluation: { watched: boolean } }).evaluation.watched).toBe(false);
  });

  test('a file that is not a Bundle exits 1 and says why', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'iec-hs-cli-'));
    const file = path.join(dir, 'patient.json');
    writeFileSync(file, JSON.stringify({ resourceType: 'Patient', id: 'x' }));
    const r = await cli(['--bundle', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not a FHIR Bundle/);
  });
});

describe('patientDataFromBundle', () => {
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: 'urn:uuid:p1', resource: { resourceType: 'Patient', id: 'p1' } },
      { fullUrl: 'urn:uuid:p2', resource: { resourceType: 'Patient', id: 'p2' } },
      { resource: { resourceType: 'Observation', status: 'final', code: {}, subject: { reference: 'urn:uuid:p1' } } },
      { resource: { resourceType: 'Observation', status: 'final', code: {}, subject: { reference: 'Patient/p2' } } },
      { resource: { resourceType: 'Procedure', status: 'completed', subject: { reference: 'https://ehr.example/fhir/Patient/p1' } } },
      { resource: { resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' } } },
    ],
  };

  test('keeps only the chosen patient, by urn:uuid, relative or absolute reference', () => {
    const { data } = patientDataFromBundle(bundle, 'p1');
    const counts = (d: PatientData) => [d.observations.length, d.procedures.length, d.medicationRequests.length];
    expect(counts(data)).toEqual([1, 1, 1]);
    expect(counts(patientDataFromBundle(bundle, 'p2').data)).toEqual([1, 0, 0]);
  });

  test('several patients and no --patient: asks to choose', () => {
    expect(() => patientDataFromBundle(bundle)).toThrow(/holds 2 patients \(p1, p2\); choose one with --patient/);
  });
});

describe('iec-hs evaluate --fhir', () => {
  test('passes server, patient, limits and the token from IEC_HS_FHIR_TOKEN; reports partial data', async () => {
    const bundle: unknown = JSON.parse(readFileSync(classicFile, 'utf8'));
    const calls: unknown[] = [];
    const r = await cli(['--fhir', 'http://127.0.0.1:8080/fhir', '--patient', classic.patientId, '--now', manifest.anchor], {
      env: { IEC_HS_FHIR_TOKEN: 'tok' },
      fetchPatientData: async (opts) => {
        calls.push(opts);
        return { data: patientDataFromBundle(bundle, opts.patientId).data, missing: ['diagnosticReports'] };
      },
    });
    expect(r.code).toBe(0);
    expect(calls[0]).toMatchObject({ fhirServer: 'http://127.0.0.1:8080/fhir', patientId: classic.patientId, accessToken: 'tok', allowInsecureLoopback: true });
    expect(r.out).toMatch(/WARNING: incomplete FHIR data \(not retrieved: diagnosticReports\)/);
  });

  test('a FHIR failure exits 1 without a stack trace', async () => {
    const r = await cli(['--fhir', 'http://127.0.0.1:9/fhir', '--patient', 'x'], {
      fetchPatientData: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9');
      },
    });
    expect(r.code).toBe(1);
    expect(r.err).toBe('iec-hs evaluate: could not read the patient data: connect ECONNREFUSED 127.0.0.1:9\n');
  });
});

describe('iec-hs evaluate --fhir against the embedded FHIR server (real HTTP on loopback)', () => {
  let server: import('node:http').Server | undefined;
  let fhirBase = '';

  beforeAll(async () => {
    const express = (await import('express')).default;
    const { createEmbeddedFhir } = await import('../../src/embedded-fhir/index.js');
    const embedded = await createEmbeddedFhir();
    await embedded.loadBundle(JSON.parse(readFileSync(classicFile, 'utf8')));
    const app = express();
    app.use('/fhir', embedded.router);
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server!.address() as import('node:net').AddressInfo;
    fhirBase = `http://127.0.0.1:${port}/fhir`;
  }, 60_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  test('fetches the patient with the real fetchPatientData and finds the IEC-HS picture', async () => {
    const r = await cli(['--fhir', fhirBase, '--patient', classic.patientId, '--now', manifest.anchor, '--json']);
    expect(r.err).toBe('');
    const parsed = JSON.parse(r.out) as { partialData: string[]; evaluation: { iecHsPicture: boolean; severeOrganDysfunction: boolean } };
    expect(parsed.evaluation.iecHsPicture).toBe(true);
    // The classic patient is the warning example: organ labs at CTCAE grade <= 2 (iechs-severe is the critical one).
    expect(parsed.evaluation.severeOrganDysfunction).toBe(false);
  });
});
