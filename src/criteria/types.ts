/**
 * What each criteria set returns. Every assessment is shown side by side with the others, never
 * blended: each says what it used, what it lacked, and which rule fired.
 */
import type { Analyte, Diagnosis, LabValue, PatientTimeline } from '../features/types.js';

export type CriterionStatus = 'met' | 'not-met' | 'insufficient-data';

/** One piece of evidence a criterion looked at, ready to show in a card's table. */
export interface Evidence {
  /** Short human label, e.g. "Ferritin > 2x ULN". */
  label: string;
  analyte?: Analyte;
  value?: LabValue;
  /** Baseline used for "x baseline" rules, when any. */
  baseline?: LabValue;
  /** Free text for non-lab evidence (a CRS episode, a diagnosis, a treatment). */
  note?: string;
}

export interface CriterionResult {
  /** Stable id, e.g. `ferritin-key`, `fibrinogen-low`. */
  id: string;
  label: string;
  status: CriterionStatus;
  evidence: Evidence[];
  /** Analytes or data items that were needed and absent (or stale). */
  missing: string[];
  /** Ids of the threshold-table rows this criterion applied. */
  thresholds: string[];
  /** Points contributed, for scores (HScore, HLH-2004 count). */
  points?: number;
  /** False when any threshold applied is UNVERIFIED or a local rule (label it so). Additive. */
  verified?: boolean;
  /** The lab analytes behind `missing`, for workup suggestions. Additive. */
  missingAnalytes?: Analyte[];
}

export type AssessmentId = 'astct-iec-hs' | 'carhlh' | 'hlh-lt' | 'hscore' | 'hlh-2004' | 'ohi';

export interface GuidelineSource {
  /** Short label, e.g. "ASTCT IEC-HS consensus (Hines 2023)". */
  label: string;
  citation: string;
  url: string;
  /** False when the numbers applied are recalled defaults not checked against the full text. */
  verified: boolean;
}

export interface Assessment {
  id: AssessmentId;
  name: string;
  source: GuidelineSource;
  status: CriterionStatus;
  /** One line a clinician can read, e.g. "met: ferritin 2x ULN + fibrinogen < 150 mg/dL". */
  summary: string;
  criteria: CriterionResult[];
  /**
   * Scores: HScore points, HLH-2004 count, etc. `value` counts known items only; `max` is the scale
   * maximum; `probability` is a fraction 0-1; `possibleRange` (additive) is the lowest and highest total
   * the missing items still allow.
   */
  score?: { value: number; max?: number; probability?: number; label: string; possibleRange?: { min: number; max: number } };
  /** Union of the criteria's missing data. */
  missing: string[];
  /** Union of the criteria's missing lab analytes. Additive. */
  missingAnalytes?: Analyte[];
}

export interface OrganGrade {
  analyte: Analyte;
  /** CTCAE v5 grade 0-4. */
  grade: number;
  value: LabValue;
  threshold: string;
}

export interface Evaluation {
  timeline: PatientTimeline;
  /** True when the patient has immune effector cell therapy and is inside the watch window. */
  watched: boolean;
  /** Why (or why not) the patient is watched, for the card and the CLI. */
  watchReason: string;
  assessments: Assessment[];
  /** The IEC-HS picture: the ASTCT framework's key criteria are met. */
  iecHsPicture: boolean;
  /** CTCAE grades of organ labs (latest value per analyte), highest first. */
  organGrades: OrganGrade[];
  /** True when a grade >= 3 liver/kidney/coagulation value or a critically low fibrinogen is present. */
  severeOrganDysfunction: boolean;
  /** Workup labs with no result inside their freshness window. */
  workupDue: Analyte[];
  /**
   * Other causes to consider before attributing the picture to IEC-HS (clinical.md §1.2): active
   * infection or relapse diagnoses inside their confounder window, chronological. Empty when not
   * watched. Additive (absent in evaluations built before it existed).
   */
  confounders?: Diagnosis[];
}
