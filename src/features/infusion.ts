/**
 * Immune effector cell infusions and day 0 (docs/clinical-basis.md#who-is-watched).
 *
 * Definite: a Procedure (completed / in-progress / stopped) or MedicationAdministration (completed /
 * in-progress / on-hold / stopped) with a CAR-T administration code or product. Weak: the same with an
 * unknown status, a MedicationRequest for a product, or a Condition coded as a complication of immune
 * effector cellular therapy (T80.82-): these prove exposure but not the date. CRS never does: CRS
 * follows T-cell engagers too, so a CRS diagnosis says nothing about which therapy was given or when.
 * Procedures in `preparation` or `not-done`, and harvest / preparation codes (carT.ts), never set day 0.
 *
 * Bispecific T-cell engagers are their own exposure class (`t-cell-engager`): day 0 is the FIRST
 * (step-up) dose of the product, later doses of the same course never move it.
 *
 * Evidence dated after `now` is listed but never day 0. Day 0 = the most recent definite infusion (or
 * engager course start), else the most recent weak one.
 */
import type { Condition, MedicationAdministration, MedicationRequest, Procedure } from 'fhir/r4';
import type { DataIssue, Infusion, InfusionEvidence, PatientData } from './types.js';
import { matchCarTConcept, matchDiagnosisConcept, matchEngagerConcept, type CarTCode, type EngagerProduct } from '../terminology/index.js';
import { arrayOf, forEachResource, isObject, medicationConcepts, ref } from './fhir.js';
import { parseFhirTime } from './time.js';
import { isRefutedOrErroneous } from './conditions.js';

const PROCEDURE_DEFINITE = new Set(['completed', 'in-progress', 'stopped']);
const PROCEDURE_IGNORED = new Set(['not-done', 'entered-in-error', 'preparation']);
const ADMIN_DEFINITE = new Set(['completed', 'in-progress', 'on-hold', 'stopped']);
const ADMIN_IGNORED = new Set(['not-done', 'entered-in-error']);
const REQUEST_IGNORED = new Set(['cancelled', 'entered-in-error', 'revoked']);

/** What `push` needs of a code: CAR-T codes, or an engager product tagged with its class. */
type ExposureCode = Pick<CarTCode, 'display' | 'product'> & { exposure?: Infusion['exposure'] };

function push(
  out: Infusion[],
  issues: DataIssue[],
  rawTime: unknown,
  code: ExposureCode,
  evidence: InfusionEvidence,
  strength: Infusion['strength'],
  source: string,
): void {
  const t = parseFhirTime(rawTime);
  if (!t) {
    issues.push({ source, reason: 'CAR-T evidence without a usable date; not used for day 0' });
    return;
  }
  if (t.precision === 'year' || t.precision === 'month') {
    issues.push({ source, reason: `CAR-T evidence dated "${String(rawTime)}" is not precise to the day; not used for day 0` });
    return;
  }
  const infusion: Infusion = { exposure: code.exposure ?? 'cellular', time: rawTime as string, epochMs: t.epochMs, evidence, strength, source };
  // A product name only: a procedure's display ("CAR-T cell administration, autologous") names no product.
  const product = code.product?.brand;
  if (product) infusion.product = product;
  out.push(infusion);
}

function medicationCarT(resource: MedicationAdministration | MedicationRequest): CarTCode | undefined {
  for (const concept of medicationConcepts(resource)) {
    const hit = matchCarTConcept(concept);
    if (hit?.role === 'administration') return hit;
  }
  return undefined;
}

function fromProcedure(p: Procedure, out: Infusion[], issues: DataIssue[]): void {
  if (PROCEDURE_IGNORED.has(p.status)) return;
  const code = matchCarTConcept(isObject(p.code) ? p.code : undefined);
  if (code?.role !== 'administration') return;
  const strength = PROCEDURE_DEFINITE.has(p.status) ? 'definite' : 'weak';
  push(out, issues, p.performedDateTime ?? p.performedPeriod?.start, code, 'Procedure', strength, ref(p, 'Procedure'));
}

function fromAdministration(a: MedicationAdministration, out: Infusion[], issues: DataIssue[]): void {
  if (ADMIN_IGNORED.has(a.status)) return;
  const code = medicationCarT(a);
  if (!code) return;
  const strength = ADMIN_DEFINITE.has(a.status) ? 'definite' : 'weak';
  push(out, issues, a.effectiveDateTime ?? a.effectivePeriod?.start, code, 'MedicationAdministration', strength, ref(a, 'MedicationAdministration'));
}

