/**
 * `iec-hs evaluate`: run the clinical engine on one patient from the command line.
 *
 *   iec-hs evaluate --fhir <base> --patient <id> [--now <iso>] [--json] [--threshold id=value ...]
 *   iec-hs evaluate --bundle <file> [--patient <id>] [--now <iso>] [--json] [--threshold id=value ...]
 *
 * FHIR access uses the surveillance service's prefetch templates (fetchPatientData); a bearer token, if
 * needed, comes from the IEC_HS_FHIR_TOKEN environment variable (never a flag: flags end up in shell
 * history). Default output is a readable summary; --json prints the whole Evaluation for machines.
 * Exit codes: 0 done, 1 could not get or read the data, 2 usage error.
 */
import { readFile } from 'node:fs/promises';
import { defaultConfig } from '../config/defaults.js';
import { evaluate } from '../criteria/index.js';
import { ANALYTE_NAME, withUnit } from '../criteria/format.js';
import { resolveThresholds } from '../criteria/thresholds.js';
import type { Assessment, CriterionStatus, Evaluation } from '../criteria/types.js';
import { buildTimeline } from '../features/index.js';
import type { Analyte, LabValue, PatientData } from '../features/types.js';
import { fetchPatientData, patientDataFromBundle } from '../fhir/index.js';
import { prefetchTemplatesOf } from '../hooks/index.js';
import { UsageError, parseFlags } from './args.js';

export const EVALUATE_USAGE = `Usage:
  iec-hs evaluate --fhir <base-url> --patient <id> [--now <iso>] [--json] [--threshold <id>=<value> ...]
  iec-hs evaluate --bundle <file.json> [--patient <id>] [--now <iso>] [--json] [--threshold <id>=<value> ...]

  --fhir       FHIR R4 base URL (https; http only on loopback). Token: IEC_HS_FHIR_TOKEN env variable.
  --bundle     a FHIR Bundle file holding the patient's resources
  --patient    patient id (required with --fhir; with --bundle, picks one of several patients)
  --now        evaluation time, ISO 8601 (default: the current time)
  --json       print the Evaluation as JSON
  --threshold  override a clinical threshold by id (see src/criteria/thresholds.ts); repeatable
`;

export interface EvaluateCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** The clock, read only when --now is absent. */
  now: () => Date;
  fetchPatientData: typeof fetchPatientData;
}

interface CliArgs {
  fhir?: string;
  bundle?: string;
  patient?: string;
  now?: string;
  json: boolean;
  thresholds: Record<string, number>;
}

const FLAGS = {
  fhir: { type: 'string' },
  bundle: { type: 'string' },
  patient: { type: 'string' },
  now: { type: 'string' },
  json: { type: 'boolean' },
  threshold: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseThreshold(pair: string, into: Record<string, number>): void {
  const eq = pair.indexOf('=');
  const text = pair.slice(eq + 1);
  const num = Number(text);
  if (eq <= 0 || text.trim() === '' || Number.isNaN(num)) throw new UsageError(`--threshold expects <id>=<number>, got "${pair}"`);
  into[pair.slice(0, eq)] = num;
}

function parseEvaluateArgs(argv: readonly string[]): CliArgs | 'help' {
  const values = parseFlags(argv[0] === 'evaluate' ? argv.slice(1) : argv, FLAGS);
  if (values.help) return 'help';
  const args: CliArgs = {
    json: values.json ?? false,
    thresholds: {},
    ...(values.fhir !== undefined ? { fhir: values.fhir } : {}),
    ...(values.bundle !== undefined ? { bundle: values.bundle } : {}),
    ...(values.patient !== undefined ? { patient: values.patient } : {}),
    ...(values.now !== undefined ? { now: values.now } : {}),
  };
  for (const pair of values.threshold ?? []) parseThreshold(pair, args.thresholds);
  if (!args.fhir === !args.bundle) throw new UsageError('give exactly one of --fhir or --bundle');
  if (args.fhir && !args.patient) throw new UsageError('--fhir needs --patient');
  if (args.now !== undefined && Number.isNaN(Date.parse(args.now))) throw new UsageError(`--now is not an ISO 8601 time: "${args.now}"`);
  if (args.fhir) {
    try {
      new URL(args.fhir);
    } catch {
      throw new UsageError(`--fhir is not a URL: "${args.fhir}"`);
    }
  }
  return args;
}

const STATUS_TEXT: Record<CriterionStatus, string> = { met: 'MET', 'not-met': 'not met', 'insufficient-data': 'insufficient data' };

function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col] ?? 0))).join('  ').trimEnd()).join('\n');
}

function rangeText(v: LabValue): string {
  if (v.low === undefined && v.high === undefined) return '-';
  const range = v.low === undefined ? `<= ${v.high}` : v.high === undefined ? `>= ${v.low}` : `${v.low}-${v.high}`;
  return v.rangeSource === 'default' ? `${range} (default)` : range;
}

function assessmentBlock(a: Assessment): string {
  const lines = [`${a.name}${a.source.verified ? '' : ' [UNVERIFIED thresholds]'}: ${STATUS_TEXT[a.status]}`, `  ${a.summary}`];
  for (const c of a.criteria) {
    const evidence = c.evidence
      .map((e) => (e.value ? `${e.label}: ${withUnit(e.value.value, e.value.unit)} day ${e.value.day ?? '?'}` : e.note ? `${e.label}: ${e.note}` : e.label))
      .join('; ');
    const missing = c.missing.length ? ` | missing: ${c.missing.join('; ')}` : '';
    lines.push(`  - [${STATUS_TEXT[c.status]}] ${c.label}${c.points !== undefined ? ` (${c.points} pts)` : ''}${evidence ? ` | ${evidence}` : ''}${missing}`);
  }
  lines.push(`  Source: ${a.source.label}, ${a.source.url}`);
  return lines.join('\n');
}

