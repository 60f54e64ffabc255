/**
 * What each criteria set returns. Every assessment is shown side by side with the others, never
 * blended: each says what it used, what it lacked, and which rule fired.
 */
import type { Analyte, Diagnosis, ExposureClass, LabValue, PatientTimeline } from '../features/types.js';

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

/** Contract (issue 13): the part a criterion plays in its set. */
export type CriterionRole = 'key' | 'core' | 'supportive' | 'timing' | 'exclusion';

/** Contract (issue 13): why a data item counts as missing. */
export type MissingReason = 'never-resulted' | 'stale' | 'unconvertible' | 'not-fetched' | 'not-structured';

/** Contract (issue 13): one missing data item, typed, so cards word it without parsing prose. */
export interface MissingItem {
  /** Lab analyte when the item is a lab (drives workup suggestions). */
  analyte?: Analyte;
  /** Non-lab items: e.g. `crs-status`, `hemophagocytosis`, `organomegaly`, `immunosuppression`. */
  item?: string;
  reason: MissingReason;
}

/** Contract (issue 13): a threshold-table row as it was applied (after configuration overrides). */
export interface ResolvedThreshold {
  id: string;
  value: number;
  unit: string;
  /** Checked against the publication. */
  verified: boolean;
  /** A local rule (no published number), shown to clinicians as such. */
  local: boolean;
}

export interface CriterionResult {
  /** Stable id, e.g. `ferritin-key`, `fibrinogen-low`. */
  id: string;
  /** Contract (issue 13). */
  role?: CriterionRole;
  /** Contract (issue 13): typed form of `missing`. */
  missingItems?: MissingItem[];
  /** Contract (issue 13): the thresholds applied, resolved. */
  resolvedThresholds?: ResolvedThreshold[];
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

/** Contract (issue 12): direction of a lab series at its latest value. */
export type Direction = 'rising' | 'falling' | 'stable' | 'single';

/**
 * Contract (issue 12): the ferritin course the key criterion was judged on. `pattern`:
 * - `falling-tail`: declining from the CRS peak (a watch at most, never a warning);
 * - `new-rise`: rising again after improvement; `rise-from-nadir`: rising from the post-CRS nadir past
 *   the thresholds; `rapid-rise`: the local "rapidly rising" rule; `elevated-stable`; `normal`; `single`.
 */
export interface FerritinCourse {
  latest: LabValue;
  direction: Direction;
  previous?: LabValue;
  peak?: LabValue;
  nadir?: LabValue;
  pattern: 'falling-tail' | 'new-rise' | 'rise-from-nadir' | 'rapid-rise' | 'elevated-stable' | 'normal' | 'single';
}

/**
 * Contract (issue 12): the engine's verdict; cards map it to an indicator and own all wording.
 * - `critical` / `warning`: the HLH-like picture is present (`rule` names the set that fired);
 * - `watch`: something to follow (e.g. ferritin elevated but falling, ferritin + cytopenia alone,
 *   workup due, severe organ value without the picture);
 * - `none`: nothing to say.
 */
export type Tier = 'critical' | 'warning' | 'watch' | 'none';

export interface Picture {
  tier: Tier;
  /** Which rule fired: ASTCT IEC-HS framework, CARTOX carHLH, PRWCC HLH-LT. */
  rule?: 'astct-iec-hs' | 'carhlh' | 'hlh-lt';
  /** True when the picture is present while CRS is active: "HLH-like features overlapping active CRS". */
  overlappingCrs: boolean;
  /** The specific signs that made it a warning (ids of criteria, e.g. `fibrinogen-low`, `transaminases-5x`, `hemophagocytosis`, `ferritin-rise`). */
  specificSigns: string[];
  /** Why the tier is `watch`, as typed reasons: e.g. `ferritin-falling`, `ferritin-cytopenia-only`, `workup-due`, `organ-value`. */
  watchReasons: string[];
}

/** Contract (issue 12): what IEC-HS-directed treatment is already running, for the management text. */
export interface TreatmentState {
  corticosteroid: boolean;
  anakinra: boolean;
  /** Ruxolitinib, emapalumab or etoposide given or ordered. */
  refractoryTherapy: boolean;
  il6Blockade: boolean;
}

export interface Evaluation {
  /** Contract (issue 12). Optional until the engine fills it. */
  picture?: Picture;
  /** Contract (issue 12). */
  ferritinCourse?: FerritinCourse;
  /** Contract (issue 12): exposure class of day 0 and the product name, when known. */
  exposure?: { class: ExposureClass; product?: string };
  /** Contract (issue 12). */
  treatmentState?: TreatmentState;
  /** Contract (issue 13): the worst qualifying organ value (CTCAE), which sets critical vs warning. */
  worstOrgan?: OrganGrade;
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
   * Other causes to consider before attributing the picture to IEC-HS (docs/clinical-basis.md#astct): active
   * infection or relapse diagnoses inside their confounder window, chronological. Empty when not
   * watched. Additive (absent in evaluations built before it existed).
   */
  confounders?: Diagnosis[];
}
