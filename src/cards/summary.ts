/**
 * Card summaries: one plain-text sentence under 140 characters (CDS Hooks; Inferno flags >= 140) that a
 * clinician understands at a glance: what, which day after infusion, the driving value.
 */
import type { LabValue } from '../features/types.js';
import type { Evaluation, OrganGrade } from '../criteria/types.js';
import { SEVERITY_ANALYTES } from '../criteria/severity.js';
import { resolveThresholds } from '../criteria/thresholds.js';
import { confounderSummaryPhrase } from './confounders.js';
import { ANALYTE_LABEL, formatLab, formatNumber, formatRelativeChange, listWithMore } from './format.js';

export const SUMMARY_MAX_CHARS = 139;

/** Joins the required part with as many optional parts as fit; cuts hard (with an ellipsis) as a last resort. */
export function fitSummary(required: string, optional: string[] = []): string {
  let text = required;
  for (const part of optional) {
    if ((text + part).length <= SUMMARY_MAX_CHARS) text += part;
  }
  return text.length <= SUMMARY_MAX_CHARS ? text : `${text.slice(0, SUMMARY_MAX_CHARS - 1).trimEnd()}…`;
}

/** The required part with the first alternative that fits (alternatives ordered from richest to shortest). */
export function fitFirst(required: string, alternatives: string[]): string {
  const chosen = alternatives.find((alt) => (required + alt).length <= SUMMARY_MAX_CHARS);
  return fitSummary(chosen === undefined ? required : required + chosen);
}

export function dayPhrase(evaluation: Evaluation): string {
  const day = evaluation.timeline.dayNow;
  // T-cell engagers are never called CAR-T: the product (or the class) is named instead.
  const after = evaluation.exposure?.class === 't-cell-engager' ? `after ${evaluation.exposure.product ?? 'T-cell engager therapy'}` : 'after CAR-T';
  return day === undefined ? after : `day ${day} ${after}`;
}

/** The latest ferritin with its day and direction: `ferritin 520 ng/mL today, falling from 8,600 on day 3`. */
export function ferritinCoursePhrase(evaluation: Evaluation): string | undefined {
  const course = evaluation.ferritinCourse;
  if (!course) return undefined;
  const { latest, peak, previous, nadir } = course;
  const when = latest.day === undefined ? '' : latest.day === evaluation.timeline.dayNow ? ' today' : ` on day ${latest.day}`;
  const head = `${ANALYTE_LABEL.ferritin} ${formatLab(latest)}${when}`;
  const dayOf = (v: LabValue): string => (v.day === undefined ? '' : ` on day ${v.day}`);
  if (course.direction === 'falling' || course.pattern === 'falling-tail') {
    const from = peak && peak.source !== latest.source ? peak : previous;
    return from ? `${head}, falling from ${formatNumber(from.value)}${dayOf(from)}` : `${head}, falling`;
  }
  if (course.direction === 'rising') {
    const from = nadir && nadir.source !== latest.source ? nadir : previous;
    return from ? `${head}, up from ${formatNumber(from.value)}${dayOf(from)}` : `${head}, rising`;
  }
  return course.direction === 'stable' ? `${head}, stable` : head;
}

/** The alert's head: what the picture is called for this exposure class and CRS state. */
function alertHead(evaluation: Evaluation, severity: string): string {
  const engager = evaluation.exposure?.class === 't-cell-engager';
  const overlap = evaluation.picture?.overlappingCrs === true;
  if (engager) {
    const product = evaluation.exposure?.product ?? 'T-cell engager';
    const day = evaluation.timeline.dayNow === undefined ? '' : `, day ${evaluation.timeline.dayNow}`;
    return overlap
      ? `HLH-like features overlapping active CRS${severity}, ${dayPhrase(evaluation)}`
      : `HLH-like syndrome after T-cell engager therapy (${product})${severity}${day}`;
  }
  return overlap ? `HLH-like features overlapping active CRS (possible IEC-HS)${severity}, ${dayPhrase(evaluation)}` : `Possible IEC-HS${severity}, ${dayPhrase(evaluation)}`;
}

interface DrivingValue {
  value: LabValue;
  baseline?: LabValue;
}

/** The value that drives the IEC-HS picture: the ASTCT key criterion's lab (ferritin), else the latest ferritin. */
export function drivingValue(evaluation: Evaluation): DrivingValue | undefined {
  const astct = evaluation.assessments.find((a) => a.id === 'astct-iec-hs');
  const metCriteria = astct?.criteria.filter((c) => c.status === 'met') ?? [];
  const evidence = metCriteria.flatMap((c) => c.evidence).filter((e) => e.value !== undefined);
  const chosen = evidence.find((e) => e.value?.analyte === 'ferritin') ?? evidence[0];
  if (chosen?.value) return { value: chosen.value, baseline: chosen.baseline ?? evaluation.timeline.labs[chosen.value.analyte]?.baseline };
  const ferritin = evaluation.timeline.labs.ferritin;
  const latest = ferritin?.values.filter((v) => v.epochMs <= evaluation.timeline.nowEpochMs).at(-1);
  return latest ? { value: latest, baseline: ferritin?.baseline } : undefined;
}