function fromRequest(r: MedicationRequest, out: Infusion[], issues: DataIssue[]): void {
  if (REQUEST_IGNORED.has(r.status)) return;
  const code = medicationCarT(r);
  if (!code) return;
  const planned = arrayOf(r.dosageInstruction).find((d) => isObject(d) && arrayOf(d.timing?.event).length > 0)?.timing?.event?.[0];
  push(out, issues, planned ?? r.authoredOn, code, 'MedicationRequest', 'weak', ref(r, 'MedicationRequest'));
}

function fromCondition(c: Condition, out: Infusion[], issues: DataIssue[]): void {
  if (isRefutedOrErroneous(c)) return;
  const kinds = matchDiagnosisConcept(isObject(c.code) ? c.code : undefined);
  const hit = kinds.find((k) => k.kind === 'iec-complication');
  if (!hit) return;
  // A complication is charted after the infusion: its date is an upper bound, hence weak.
  const when = c.onsetDateTime ?? c.onsetPeriod?.start ?? c.recordedDate;
  push(out, issues, when, { display: hit.display }, 'Condition', 'weak', ref(c, 'Condition'));
}

function medicationEngager(resource: MedicationAdministration | MedicationRequest): EngagerProduct | undefined {
  for (const concept of medicationConcepts(resource)) {
    const hit = matchEngagerConcept(concept);
    if (hit) return hit;
  }
  return undefined;
}

function engagerCode(product: EngagerProduct): ExposureCode {
  return { exposure: 't-cell-engager', display: product.generic, product: { brand: product.generic, generic: product.generic } };
}

/** Engager doses (given or ordered); only each product's first dose is kept afterwards. */
function fromEngager(resource: MedicationAdministration | MedicationRequest, out: Infusion[], issues: DataIssue[]): void {
  const product = medicationEngager(resource);
  if (!product) return;
  if (resource.resourceType === 'MedicationAdministration') {
    if (ADMIN_IGNORED.has(resource.status)) return;
    const strength = ADMIN_DEFINITE.has(resource.status) ? 'definite' : 'weak';
    push(out, issues, resource.effectiveDateTime ?? resource.effectivePeriod?.start, engagerCode(product), 'MedicationAdministration', strength, ref(resource, 'MedicationAdministration'));
  } else {
    if (REQUEST_IGNORED.has(resource.status)) return;
    push(out, issues, resource.authoredOn, engagerCode(product), 'MedicationRequest', 'weak', ref(resource, 'MedicationRequest'));
  }
}

/** Day 0 of an engager course is its first dose: per product and strength, the earliest one only. */
function firstDoses(doses: Infusion[]): Infusion[] {
  const first = new Map<string, Infusion>();
  for (const d of doses) {
    const key = `${d.product ?? ''}|${d.strength}`;
    const seen = first.get(key);
    if (!seen || d.epochMs < seen.epochMs) first.set(key, d);
  }
  return [...first.values()];
}

export function findInfusions(data: PatientData, nowEpochMs: number, issues: DataIssue[]): { infusions: Infusion[]; infusion?: Infusion } {
  const infusions: Infusion[] = [];
  const engagerDoses: Infusion[] = [];
  forEachResource(data.medicationAdministrations, 'MedicationAdministration', issues, (a) => fromEngager(a, engagerDoses, issues));
  forEachResource(data.medicationRequests, 'MedicationRequest', issues, (r) => fromEngager(r, engagerDoses, issues));
  infusions.push(...firstDoses(engagerDoses.filter((d) => d.epochMs <= nowEpochMs)), ...engagerDoses.filter((d) => d.epochMs > nowEpochMs));
  forEachResource(data.procedures, 'Procedure', issues, (p) => fromProcedure(p, infusions, issues));
  forEachResource(data.medicationAdministrations, 'MedicationAdministration', issues, (a) => fromAdministration(a, infusions, issues));
  forEachResource(data.medicationRequests, 'MedicationRequest', issues, (r) => fromRequest(r, infusions, issues));
  forEachResource(data.conditions, 'Condition', issues, (c) => fromCondition(c, infusions, issues));
  infusions.sort((a, b) => a.epochMs - b.epochMs || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  let definite: Infusion | undefined;
  let weak: Infusion | undefined;
  for (const inf of infusions) {
    if (inf.epochMs > nowEpochMs) {
      issues.push({ source: inf.source, reason: 'CAR-T evidence dated after the evaluation time; not used for day 0' });
      continue;
    }
    if (inf.strength === 'definite') definite = inf;
    else weak = inf;
  }
  const infusion = definite ?? weak;
  return infusion ? { infusions, infusion } : { infusions };
}


