/**
 * The compact scenario description every fixture is written in. Days count from the most recent
 * infusion (day 0); `dayNow` is the day the manifest anchor falls on. Times of day are fixed by the
 * builders (labs drawn 11:00Z, the day-0 baseline 06:00Z before the 10:00Z infusion), so a scenario
 * only says which day a value belongs to.
 */
import type { Coding, Observation } from 'fhir/r4';
import type { Indicator } from '../../src/cards/cdsHooks.js';
import type { DrugKey, LabKey, ProductKey, WorkupKey } from './codes.js';
import type { Range, RangeProfile } from './ranges.js';

export interface PointOptions {
  /** Hour (UTC) of the draw instead of the default. */
  hour?: number;
  status?: Observation['status'];
  note?: string;
  /** Hours from draw to `issued` (default 2). */
  issuedAfterHours?: number;
}

/** One result: [day, value] or [day, value, options]. */
export type Point = readonly [day: number, value: number] | readonly [day: number, value: number, options: PointOptions];

export interface LabSpec {
  lab: LabKey;
  points: readonly Point[];
  /**
   * The unit as the lab wrote it, when it is not the code's UCUM unit: `code` (UCUM, optional) and the
   * human text. Points and `range` are then in that unit.
   */
  unit?: { code?: string; text: string };
  /** Range printed on the result; default from ranges.ts; 'none' sends no referenceRange. */
  range?: Range | 'none';
  /** Epic style: a local component code first, LOINC second, plus the lab-section category. */
  epicLocal?: boolean;
}

export interface InfusionSpec {
  day: number;
  product: ProductKey;
  /** How the EHR records it: a Procedure, a MedicationAdministration, or both. */
  recordedAs: ReadonlyArray<'procedure' | 'administration'>;
}

export interface DiagnosisSpec {
  /** Id fragment: `<patient>-cond-<name>`. */
  name: string;
  codes: readonly Coding[];
  text: string;
  onsetDay: number;
  abatementDay?: number;
  category?: 'problem-list-item' | 'encounter-diagnosis';
}

export interface MedSpec {
  drug: DrugKey;
  /** Step-up / treatment doses of a T-cell engager are written the same way. */
  days: readonly number[];
  doseMg: number;
  route: 'iv' | 'sc';
  /** Hour (UTC) of each dose; default 16. */
  hour?: number;
}

export interface ExpectSpec {
  indicators: Indicator[];
  iecHs: boolean;
  /** Analytes whose workup LOINC must be suggested / must not be suggested. */
  workup?: WorkupKey[];
  noWorkup?: WorkupKey[];
  il6Warning?: boolean;
  /** Texts some card summary must / no card summary may contain. */
  summaryIncludes?: string[];
  summaryExcludes?: string[];
}

export type DraftSpec =
  | { key: string; lab: LabKey }
  | { key: string; drug: DrugKey; dosage: string; route: 'iv' | 'sc' };

export interface OrderCaseSpec {
  name: string;
  drafts: readonly DraftSpec[];
  /** Keys of the selected drafts. */
  select: readonly string[];
  /** Send draftOrders without Bundle.type, as the CDS Hooks sandbox does. */
  omitBundleType?: boolean;
  expect: ExpectSpec;
}

/** A marrow / pathology result whose text says something about hemophagocytosis. */
export interface ReportSpec {
  name: string;
  day: number;
  /** DiagnosticReport (conclusion or presentedForm text) or a narrative pathology Observation. */
  as: 'report-conclusion' | 'report-presented-form' | 'observation';
  text: string;
  /** LOINC of the report (default 48807-2, bone marrow aspiration report). */
  loinc?: '48807-2' | '33721-2' | '11526-1';
}

export interface ScenarioSpec {
  /** Scenario id = Patient id = prefix of every resource id; also the bundle file name. */
  id: string;
  /** The site's UTC offset: hours in this scenario are local and times carry the offset. */
  utcOffsetHours?: number;
  /** Evaluate this many hours after the manifest anchor (e.g. the evening at a US site). */
  nowOffsetHours?: number;
  /** Marrow / pathology reports. */
  reports?: readonly ReportSpec[];
  description: string;
  dayNow: number;
  patient: { given: string; family: string; gender: 'male' | 'female'; birthDate: string };
  rangeProfile?: RangeProfile;
  infusions: readonly InfusionSpec[];
  diagnoses: readonly DiagnosisSpec[];
  labs: readonly LabSpec[];
  /** Maximum temperature (Cel) per day. */
  temperatures?: readonly Point[];
  meds?: readonly MedSpec[];
  patientView: ExpectSpec;
  orderSelect: readonly OrderCaseSpec[];
}