export function drivingValueText(driving: DrivingValue): string {
  const { value, baseline } = driving;
  const text = `${ANALYTE_LABEL[value.analyte]} ${formatLab(value)}`;
  const change = baseline && baseline.source !== value.source ? formatRelativeChange(value.value, baseline.value) : undefined;
  return change ? `${text} (${change} baseline)` : text;
}

/**
 * The worst liver, kidney or coagulation lab at or above the severity grade (the labs that set the
 * card tier). Cytopenias are left out: after lymphodepletion they are expected and say nothing new.
 */
export function worstOrgan(evaluation: Evaluation, thresholds?: Record<string, number>): OrganGrade | undefined {
  const minGrade = resolveThresholds(thresholds)['severity.minGrade'];
  return [...evaluation.organGrades]
    .sort((a, b) => b.grade - a.grade)
    .find((g) => SEVERITY_ANALYTES.has(g.analyte) && g.grade >= minGrade);
}

/** Low fibrinogen, when the ASTCT criterion is met: the second value a clinician looks for (`fibrinogen 128 mg/dL`). */
function secondFinding(evaluation: Evaluation, driving: DrivingValue | undefined): string | undefined {
  const astct = evaluation.assessments.find((a) => a.id === 'astct-iec-hs');
  const fibrinogen = astct?.criteria.find((c) => c.id === 'astct-fibrinogen' && c.status === 'met')?.evidence[0]?.value;
  return fibrinogen && fibrinogen.analyte !== driving?.value.analyte ? `${ANALYTE_LABEL.fibrinogen} ${formatLab(fibrinogen)}` : undefined;
}

export function alertSummary(evaluation: Evaluation, critical: boolean, thresholds?: Record<string, number>): string {
  const driving = drivingValue(evaluation);
  const organ = worstOrgan(evaluation, thresholds);
  const severity = critical
    ? organ
      ? ` with grade ${organ.grade} ${ANALYTE_LABEL[organ.analyte]}`
      : ' with severe organ dysfunction'
    : '';
  const head = alertHead(evaluation, severity);
  const second = secondFinding(evaluation, driving);
  const course = ferritinCoursePhrase(evaluation);
  const first = course ?? (driving ? drivingValueText(driving) : undefined);
  const parts = first ? [`: ${first}`, ...(second ? [`, ${second}`] : [])] : [];
  const confounder = confounderSummaryPhrase(evaluation);
  if (!confounder) return fitSummary(head, parts);
  // A recorded infection or relapse outranks the second lab value: drop that first, then the driving value.
  const withConfounder = [parts.join(''), parts[0] ?? '', ''].map((lab) => `${lab}${lab ? '; ' : ': '}${confounder}`);
  const fitting = withConfounder.find((alt) => (head + alt).length <= SUMMARY_MAX_CHARS);
  return fitting === undefined ? fitSummary(head, parts) : head + fitting;
}

export function watchSummary(evaluation: Evaluation, partial: boolean, thresholds?: Record<string, number>): string {
  const due = evaluation.workupDue.map((a) => ANALYTE_LABEL[a]);
  const organ = worstOrgan(evaluation, thresholds);
  const parts: string[] = [];
  const reasons = evaluation.picture?.watchReasons ?? [];
  const course = ferritinCoursePhrase(evaluation);
  if (course && reasons.some((r) => r.startsWith('ferritin-'))) parts.push(`: ${course}`);
  if (due.length > 0) parts.push(`${parts.length ? ';' : ':'} ${listWithMore(due, 3)} due`);
  if (organ) parts.push(`${parts.length ? ';' : ':'} grade ${organ.grade} ${ANALYTE_LABEL[organ.analyte]}, ${syndromeName(evaluation)} criteria not met`);
  if (partial) parts.push(`${parts.length ? ';' : ':'} checked on incomplete data`);
  if (parts.length === 0) parts.push(`: ${syndromeName(evaluation)} criteria not assessable, data missing`);
  return fitSummary(`${syndromeName(evaluation)} watch, ${dayPhrase(evaluation)}`, parts);
}

/** IEC-HS stays for cellular therapies; after a T-cell engager the syndrome is "HLH-like syndrome". */
function syndromeName(evaluation: Evaluation): string {
  return evaluation.exposure?.class === 't-cell-engager' ? 'HLH-like syndrome' : 'IEC-HS';
}
