/**
 * The patient timeline: what the engine knows about one patient after immune effector cell therapy.
 * Built from FHIR resources by `buildTimeline`; read by every criteria set. Pure data, no FHIR types
 * leak past this point except resource ids kept for provenance.
 */
import type {
  Condition,
  DiagnosticReport,
  MedicationAdministration,
  MedicationRequest,
  Observation,
  Patient,
  Procedure,
} from 'fhir/r4';

/** The FHIR data one hook call needs, however it was obtained (prefetch or FHIR queries). */
export interface PatientData {
  patient?: Patient;
  observations: Observation[];
  conditions: Condition[];
  procedures: Procedure[];
  medicationAdministrations: MedicationAdministration[];
  medicationRequests: MedicationRequest[];
  diagnosticReports: DiagnosticReport[];
}

// Analyte ids and Sex belong to the analyte registry; re-exported here for the engine's readers.
import type { Analyte, Sex } from '../terminology/analytes.js';
import type { DiagnosisKind } from '../terminology/diagnoses.js';
import type { TreatmentClass } from '../terminology/treatments.js';
export type { Analyte, Sex, DiagnosisKind, TreatmentClass };

/** One lab result in the analyte's canonical unit, with the reference range used to judge it. */
export interface LabValue {
  analyte: Analyte;
  /** Value in the analyte's canonical unit (see terminology). */
  value: number;
  /** Canonical UCUM unit, e.g. `ng/mL`. */
  unit: string;
  /** Set when the lab reported a censored value such as "<5" or ">100000". */
  comparator?: '<' | '<=' | '>=' | '>';
  /** When the specimen was taken (effective time), ISO 8601. */
  time: string;
  /** Epoch milliseconds of `time`, for sorting and arithmetic. */
  epochMs: number;
  /** Whole days after the most recent infusion (day 0 = infusion day); undefined without an infusion. */
  day?: number;
  /** Reference limits in the canonical unit. */
  low?: number;
  high?: number;
  /** `result` = the Observation's own referenceRange; `default` = documented fallback per analyte/sex. */
  rangeSource?: 'result' | 'default';
  /** Which documented default was used when `rangeSource` is `default` (source and row). */
  rangeNote?: string;
  /** Derived values (e.g. ANC from WBC x neutrophil %) say so. */
  derived?: boolean;
  /** Observation.status was `preliminary`: used, but a final result may still change it. */
  preliminary?: boolean;
  /** What the lab sent, for display. */
  original: { value: number; unit?: string; code?: string };
  /** `Observation/<id>` (or a synthetic id for derived values). */
  source: string;
}

/** A lab result whose unit could not be converted: kept so it is shown as such and never asked for again. */
export interface UnconvertedLab {
  analyte: Analyte;
  time: string;
  epochMs: number;
  original: { value: number; unit?: string };
  source: string;
  /** Why the unit did not convert. */
  reason: string;
}

export interface LabSeries {
  analyte: Analyte;
  unit: string;
  /** Ascending by time; one value per distinct result (amended results replace earlier versions). */
  values: LabValue[];
  /** Last value at or before day 0, if any. */
  baseline?: LabValue;
}

export type InfusionEvidence = 'Procedure' | 'MedicationAdministration' | 'MedicationRequest' | 'Condition';

/**
 * What kind of immune effector therapy set day 0. `cellular` = CAR-T and other immune effector cell
 * products (the term IEC-HS applies); `t-cell-engager` = bispecific T-cell engagers (teclistamab, ...),
 * day 0 = first (step-up) dose, same HLH-like criteria, never called IEC-HS or CAR-T in any text.
 */
export type ExposureClass = 'cellular' | 't-cell-engager';

export interface Infusion {
  /** Contract (issue 12): which exposure class this administration belongs to (always set by buildTimeline). */
  exposure?: ExposureClass;
  /** ISO 8601 time of the infusion (or of the weaker evidence). */
  time: string;
  epochMs: number;
  /** Product name or code display, when known. */
  product?: string;
  evidence: InfusionEvidence;
  /** Procedure/administration = definite; order or complication diagnosis = weak. */
  strength: 'definite' | 'weak';
  source: string;
}

export interface CrsEpisode {
  onset?: string;
  onsetDay?: number;
  abatement?: string;
  abatementDay?: number;
  /** clinicalStatus active/recurrence/relapse and no abatement. */
  active: boolean;
  /** ASTCT grade 1-4 when coded (e.g. ICD-10-CM D89.831-D89.834). */
  grade?: number;
  source: string;
}

export interface Diagnosis {
  kind: DiagnosisKind;
  /** Grade carried by the code (CRS D89.831-D89.835, ICANS G92.01-G92.05), when coded. */
  grade?: number;
  /** How it was found: a code (default), a text mention in a pathology report (heuristic), or entered by a clinician in the app (never stored). */
  basis?: 'code' | 'text' | 'clinician';
  time?: string;
  day?: number;
  active: boolean;
  display?: string;
  /** Short clinical term of the matched code (code set, not EHR text), e.g. `sepsis`. Additive. */
  term?: string;
  source: string;
}

export interface Treatment {
  class: TreatmentClass;
  /** Ingredient name, e.g. `tocilizumab`. */
  drug: string;
  time?: string;
  day?: number;
  /** Given (MedicationAdministration) or ordered (MedicationRequest). */
  kind: 'given' | 'ordered';
  status?: string;
  source: string;
}

/** Something in the input that the engine could not use, reported rather than guessed. */
export interface DataIssue {
  source: string;
  analyte?: Analyte;
  reason: string;
}

export interface PatientTimeline {
  patientId?: string;
  sex: Sex;
  birthDate?: string;
  ageYears?: number;
  /** Evaluation time, ISO 8601 (injected, never read from the clock inside the engine). */
  now: string;
  /**
   * Contract (issue 12): the site's IANA time zone that day numbers were counted in (configuration,
   * else taken from the infusion record's offset). Cards and the app print times in this zone. Always
   * set by buildTimeline; optional in the type only because hand-built test timelines omit it.
   */
  timeZone?: string;
  nowEpochMs: number;
  /** All infusions found, ascending; `infusion` is the most recent definite one (else the most recent weak one). */
  infusions: Infusion[];
  infusion?: Infusion;
  /** Whole days since `infusion` at `now`. */
  dayNow?: number;
  labs: Partial<Record<Analyte, LabSeries>>;
  /**
   * Results in a second unit family that cannot be converted to the canonical unit without guessing:
   * sIL-2R in pg/mL (canonical U/mL), D-dimer in DDU (canonical FEU). Same shape as `labs`.
   */
  altUnitLabs?: Partial<Record<Analyte, LabSeries>>;
  /** Results whose unit could not be converted, per analyte, ascending (shown as unconvertible). */
  unconvertibleLabs?: Partial<Record<Analyte, UnconvertedLab[]>>;
  crsEpisodes: CrsEpisode[];
  diagnoses: Diagnosis[];
  treatments: Treatment[];
  issues: DataIssue[];
}