export function formatEvaluation(e: Evaluation, partial: string[] = []): string {
  const tl = e.timeline;
  const out: string[] = [];
  out.push(`IEC-HS evaluation, patient ${tl.patientId ?? '?'}, at ${tl.now}`);
  if (partial.length) out.push(`WARNING: incomplete FHIR data (not retrieved: ${partial.join(', ')})`);
  out.push(`Watch: ${e.watchReason}`);
  if (tl.infusion) {
    out.push(`Day 0: ${tl.infusion.time.slice(0, 10)}, ${tl.infusion.product ?? 'product not named'} (${tl.infusion.evidence}, ${tl.infusion.strength}); today is day ${tl.dayNow ?? '?'}`);
  }
  out.push(
    tl.crsEpisodes.length
      ? `CRS: ${tl.crsEpisodes.map((c) => `${c.grade !== undefined ? `grade ${c.grade}, ` : ''}day ${c.onsetDay ?? '?'} -> ${c.abatementDay !== undefined ? `day ${c.abatementDay}` : c.active ? 'active' : 'resolved'}`).join('; ')}`
      : 'CRS: none recorded',
  );
  out.push(`IEC-HS picture (ASTCT framework): ${e.iecHsPicture ? 'YES' : 'no'}   Severe organ dysfunction: ${e.severeOrganDysfunction ? 'YES' : 'no'}   (IEC-HS grade is never auto-assigned)`);
  out.push(`Workup due: ${e.workupDue.length ? e.workupDue.map((a) => ANALYTE_NAME[a]).join(', ') : 'none'}`);
  if (e.confounders?.length) {
    out.push(`Other explanations on record: ${e.confounders.map((d) => `${d.term ?? d.display ?? d.kind} (${d.kind}, day ${d.day ?? '?'})`).join('; ')}`);
  }

  const latest = (Object.keys(tl.labs) as Analyte[])
    .map((a) => tl.labs[a]?.values.filter((v) => v.epochMs <= tl.nowEpochMs).at(-1))
    .filter((v): v is LabValue => v !== undefined);
  out.push('', 'Latest values');
  out.push(
    latest.length
      ? table([['analyte', 'value', 'reference range', 'day', 'time'], ...latest.map((v) => [ANALYTE_NAME[v.analyte], withUnit(v.value, v.unit), rangeText(v), String(v.day ?? '?'), v.time])])
      : '(no tracked lab values)',
  );
  if (e.organGrades.length) {
    out.push('', 'CTCAE v5 grades (latest value, last 7 days)');
    out.push(table([['analyte', 'grade', 'rule'], ...e.organGrades.map((g) => [ANALYTE_NAME[g.analyte], String(g.grade), g.threshold])]));
  }
  out.push('', 'Criteria sets (side by side, never combined)');
  out.push(table([['set', 'result', 'summary'], ...e.assessments.map((a) => [a.name, STATUS_TEXT[a.status], a.summary])]));
  for (const a of e.assessments) out.push('', assessmentBlock(a));
  if (tl.issues.length) out.push('', `Data not used: ${tl.issues.length} item(s), e.g. ${tl.issues.slice(0, 3).map((i) => `${i.source}: ${i.reason}`).join('; ')}`);
  return `${out.join('\n')}\n`;
}

export async function runEvaluateCli(argv: string[], io: Partial<EvaluateCliIo> = {}): Promise<number> {
  const stdout = io.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => void process.stderr.write(t));
  const env = io.env ?? process.env;
  let args: CliArgs;
  let thresholds: Record<string, number>;
  try {
    const parsed = parseEvaluateArgs(argv);
    if (parsed === 'help') {
      stdout(EVALUATE_USAGE);
      return 0;
    }
    args = parsed;
    resolveThresholds(args.thresholds); // fail fast on a bad override
    thresholds = args.thresholds;
  } catch (error) {
    stderr(`iec-hs evaluate: ${(error as Error).message}\n\n${EVALUATE_USAGE}`);
    return 2;
  }

  const now = args.now ? new Date(args.now).toISOString() : (io.now ?? (() => new Date()))().toISOString();
  let data: PatientData;
  let missing: string[] = [];
  try {
    if (args.bundle) {
      const parsed: unknown = JSON.parse(await readFile(args.bundle, 'utf8'));
      data = patientDataFromBundle(parsed, args.patient).data;
    } else if (args.fhir !== undefined && args.patient !== undefined) {
      const token = env.IEC_HS_FHIR_TOKEN;
      const fetched = await (io.fetchPatientData ?? fetchPatientData)({
        fhirServer: args.fhir,
        patientId: args.patient,
        templates: prefetchTemplatesOf(),
        limits: defaultConfig('production').fhir,
        // A person running the CLI may point it at a local test server; other http targets stay refused.
        allowInsecureLoopback: true,
        ...(token ? { accessToken: token } : {}),
      });
      data = fetched.data;
      missing = fetched.missing;
    } else {
      // parseEvaluateArgs guarantees one of --bundle or --fhir with --patient; say so rather than assume it.
      stderr(`iec-hs evaluate: give --bundle, or --fhir with --patient\n\n${EVALUATE_USAGE}`);
      return 2;
    }
  } catch (error) {
    stderr(`iec-hs evaluate: could not read the patient data: ${(error as Error).message}\n`);
    return 1;
  }

  const evaluation = evaluate(buildTimeline(data, { now }), { thresholds });
  stdout(args.json ? `${JSON.stringify({ now, partialData: missing, evaluation }, null, 2)}\n` : formatEvaluation(evaluation, missing));
  return 0;
}
