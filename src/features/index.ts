/**
 * FHIR resources -> patient timeline (docs/architecture.md#layers (features)). Pure: no I/O, no clock (`now` is
 * passed in), never throws on FHIR-valid input; what it cannot use is listed in `issues`.
 */
import type { Patient } from 'fhir/r4';
import type { DataIssue, PatientData, PatientTimeline, Sex } from './types.js';
import { findInfusions } from './infusion.js';
import { buildLabs } from './labs.js';
import { findDiagnoses } from './diagnoses.js';
import { findTreatments } from './treatments.js';
import { isObject } from './fhir.js';
import { dayCounter, isValidTimeZone, parseFhirTime, zoneFromOffset } from './time.js';

export interface TimelineOptions {
  /** Evaluation time, ISO 8601; the engine never reads the clock itself. */
  now: string;
  /**
   * The site's IANA time zone (configuration `site.timeZone`): day N counts calendar days there. When
   * absent, the zone is taken from the infusion record's own offset (UTC when it has none).
   */
  timeZone?: string;
}

/** Issues beyond this many are summarised in one entry (a feed with one bad unit can repeat it 10,000 times). */
const MAX_ISSUES = 500;

function sexOf(patient: Patient | undefined): Sex {
  const g = patient?.gender;
  return g === 'male' || g === 'female' || g === 'other' ? g : 'unknown';
}

/** Whole years at `nowMs`, only for a birthDate precise to the day. */
function ageYears(birthDate: string, nowMs: number): number | undefined {
  const birth = parseFhirTime(birthDate);
  if (!birth || birth.precision !== 'day') return undefined;
  const b = new Date(birth.epochMs);
  const n = new Date(nowMs);
  let age = n.getUTCFullYear() - b.getUTCFullYear();
  if (n.getUTCMonth() < b.getUTCMonth() || (n.getUTCMonth() === b.getUTCMonth() && n.getUTCDate() < b.getUTCDate())) age--;
  return age >= 0 ? age : undefined;
}

function finishIssues(issues: DataIssue[]): DataIssue[] {
  issues.sort((a, b) =>
    a.source < b.source ? -1 : a.source > b.source ? 1 : a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0,
  );
  if (issues.length <= MAX_ISSUES) return issues;
  const omitted = issues.length - MAX_ISSUES;
  issues.length = MAX_ISSUES;
  issues.push({ source: 'timeline', reason: `${omitted} further data issues not listed` });
  return issues;
}

export function buildTimeline(data: PatientData, options: TimelineOptions): PatientTimeline {
  const nowParsed = parseFhirTime(options?.now);
  if (!nowParsed || nowParsed.precision === 'year' || nowParsed.precision === 'month') {
    // A caller bug, not patient data: the engine cannot place anything in time without it.
    throw new TypeError(`buildTimeline: options.now must be an ISO 8601 date-time, got ${JSON.stringify(options?.now)}`);
  }
  const nowEpochMs = nowParsed.epochMs;
  const safe: PatientData = isObject(data) ? data : ({} as PatientData);
  const issues: DataIssue[] = [];
  const patient = isObject(safe.patient) ? safe.patient : undefined;
  const sex = sexOf(patient);

  const { infusions, infusion } = findInfusions(safe, nowEpochMs, issues);
  const infusionEpochMs = infusion?.epochMs;
  if (options.timeZone !== undefined && !isValidTimeZone(options.timeZone)) {
    // Configuration validates the zone at start-up; a bad one here is a caller bug.
    throw new TypeError(`buildTimeline: options.timeZone must be an IANA time zone, got ${JSON.stringify(options.timeZone)}`);
  }
  const timeZone = options.timeZone ?? zoneFromOffset(infusion?.time) ?? 'UTC';
  const dayOf = infusion ? dayCounter(infusion.time, infusion.epochMs, timeZone) : undefined;
  const { labs, altUnitLabs, unconvertibleLabs } = buildLabs(safe.observations ?? [], { sex, infusionEpochMs, ...(dayOf && { dayOf }), issues });
  const { diagnoses, crsEpisodes } = findDiagnoses(safe, { infusionEpochMs, ...(dayOf && { dayOf }), issues });
  const treatments = findTreatments(safe, dayOf, issues);

  const timeline: PatientTimeline = {
    sex,
    now: options.now,
    timeZone,
    nowEpochMs,
    infusions,
    labs,
    crsEpisodes,
    diagnoses,
    treatments,
    issues: finishIssues(issues),
  };
  if (typeof patient?.id === 'string') timeline.patientId = patient.id;
  if (typeof patient?.birthDate === 'string') {
    timeline.birthDate = patient.birthDate;
    const age = ageYears(patient.birthDate, nowEpochMs);
    if (age !== undefined) timeline.ageYears = age;
  }
  if (infusion && dayOf) {
    timeline.infusion = infusion;
    timeline.dayNow = dayOf(options.now, nowEpochMs);
  }
  if (Object.keys(altUnitLabs).length > 0) timeline.altUnitLabs = altUnitLabs;
  if (Object.keys(unconvertibleLabs).length > 0) timeline.unconvertibleLabs = unconvertibleLabs;
  return timeline;
}

export type * from './types.js';
