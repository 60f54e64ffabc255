/**
 * Charted diagnoses and findings (CRS, ICANS, IEC complication, HLH, MAS, hemophagocytosis,
 * splenomegaly; infection and relapse, the confounders) from Conditions, Observations (code or coded value) and DiagnosticReports (code or
 * conclusionCode), plus CRS episodes from CRS Conditions.
 *
 * Hemophagocytosis is usually only written in a pathology report, and no SNOMED concept for the
 * finding was found. So a bone-marrow / pathology DiagnosticReport (conclusion, presentedForm text)
 * or pathology Observation (valueString, note) that affirms it is reported as a finding with
 * `basis: 'text'`. Negation is scoped to the finding it governs (NegEx-style, terminology/negation.ts):
 * "hemophagocytosis ..., without evidence of residual myeloma" is affirmed.
 */
import type { Attachment, CodeableConcept, Condition, DiagnosticReport, Observation } from 'fhir/r4';
import type { CrsEpisode, DataIssue, Diagnosis, PatientData } from './types.js';
import { HEMOPHAGOCYTOSIS_FINDING, findingAffirmed, isPathologyReport, matchDiagnosisConcept, mayCarryDiagnosis } from '../terminology/index.js';
import { arrayOf, forEachResource, isObject, ref } from './fhir.js';
import { abatementOf, hasAbated, isActiveCondition, isRefutedOrErroneous, onsetOf } from './conditions.js';
import { chronological, parseDayPrecise } from './time.js';

const IGNORED_RESULT_STATUS = new Set(['entered-in-error', 'cancelled']);

interface DayContext {
  infusionEpochMs?: number;
  /** Day number after the infusion in the site's zone (set with infusionEpochMs). */
  dayOf?: (time: string, epochMs: number) => number;
  issues: DataIssue[];
}

function dayOf(time: string | undefined, ctx: DayContext): number | undefined {
  const t = time === undefined || ctx.dayOf === undefined ? undefined : parseDayPrecise(time);
  return t && ctx.dayOf && time !== undefined ? ctx.dayOf(time, t.epochMs) : undefined;
}

function diagnosis(
  kind: Diagnosis['kind'],
  time: string | undefined,
  active: boolean,
  source: string,
  ctx: DayContext,
  extra: Partial<Pick<Diagnosis, 'display' | 'grade' | 'basis' | 'term'>>,
): Diagnosis {
  const d: Diagnosis = { kind, active, source, ...extra };
  if (typeof time === 'string') {
    d.time = time;
    const day = dayOf(time, ctx);
    if (day !== undefined) d.day = day;
  }
  return d;
}

function fromCondition(c: Condition, ctx: DayContext, diagnoses: Diagnosis[], crs: CrsEpisode[]): void {
  if (isRefutedOrErroneous(c)) return;
  const matches = matchDiagnosisConcept(isObject(c.code) ? c.code : undefined);
  if (matches.length === 0) return;
  const source = ref(c, 'Condition');
  const onset = onsetOf(c);
  const abated = hasAbated(c);
  const active = isActiveCondition(c, abated);
  for (const m of matches) {
    const extra: Partial<Diagnosis> = { display: c.code?.text ?? m.display };
    if (m.grade !== undefined) extra.grade = m.grade;
    if (m.term !== undefined) extra.term = m.term;
    diagnoses.push(diagnosis(m.kind, onset ?? c.recordedDate, active, source, ctx, extra));
    if (m.kind !== 'crs') continue;
    const episode: CrsEpisode = { active, source };
    if (typeof onset === 'string') {
      episode.onset = onset;
      const d = dayOf(onset, ctx);
      if (d !== undefined) episode.onsetDay = d;
    }
    const abatement = abatementOf(c);
    if (typeof abatement === 'string') {
      episode.abatement = abatement;
      const d = dayOf(abatement, ctx);
      if (d !== undefined) episode.abatementDay = d;
    }
    if (m.grade !== undefined) episode.grade = m.grade;
    crs.push(episode);
  }
}

function fromConcepts(
  concepts: readonly (CodeableConcept | undefined)[],
  time: string | undefined,
  source: string,
  ctx: DayContext,
  out: Diagnosis[],
): void {
  const seen = new Set<string>();
  for (const concept of concepts) {
    for (const m of matchDiagnosisConcept(isObject(concept) ? concept : undefined)) {
      if (seen.has(m.kind)) continue;
      seen.add(m.kind);
      out.push(diagnosis(m.kind, time, true, source, ctx, {
        display: m.display,
        ...(m.grade !== undefined && { grade: m.grade }),
        ...(m.term !== undefined && { term: m.term }),
      }));
    }
  }
}

function fromObservation(o: Observation, ctx: DayContext, out: Diagnosis[]): void {
  if (IGNORED_RESULT_STATUS.has(o.status)) return;
  // A finding coded as the Observation's code is present unless the value says "false".
  if (o.valueBoolean === false) return;
  const coded = mayCarryDiagnosis(o.code) || mayCarryDiagnosis(o.valueCodeableConcept);
  const text = isPathologyReport(o.code) && affirmsHemophagocytosis([o.valueString, ...arrayOf(o.note).map((n) => (isObject(n) ? n.text : undefined))]);
  if (!coded && !text) return; // the common case: a lab result, no allocation
  const time = o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued;
  const source = ref(o, 'Observation');
  if (coded) fromConcepts([o.code, o.valueCodeableConcept], time, source, ctx, out);
  if (text) {
    out.push(diagnosis('hemophagocytosis', time, true, source, ctx, { display: 'hemophagocytosis mentioned in report text (not coded)', basis: 'text' }));
  }
}

function fromReport(r: DiagnosticReport, ctx: DayContext, out: Diagnosis[]): void {
  if (IGNORED_RESULT_STATUS.has(r.status)) return;
  const time = r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.issued;
  const source = ref(r, 'DiagnosticReport');
  fromConcepts([r.code, ...arrayOf(r.conclusionCode)], time, source, ctx, out);
  const pathology = isPathologyReport(r.code) || arrayOf(r.category).some((c) => isObject(c) && isPathologyReport(c));
  if (pathology && !out.some((d) => d.source === source && d.kind === 'hemophagocytosis')) {
    if (affirmsHemophagocytosis([r.conclusion, ...arrayOf(r.presentedForm).map(attachmentText)])) {
      out.push(diagnosis('hemophagocytosis', time, true, source, ctx, { display: 'hemophagocytosis in the pathology report text (not coded)', basis: 'text' }));
    }
  }
}

/** Longest report text read (a marrow report is a few kB; this bounds a hostile payload). */
const MAX_TEXT_CHARS = 200_000;

/** Plain text of an inline text/* attachment (presentedForm), else undefined. */
function attachmentText(a: Attachment | undefined): string | undefined {
  if (!isObject(a) || typeof a.data !== 'string' || typeof a.contentType !== 'string') return undefined;
  if (!/^text\/(?:plain|markdown|html)\b/i.test(a.contentType)) return undefined;
  if (a.data.length > (MAX_TEXT_CHARS * 4) / 3) return undefined;
  const text = Buffer.from(a.data, 'base64').toString('utf8');
  return /^text\/html/i.test(a.contentType) ? text.replace(/<[^>]*>/g, ' ') : text;
}

function affirmsHemophagocytosis(texts: readonly unknown[]): boolean {
  return texts.some((t) => typeof t === 'string' && t.length <= MAX_TEXT_CHARS && findingAffirmed(t, HEMOPHAGOCYTOSIS_FINDING));
}

export function findDiagnoses(data: PatientData, ctx: DayContext): { diagnoses: Diagnosis[]; crsEpisodes: CrsEpisode[] } {
  const diagnoses: Diagnosis[] = [];
  const crsEpisodes: CrsEpisode[] = [];
  forEachResource(data.conditions, 'Condition', ctx.issues, (c) => fromCondition(c, ctx, diagnoses, crsEpisodes));
  forEachResource(data.observations, 'Observation', ctx.issues, (o) => fromObservation(o, ctx, diagnoses));
  forEachResource(data.diagnosticReports, 'DiagnosticReport', ctx.issues, (r) => fromReport(r, ctx, diagnoses));
  diagnoses.sort((a, b) => chronological(a, b) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  crsEpisodes.sort(chronological);
  return { diagnoses, crsEpisodes };
}
