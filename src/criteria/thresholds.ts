/**
 * THE table of clinical cut-offs, windows and rule parameters. Every number a criterion applies lives
 * here, with its unit, its source (reference file and section) and whether the references call it
 * verified. Nothing clinical is written inline anywhere else in the engine.
 *
 * - `kind: 'published'`: a number taken from a cited criteria set or grading scale.
 * - `kind: 'local'`: a rule of this service where no published number exists (e.g. "rapidly rising
 *   ferritin"); always `verified: false` and shown to clinicians as a local rule.
 * - `verified` follows the reference files exactly: the verification pass wins over the first reading (docs/clinical-basis.md#evidence).
 *   ASTCT IEC-HS numbers (Hines 2023) are recalled, not read: all UNVERIFIED.
 *
 * Configuration may override any `value` by id (`evaluate(timeline, { thresholds: { id: value } })`);
 * `resolveThresholds` rejects unknown ids, non-finite values and values outside a row's bounds, so a bad
 * configuration stops the service at start-up instead of silently changing a rule.
 */

export type ThresholdKind = 'published' | 'local';

export interface ThresholdRow {
  id: string;
  value: number;
  /** UCUM unit for lab values; otherwise `d`, `h`, `x ULN`, `x LLN`, `x baseline`, `fraction`, `points`, `count`, `grade`. */
  unit: string;
  description: string;
  /** Citation and section of the reference it comes from. */
  source: string;
  verified: boolean;
  kind: ThresholdKind;
  /** Inclusive bounds an override must respect. */
  min?: number;
  max?: number;
}

const REF = {
  hines:
    'Hines MR et al., Transplant Cell Ther 2023;29(7):438 (ASTCT IEC-HS); number recalled, full text unread: docs/clinical-basis.md#astct',
  hinesTiming: 'Hines 2023 timing key feature: docs/clinical-basis.md#astct-timing (PARTLY VERIFIED)',
  design: 'docs/clinical-basis.md#clinical-stance; docs/clinical-basis.md#astct-timing (onsets to day 37, no upper bound)',
  leeCrs: 'ASTCT CRS grading, Lee DW et al., Biol Blood Marrow Transplant 2019: docs/clinical-basis.md#crs-grading',
  cartox: 'CARTOX carHLH, Neelapu SS et al., Nat Rev Clin Oncol 2018: docs/clinical-basis.md#carhlh',
  prwcc: 'PRWCC HLH-LT, McNerney KO et al., Blood Adv 2023, as restated in V3: docs/clinical-basis.md#hlh-lt',
  hscore: 'HScore, Fardet L et al., Arthritis Rheumatol 2014: docs/clinical-basis.md#hscore',
  hscoreCut: 'HScore best cut-off 169 (sens 93%, spec 86%): docs/clinical-basis.md#hscore-probability',
  hlh2004: 'HLH-2004, Henter JI et al., Pediatr Blood Cancer 2007: docs/clinical-basis.md#hlh2004; boundaries >=/<= as in the original (docs/clinical-basis.md#hlh2004-boundaries)',
  ohi: 'OHI, Zoref-Lorenz A et al., Blood 2022: docs/clinical-basis.md#ohi',
  ctcae: 'NCI CTCAE v5.0 (admiral ncictcaev5 encoding): docs/clinical-basis.md#ctcae',
  local: 'Local rule of this service: no published number (docs/clinical-basis.md#open-questions, docs/clinical-basis.md#local-rules)',
} as const;

export const THRESHOLD_TABLE = [
  // ---- Surveillance window, lookback, fever -------------------------------------------------------
  {
    id: 'watch.windowDays', value: 100, unit: 'd', kind: 'local', verified: false, min: 1, max: 3650, source: REF.design,
    description:
      'Patients are watched from day 0 to this day after the most recent infusion. Published IEC-HS onsets reach day 37 (myeloma, V4); no upper bound is published.',
  },
  {
    id: 'lookback.days', value: 7, unit: 'd', kind: 'local', verified: false, min: 1, max: 60, source: REF.local,
    description:
      'A value counts as the current picture when taken within this many days before now. HScore, HLH-2004, OHI and the ASTCT features use the worst value inside it.',
  },
  {
    id: 'fever.celsius', value: 38.0, unit: 'Cel', kind: 'published', verified: true, min: 35, max: 45, source: REF.leeCrs,
    description:
      'Fever: temperature >= 38.0 C (the ASTCT CRS fever definition, used for the IEC-HS "new or persistent fever" feature, whose own number is unread).',
  },

  // ---- ASTCT IEC-HS framework (Hines 2023): key ferritin criterion --------------------------------
  {
    id: 'astct.ferritin.ulnMultiple', value: 2, unit: 'x ULN', kind: 'published', verified: false, min: 1, max: 100, source: REF.hines,
    description: 'Key criterion: ferritin > 2 x ULN of its own reference range (UNVERIFIED number).',
  },
  {
    id: 'astct.ferritin.baselineMultiple', value: 2, unit: 'x baseline', kind: 'published', verified: false, min: 1, max: 100, source: REF.hines,
    description: 'Key criterion: ferritin > 2 x baseline (baseline = last value on or before the infusion day; UNVERIFIED number).',
  },
  {
    id: 'astct.ferritin.rapidRise.fraction', value: 0.5, unit: 'fraction', kind: 'local', verified: false, min: 0.05, max: 10, source: REF.local,
    description:
      'LOCAL RULE "rapidly rising ferritin": a rise of at least 50% between two results no more than rapidRise.windowHours apart, both above ULN. ' +
      'Rationale: Hines leaves "rapidly rising" to clinical judgment; a 50% rise within 48 h is well beyond day-to-day assay variation and catches the ' +
      'trend before 2 x baseline; requiring both values above ULN ignores rises inside the normal range. The only numeric rule seen elsewhere (doubling ' +
      'in < 48 h) comes from unvetted code. Validate locally.',
  },
  {
    id: 'astct.ferritin.rapidRise.windowHours', value: 48, unit: 'h', kind: 'local', verified: false, min: 1, max: 336, source: REF.local,
    description: 'LOCAL RULE "rapidly rising ferritin": longest time between the two results compared (see rapidRise.fraction).',
  },

  // ---- Ferritin course (trend-aware key criterion) -------------------------------------------------
  {
    id: 'ferritin.course.stableFraction', value: 0.1, unit: 'fraction', kind: 'local', verified: false, min: 0, max: 1, source: REF.local,
    description:
      'LOCAL RULE: two consecutive ferritin results within +/-10% of each other are "stable" (day-to-day assay and biological variation); ' +
      'a larger change is rising or falling. Only the direction label uses it.',
  },

  // ---- ASTCT: timing relative to CRS ---------------------------------------------------------------
  {
    id: 'astct.timing.improvementFraction', value: 0.25, unit: 'fraction', kind: 'local', verified: false, min: 0.01, max: 0.99, source: REF.hinesTiming,
    description:
      'LOCAL RULE "initial improvement": ferritin fell at least 25% from its post-infusion peak (the nadir). With a later rebound this is the ' +
      '"worsening after initial improvement" arm of the timing criterion.',
  },
  {
    id: 'astct.timing.reboundFraction', value: 0.5, unit: 'fraction', kind: 'local', verified: false, min: 0.05, max: 10, source: REF.hinesTiming,
    description: 'LOCAL RULE "worsening": after the nadir, ferritin rose at least 50% above the nadir to a value above ULN.',
  },
  {
    id: 'astct.timing.staleCrsDays', value: 14, unit: 'd', kind: 'local', verified: false, min: 1, max: 100, source: REF.local,
    description:
      'LOCAL RULE: a CRS episode still coded active this many days after its onset is treated as resolving (problem lists are rarely closed; ' +
      'new CRS after 2 weeks was 0% in n = 475, docs/clinical-basis.md#astct-timing).',
  },

  // ---- ASTCT: organ and HLH features --------------------------------------------------------------
  {
    id: 'astct.cytopenia.gradeRise', value: 1, unit: 'grade', kind: 'local', verified: false, min: 1, max: 4, source: REF.local,
    description:
      'LOCAL RULE "new or worsening cytopenia" (ASTCT wording verified, no number), judged on the post-infusion course: the latest platelet, ANC ' +
      'or hemoglobin value is falling and at least this many CTCAE v5 grades worse than the best grade reached after an earlier nadir ' +
      '(falling again after recovery). Counts climbing back from the lymphodepletion nadir never count.',
  },
  {
    id: 'astct.cytopenia.nadirWindowDays', value: 14, unit: 'd', kind: 'local', verified: false, min: 0, max: 100, source: REF.local,
    description:
      'LOCAL RULE: the expected post-lymphodepletion nadir lasts through this day. A count that first reaches grade >= cytopenia.newGrade ' +
      'after it, and is not recovering, is "new" cytopenia; inside it only a fall after recovery counts.',
  },
  {
    id: 'astct.cytopenia.newGrade', value: 3, unit: 'grade', kind: 'local', verified: false, min: 1, max: 4, source: REF.local,
    description: 'LOCAL RULE: CTCAE v5 grade that makes a cytopenia "new" when reached after the nadir window (see nadirWindowDays).',
  },
  {
    id: 'astct.fibrinogen', value: 150, unit: 'mg/dL', kind: 'published', verified: false, min: 10, max: 1000, source: REF.hines,
    description: 'Hypofibrinogenemia: fibrinogen < 150 mg/dL or below the LLN of its own reference range (150 verified for PRWCC HLH-LT and HLH-2004; UNVERIFIED as the Hines number).',
  },
  {
    id: 'astct.transaminase.ulnMultiple', value: 5, unit: 'x ULN', kind: 'published', verified: false, min: 1, max: 100, source: REF.hines,
    description: 'Transaminitis: AST or ALT > 5 x ULN when baseline was normal (UNVERIFIED as Hines; same as the CTCAE grade 3 boundary).',
  },
  {
    id: 'astct.transaminase.baselineMultiple', value: 5, unit: 'x baseline', kind: 'published', verified: false, min: 1, max: 100, source: REF.hines,
    description: 'Transaminitis: AST or ALT > 5 x baseline when baseline was abnormal (UNVERIFIED).',
  },
  {
    id: 'astct.ldh.ulnMultiple', value: 1, unit: 'x ULN', kind: 'published', verified: false, min: 1, max: 100, source: REF.hines,
    description: 'Supportive: LDH > ULN (feature verified in V4; the cut-off is recalled).',
  },
  {
    id: 'astct.triglycerides', value: 265, unit: 'mg/dL', kind: 'published', verified: false, min: 50, max: 5000, source: REF.hines,
    description: 'Supportive: triglycerides > 265 mg/dL (HLH-2004 figure; UNVERIFIED as Hines).',
  },
  {
    id: 'astct.bilirubinDirect.ulnMultiple', value: 1, unit: 'x ULN', kind: 'published', verified: false, min: 1, max: 100, source: REF.hines,
    description: 'Supportive: direct bilirubin > ULN ("direct" hyperbilirubinemia; cut-off recalled).',
  },
  {
    id: 'astct.coag.inr', value: 1.2, unit: '{INR}', kind: 'published', verified: false, min: 0.5, max: 10, source: REF.hines,
    description: 'Supportive coagulopathy: INR > 1.2 (borrowed from the CTCAE v5 grade 1 boundary; Hines gives no number that was read).',
  },
  {
    id: 'astct.coag.ptUlnMultiple', value: 1, unit: 'x ULN', kind: 'published', verified: false, min: 1, max: 10, source: REF.hines,
    description: 'Supportive coagulopathy: PT > ULN (used when no INR is available).',
  },
  {
    id: 'astct.coag.apttUlnMultiple', value: 1, unit: 'x ULN', kind: 'published', verified: false, min: 1, max: 10, source: REF.hines,
    description: 'Supportive coagulopathy: aPTT > ULN (CTCAE v5 grade 1 boundary).',
  },
  {
    id: 'astct.sCD25.ulnMultiple', value: 1, unit: 'x ULN', kind: 'published', verified: false, min: 1, max: 100, source: 'docs/clinical-basis.md#scd25, docs/clinical-basis.md#astct (raised sIL-2R in 79% of IEC-HS, V4)',
    description: 'Supportive: sCD25 (sIL-2R) above the ULN of its own reference range (feature verified; no published number).',
  },
  {
    id: 'astct.minCoreFeatures', value: 1, unit: 'count', kind: 'local', verified: false, min: 1, max: 4, source: REF.local,
    description:
      'LOCAL RULE (no minimum count is published): the IEC-HS picture needs the key ferritin criterion, compatible timing, and at least this many ' +
      'core manifestations from the verified ASTCT definition: new/worsening cytopenia, hypofibrinogenemia, transaminitis, hemophagocytosis.',
  },

  // ---- CARTOX carHLH -------------------------------------------------------------------------------
  {
    id: 'carhlh.ferritin', value: 10_000, unit: 'ng/mL', kind: 'published', verified: true, min: 100, max: 1_000_000, source: REF.cartox,
    description: 'Peak ferritin > 10,000 ng/mL during the CRS phase.',
  },
  {
    id: 'carhlh.crsPhaseDays', value: 5, unit: 'd', kind: 'published', verified: true, min: 1, max: 30, source: REF.cartox,
    description: 'CRS phase "typically the first 5 days": used together with recorded CRS episode dates.',
  },
  {
    id: 'carhlh.organGrade', value: 3, unit: 'grade', kind: 'published', verified: true, min: 1, max: 4, source: REF.cartox,
    description: 'Organ criteria are CTCAE grade >= 3 (liver: bilirubin, AST or ALT; kidney: creatinine; lung: pulmonary oedema).',
  },
  {
    id: 'carhlh.minOrganCriteria', value: 2, unit: 'count', kind: 'published', verified: true, min: 1, max: 4, source: REF.cartox,
    description: 'Any 2 of: liver, kidney, lung grade >= 3; hemophagocytosis.',
  },

  // ---- PRWCC HLH-LT --------------------------------------------------------------------------------
  {
    id: 'hlhlt.ferritin', value: 10_000, unit: 'ng/mL', kind: 'published', verified: true, min: 100, max: 1_000_000, source: REF.prwcc,
    description: 'Peak ferritin >= 10,000 ng/mL within hlhlt.windowDays of infusion.',
  },
  {
    id: 'hlhlt.windowDays', value: 30, unit: 'd', kind: 'published', verified: true, min: 1, max: 365, source: REF.prwcc,
    description: 'Ferritin peak counted within 30 days of infusion.',
  },
  {
    id: 'hlhlt.organGrade', value: 3, unit: 'grade', kind: 'published', verified: true, min: 1, max: 4, source: REF.prwcc,
    description: 'Grade >= 3 organ toxicity (renal, pulmonary, hepatic), each organ counted once.',
  },
  {
    id: 'hlhlt.fibrinogen', value: 150, unit: 'mg/dL', kind: 'published', verified: true, min: 10, max: 1000, source: REF.prwcc,
    description: 'Hypofibrinogenemia < 150 mg/dL.',
  },
  {
    id: 'hlhlt.minFeatures', value: 2, unit: 'count', kind: 'published', verified: true, min: 1, max: 5, source: REF.prwcc,
    description: '>= 2 of: renal, pulmonary, hepatic grade >= 3 toxicity; hypofibrinogenemia; hemophagocytosis.',
  },

  // ---- HScore (bands and points) -------------------------------------------------------------------
  { id: 'hscore.temperature.mid', value: 38.4, unit: 'Cel', kind: 'published', verified: true, min: 35, max: 45, source: REF.hscore, description: 'Temperature 38.4-39.4 C scores temperature.midPoints.' },
  { id: 'hscore.temperature.high', value: 39.4, unit: 'Cel', kind: 'published', verified: true, min: 35, max: 45, source: REF.hscore, description: 'Temperature > 39.4 C scores temperature.highPoints.' },
  { id: 'hscore.hemoglobin', value: 9.2, unit: 'g/dL', kind: 'published', verified: true, min: 1, max: 25, source: REF.hscore, description: 'Cytopenic lineage: hemoglobin <= 9.2 g/dL.' },
  { id: 'hscore.wbc', value: 5.0, unit: '10*3/uL', kind: 'published', verified: true, min: 0.1, max: 50, source: REF.hscore, description: 'Cytopenic lineage: WBC <= 5,000/uL.' },
  { id: 'hscore.platelets', value: 110, unit: '10*3/uL', kind: 'published', verified: true, min: 1, max: 1000, source: REF.hscore, description: 'Cytopenic lineage: platelets <= 110,000/uL.' },
  { id: 'hscore.ferritin.mid', value: 2000, unit: 'ng/mL', kind: 'published', verified: true, min: 1, max: 1_000_000, source: REF.hscore, description: 'Ferritin 2,000-6,000 ng/mL scores ferritin.midPoints.' },
  { id: 'hscore.ferritin.high', value: 6000, unit: 'ng/mL', kind: 'published', verified: true, min: 1, max: 1_000_000, source: REF.hscore, description: 'Ferritin > 6,000 ng/mL scores ferritin.highPoints.' },
  { id: 'hscore.triglycerides.mid', value: 132.7, unit: 'mg/dL', kind: 'published', verified: true, min: 1, max: 5000, source: REF.hscore, description: 'Triglycerides 1.5-4.0 mmol/L (132.7-354.3 mg/dL) score triglycerides.midPoints.' },
  { id: 'hscore.triglycerides.high', value: 354.3, unit: 'mg/dL', kind: 'published', verified: true, min: 1, max: 5000, source: REF.hscore, description: 'Triglycerides > 4.0 mmol/L = 354.3 mg/dL (x 88.57) score triglycerides.highPoints.' },
  { id: 'hscore.fibrinogen', value: 250, unit: 'mg/dL', kind: 'published', verified: true, min: 10, max: 1000, source: REF.hscore, description: 'Fibrinogen <= 250 mg/dL (2.5 g/L) scores fibrinogen.points.' },
  { id: 'hscore.ast', value: 30, unit: 'U/L', kind: 'published', verified: true, min: 1, max: 1000, source: REF.hscore, description: 'AST >= 30 IU/L scores ast.points.' },
  { id: 'hscore.immunosuppression.points', value: 18, unit: 'points', kind: 'published', verified: true, min: 0, max: 100, source: REF.hscore, description: 'Known underlying immunosuppression.' },
  { id: 'hscore.temperature.midPoints', value: 33, unit: 'points', kind: 'published', verified: true, min: 0, max: 100, source: REF.hscore, description: 'Temperature 38.4-39.4 C.' },
  { id: 'hscore.temperature.highPoints', value: 49, unit: 'points', kind: 'published', verified: true, min: 0, max: 100, source: REF.hscore, description: 'Temperature > 39.4 C.' },
  { id: 'hscore.organomegaly.onePoints', value: 23, unit: 'points', kind: 'published', verified: true, min: 0, max: 100, source: REF.hscore, description: 'Hepatomegaly or splenomegaly.' },
  { id: 'hscore.organomegaly.bothPoints', value: 38, unit: 'points', kind: 'published', verified: true, min: 0, max: 100, source: REF.hscore, description: 'Hepatomegaly and splenomegaly.' },
  { id: 'hscore.cytopenias.twoPoints', value: 24, unit: 'points', kind: 'published', verified: true, min: 0, max: 100, source: REF.hscore, description: '2 cytopenic lineages.' },
  { id: 'hscore.cytopenias.threePoints', value: 34, unit: 'points', kind: 'published', verified: true, min: 0, max: 100, source: REF.hscore, description: '3 cytopenic lineages.' },
  { id: 'hscore.ferritin.midPoints', value: 35, unit: 'points', kind: 'published', verified: true, min: 0, max: 100, source: REF.hscore, description: 'Ferritin 2,000-6,000 ng/mL.' },
  { id: 'hscore.ferritin.highPoints', value: 50, unit: 'points', kind: 'published', verified: true, min: 0, max: 100, source: REF.hscore, description: 'Ferritin > 6,000 ng/mL.' },
  { id: 'hscore.triglycerides.midPoints', value: 44, unit: 'points', kind: 'published', verified: true, min: 0, max: 100, source: REF.hscore, description: 'Triglycerides 132.7-354 mg/dL.' },
  { id: 'hscore.triglycerides.highPoints', value: 64, unit: 'points', kind: 'published', verified: true, min: 0, max: 100, source: REF.hscore, description: 'Triglycerides > 354 mg/dL.' },
  { id: 'hscore.fibrinogen.points', value: 30, unit: 'points', kind: 'published', verified: true, min: 0, max: 100, source: REF.hscore, description: 'Fibrinogen <= 250 mg/dL.' },
  { id: 'hscore.ast.points', value: 19, unit: 'points', kind: 'published', verified: true, min: 0, max: 100, source: REF.hscore, description: 'AST >= 30 IU/L.' },
  { id: 'hscore.hemophagocytosis.points', value: 35, unit: 'points', kind: 'published', verified: true, min: 0, max: 100, source: REF.hscore, description: 'Hemophagocytosis on bone-marrow aspirate.' },
  { id: 'hscore.cutoff', value: 169, unit: 'points', kind: 'published', verified: true, min: 0, max: 337, source: REF.hscoreCut, description: 'HScore >= 169 is reported as "met" (best published cut-off).' },

  // ---- HLH-2004 ------------------------------------------------------------------------------------
  {
    id: 'hlh2004.fever', value: 38.5, unit: 'Cel', kind: 'published', verified: true, min: 35, max: 45, source: REF.hlh2004,
    description: 'Fever >= 38.5 C (Henter gives no number; 38.5 C as in the reproductions and the CIBMTR form).',
  },
  { id: 'hlh2004.hemoglobin', value: 9.0, unit: 'g/dL', kind: 'published', verified: true, min: 1, max: 25, source: REF.hlh2004, description: 'Cytopenic lineage: hemoglobin < 9 g/dL (infants < 4 weeks: < 10 g/dL, not applied).' },
  { id: 'hlh2004.platelets', value: 100, unit: '10*3/uL', kind: 'published', verified: true, min: 1, max: 1000, source: REF.hlh2004, description: 'Cytopenic lineage: platelets < 100 x 10^9/L.' },
  { id: 'hlh2004.anc', value: 1.0, unit: '10*3/uL', kind: 'published', verified: true, min: 0.01, max: 20, source: REF.hlh2004, description: 'Cytopenic lineage: neutrophils < 1.0 x 10^9/L.' },
  { id: 'hlh2004.minCytopenias', value: 2, unit: 'count', kind: 'published', verified: true, min: 1, max: 3, source: REF.hlh2004, description: 'Cytopenias criterion: >= 2 of 3 lineages.' },
  { id: 'hlh2004.triglycerides', value: 265, unit: 'mg/dL', kind: 'published', verified: true, min: 50, max: 5000, source: REF.hlh2004, description: 'Fasting triglycerides >= 265 mg/dL (3.0 mmol/L).' },
  { id: 'hlh2004.fibrinogen', value: 150, unit: 'mg/dL', kind: 'published', verified: true, min: 10, max: 1000, source: REF.hlh2004, description: 'Fibrinogen <= 150 mg/dL (1.5 g/L).' },
  { id: 'hlh2004.ferritin', value: 500, unit: 'ng/mL', kind: 'published', verified: true, min: 1, max: 1_000_000, source: REF.hlh2004, description: 'Ferritin >= 500 ng/mL.' },
  { id: 'hlh2004.sCD25', value: 2400, unit: 'U/mL', kind: 'published', verified: true, min: 1, max: 1_000_000, source: REF.hlh2004, description: 'Soluble CD25 >= 2,400 U/mL (U/mL assays only; pg/mL assays are not comparable).' },
  { id: 'hlh2004.minCriteria', value: 5, unit: 'count', kind: 'published', verified: true, min: 1, max: 8, source: REF.hlh2004, description: '>= 5 of the 8 criteria (molecular diagnosis arm not assessed).' },

  // ---- OHI -----------------------------------------------------------------------------------------
  { id: 'ohi.sCD25', value: 3900, unit: 'U/mL', kind: 'published', verified: true, min: 1, max: 1_000_000, source: REF.ohi, description: 'sCD25 > 3,900 U/mL (U/mL assays only).' },
  { id: 'ohi.ferritin', value: 1000, unit: 'ng/mL', kind: 'published', verified: true, min: 1, max: 1_000_000, source: REF.ohi, description: 'Ferritin > 1,000 ng/mL; both OHI items are required.' },

  // ---- CTCAE v5 grade bands --------------------------------------------------------------------------
  { id: 'ctcae.transaminase.uln.g2', value: 3, unit: 'x ULN', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'AST/ALT (baseline normal): grade 2 > 3.0 x ULN.' },
  { id: 'ctcae.transaminase.uln.g3', value: 5, unit: 'x ULN', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'AST/ALT (baseline normal): grade 3 > 5.0 x ULN.' },
  { id: 'ctcae.transaminase.uln.g4', value: 20, unit: 'x ULN', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'AST/ALT (baseline normal): grade 4 > 20.0 x ULN.' },
  { id: 'ctcae.transaminase.baseline.g1', value: 1.5, unit: 'x baseline', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'AST/ALT (baseline abnormal): grade 1 >= 1.5 x baseline.' },
  { id: 'ctcae.transaminase.baseline.g2', value: 3, unit: 'x baseline', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'AST/ALT (baseline abnormal): grade 2 > 3.0 x baseline.' },
  { id: 'ctcae.transaminase.baseline.g3', value: 5, unit: 'x baseline', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'AST/ALT (baseline abnormal): grade 3 > 5.0 x baseline.' },
  { id: 'ctcae.transaminase.baseline.g4', value: 20, unit: 'x baseline', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'AST/ALT (baseline abnormal): grade 4 > 20.0 x baseline.' },
  { id: 'ctcae.bilirubin.uln.g2', value: 1.5, unit: 'x ULN', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'Bilirubin (baseline normal): grade 2 > 1.5 x ULN.' },
  { id: 'ctcae.bilirubin.uln.g3', value: 3, unit: 'x ULN', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'Bilirubin (baseline normal): grade 3 > 3.0 x ULN.' },
  { id: 'ctcae.bilirubin.uln.g4', value: 10, unit: 'x ULN', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'Bilirubin (baseline normal): grade 4 > 10.0 x ULN.' },
  { id: 'ctcae.bilirubin.baseline.g1', value: 1.0, unit: 'x baseline', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'Bilirubin (baseline abnormal): grade 1 > 1.0 x baseline.' },
  { id: 'ctcae.bilirubin.baseline.g2', value: 1.5, unit: 'x baseline', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'Bilirubin (baseline abnormal): grade 2 > 1.5 x baseline.' },
  { id: 'ctcae.bilirubin.baseline.g3', value: 3, unit: 'x baseline', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'Bilirubin (baseline abnormal): grade 3 > 3.0 x baseline.' },
  { id: 'ctcae.bilirubin.baseline.g4', value: 10, unit: 'x baseline', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'Bilirubin (baseline abnormal): grade 4 > 10.0 x baseline.' },
  { id: 'ctcae.creatinine.uln.g2', value: 1.5, unit: 'x ULN', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'Creatinine: grade 2 > 1.5 x ULN.' },
  { id: 'ctcae.creatinine.uln.g3', value: 3, unit: 'x ULN', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'Creatinine: grade 3 > 3.0 x ULN.' },
  { id: 'ctcae.creatinine.uln.g4', value: 6, unit: 'x ULN', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'Creatinine: grade 4 > 6.0 x ULN.' },
  { id: 'ctcae.creatinine.baseline.g2', value: 1.5, unit: 'x baseline', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'Creatinine: grade 2 > 1.5 x baseline.' },
  { id: 'ctcae.creatinine.baseline.g3', value: 3, unit: 'x baseline', kind: 'published', verified: true, min: 1, max: 100, source: REF.ctcae, description: 'Creatinine: grade 3 > 3.0 x baseline.' },
  { id: 'ctcae.platelets.g2', value: 75, unit: '10*3/uL', kind: 'published', verified: true, min: 1, max: 1000, source: REF.ctcae, description: 'Platelet count decreased: grade 2 < 75 x 10^9/L (grade 1 < LLN).' },
  { id: 'ctcae.platelets.g3', value: 50, unit: '10*3/uL', kind: 'published', verified: true, min: 1, max: 1000, source: REF.ctcae, description: 'Platelet count decreased: grade 3 < 50 x 10^9/L.' },
  { id: 'ctcae.platelets.g4', value: 25, unit: '10*3/uL', kind: 'published', verified: true, min: 1, max: 1000, source: REF.ctcae, description: 'Platelet count decreased: grade 4 < 25 x 10^9/L.' },
  { id: 'ctcae.anc.g2', value: 1.5, unit: '10*3/uL', kind: 'published', verified: true, min: 0.01, max: 20, source: REF.ctcae, description: 'Neutrophil count decreased: grade 2 < 1.5 x 10^9/L (grade 1 < LLN).' },
  { id: 'ctcae.anc.g3', value: 1.0, unit: '10*3/uL', kind: 'published', verified: true, min: 0.01, max: 20, source: REF.ctcae, description: 'Neutrophil count decreased: grade 3 < 1.0 x 10^9/L.' },
  { id: 'ctcae.anc.g4', value: 0.5, unit: '10*3/uL', kind: 'published', verified: true, min: 0.01, max: 20, source: REF.ctcae, description: 'Neutrophil count decreased: grade 4 < 0.5 x 10^9/L.' },
  { id: 'ctcae.hemoglobin.g2', value: 10, unit: 'g/dL', kind: 'published', verified: true, min: 1, max: 25, source: REF.ctcae, description: 'Anemia: grade 2 < 10.0 g/dL (grade 1 < LLN).' },
  { id: 'ctcae.hemoglobin.g3', value: 8, unit: 'g/dL', kind: 'published', verified: true, min: 1, max: 25, source: REF.ctcae, description: 'Anemia: grade 3 < 8.0 g/dL (grade 4 is clinical, not graded from the value).' },
  { id: 'ctcae.fibrinogen.lln.g2', value: 0.75, unit: 'x LLN', kind: 'published', verified: true, min: 0.01, max: 1, source: REF.ctcae, description: 'Fibrinogen decreased: grade 2 < 0.75 x LLN (grade 1 < LLN).' },
  { id: 'ctcae.fibrinogen.lln.g3', value: 0.5, unit: 'x LLN', kind: 'published', verified: true, min: 0.01, max: 1, source: REF.ctcae, description: 'Fibrinogen decreased: grade 3 < 0.5 x LLN.' },
  { id: 'ctcae.fibrinogen.lln.g4', value: 0.25, unit: 'x LLN', kind: 'published', verified: true, min: 0.01, max: 1, source: REF.ctcae, description: 'Fibrinogen decreased: grade 4 < 0.25 x LLN.' },
  { id: 'ctcae.fibrinogen.drop.g2', value: 0.25, unit: 'fraction', kind: 'published', verified: true, min: 0.01, max: 1, source: REF.ctcae, description: 'Fibrinogen (baseline abnormal): grade 2 a fall of >= 25% from baseline (grade 1 any smaller fall).' },
  { id: 'ctcae.fibrinogen.drop.g3', value: 0.5, unit: 'fraction', kind: 'published', verified: true, min: 0.01, max: 1, source: REF.ctcae, description: 'Fibrinogen (baseline abnormal): grade 3 a fall of >= 50% from baseline.' },
  { id: 'ctcae.fibrinogen.drop.g4', value: 0.75, unit: 'fraction', kind: 'published', verified: true, min: 0.01, max: 1, source: REF.ctcae, description: 'Fibrinogen (baseline abnormal): grade 4 a fall of >= 75% from baseline.' },
  { id: 'ctcae.fibrinogen.absolute.g4', value: 50, unit: 'mg/dL', kind: 'published', verified: true, min: 1, max: 1000, source: REF.ctcae, description: 'Fibrinogen decreased: grade 4 absolute value < 50 mg/dL.' },
  { id: 'ctcae.inr.g1', value: 1.2, unit: '{INR}', kind: 'published', verified: true, min: 0.5, max: 10, source: REF.ctcae, description: 'INR increased (no anticoagulation assumed): grade 1 > 1.2.' },
  { id: 'ctcae.inr.g2', value: 1.5, unit: '{INR}', kind: 'published', verified: true, min: 0.5, max: 10, source: REF.ctcae, description: 'INR increased: grade 2 > 1.5.' },
  { id: 'ctcae.inr.g3', value: 2.5, unit: '{INR}', kind: 'published', verified: true, min: 0.5, max: 10, source: REF.ctcae, description: 'INR increased: grade 3 > 2.5.' },
  { id: 'ctcae.aptt.g2', value: 1.5, unit: 'x ULN', kind: 'published', verified: true, min: 1, max: 10, source: REF.ctcae, description: 'aPTT prolonged: grade 2 > 1.5 x ULN (grade 1 > ULN).' },
  { id: 'ctcae.aptt.g3', value: 2.5, unit: 'x ULN', kind: 'published', verified: true, min: 1, max: 10, source: REF.ctcae, description: 'aPTT prolonged: grade 3 > 2.5 x ULN.' },

  // ---- Confounders named on the card (docs/clinical-basis.md#astct: "after other causes (infection, disease ------
  // ---- progression) have been considered"; wording UNVERIFIED per docs/clinical-basis.md#astct) ------
  {
    id: 'confounder.infection.daysBeforeInfusion', value: 7, unit: 'd', kind: 'local', verified: false, min: 0, max: 90, source: REF.local,
    description:
      'LOCAL RULE: an active infection diagnosis (sepsis, bacteremia, candidemia) dated from this many days before the infusion up to now is ' +
      'named on the IEC-HS card as a confounder. Rationale: an infection found during lymphodepletion (about day -5 to -3) may still be ' +
      'under treatment when the picture appears; an older active code is more likely an unclosed problem-list entry.',
  },
  {
    id: 'confounder.relapse.fromDay', value: 1, unit: 'd', kind: 'local', verified: false, min: 0, max: 3650, source: REF.local,
    description:
      'LOCAL RULE: an active "in relapse" diagnosis of the underlying malignancy counts as disease progression only when dated on or after ' +
      'this day after infusion. Earlier relapse codes are the indication for CAR-T (patients are treated for relapsed disease) and say ' +
      'nothing about progression after it.',
  },

  // ---- Card severity tier and workup freshness ------------------------------------------------------
  {
    id: 'severity.minGrade', value: 3, unit: 'grade', kind: 'published', verified: true, min: 1, max: 4, source: REF.ctcae,
    description: 'Severe organ dysfunction: CTCAE v5 grade >= 3 of a liver, kidney or coagulation lab (cytopenias are expected after lymphodepletion and do not count).',
  },
  {
    id: 'severity.fibrinogenCritical', value: 100, unit: 'mg/dL', kind: 'local', verified: false, min: 10, max: 500, source: REF.local,
    description:
      'LOCAL RULE: fibrinogen < 100 mg/dL marks severe coagulopathy regardless of LLN (a common cryoprecipitate trigger; equals CTCAE grade 3 for an LLN of 200 mg/dL).',
  },
  {
    id: 'workup.freshHours', value: 48, unit: 'h', kind: 'local', verified: false, min: 1, max: 720, source: 'docs/clinical-basis.md#workup (no IEC-HS cadence verified; daily inpatient labs common)',
    description: 'LOCAL RULE: a surveillance lab (ferritin, fibrinogen, CBC, liver, kidney, LDH, INR) is due when it has no result in the last 48 h.',
  },
  {
    id: 'workup.intensiveUntilDay', value: 37, unit: 'd', kind: 'local', verified: false, min: 0, max: 3650, source: REF.design,
    description: 'LOCAL RULE: the 48 h freshness window applies through this day after infusion (latest published onset); afterwards workup.lateFreshHours applies.',
  },
  {
    id: 'workup.lateFreshHours', value: 168, unit: 'h', kind: 'local', verified: false, min: 1, max: 2160, source: REF.local,
    description: 'LOCAL RULE: after the intensive period a surveillance lab is due when it has no result in the last 7 days.',
  },
  {
    id: 'workup.hlhPanelFreshHours', value: 168, unit: 'h', kind: 'local', verified: false, min: 1, max: 2160, source: 'docs/clinical-basis.md#workup',
    description: 'LOCAL RULE: once the ferritin key criterion is met, triglycerides and sCD25 are due when they have no result in the last 7 days.',
  },
  {
    id: 'treatment.currentHours', value: 48, unit: 'h', kind: 'local', verified: false, min: 1, max: 720, source: REF.local,
    description:
      'LOCAL RULE: a corticosteroid, anakinra or refractory therapy counts as running now (management text: escalate rather than start) ' +
      'when an administration falls inside this many hours before the evaluation, or an order for it is active. Steroids given for CRS ' +
      'a week earlier are not "running".',
  },
  {
    id: 'orderSelect.recentResultHours', value: 24, unit: 'h', kind: 'local', verified: false, min: 1, max: 720, source: REF.local,
    description:
      'LOCAL RULE (order-select): when a clinician orders an IEC-HS lab, the rest of the panel is suggested except labs resulted in the last 24 h ' +
      '(daily inpatient labs are common practice, docs/clinical-basis.md#workup; no IEC-HS cadence is verified). Shorter than workup.freshHours on purpose: ' +
      'someone already ordering labs gets the full picture for today, while the passive surveillance card only nags about labs missing for 48 h.',
  },
] as const satisfies readonly ThresholdRow[];

export type ThresholdId = (typeof THRESHOLD_TABLE)[number]['id'];

/** Values by id after configuration overrides. */
export type Thresholds = Readonly<Record<ThresholdId, number>>;


/** HScore -> probability of hemophagocytic syndrome, the published table (docs/clinical-basis.md#hscore-probability, verified). */
export const HSCORE_PROBABILITY_TABLE: readonly { score: number; percent: number }[] = [
  { score: 90, percent: 1 }, // "<1%" at <= 90
  { score: 100, percent: 1 },
  { score: 110, percent: 3 },
  { score: 120, percent: 5 },
  { score: 130, percent: 9 },
  { score: 140, percent: 16 },
  { score: 150, percent: 25 },
  { score: 160, percent: 40 },
  { score: 170, percent: 54 },
  { score: 180, percent: 70 },
  { score: 190, percent: 80 },
  { score: 200, percent: 88 },
  { score: 210, percent: 93 },
  { score: 220, percent: 96 },
  { score: 230, percent: 98 },
  { score: 240, percent: 99 },
  { score: 250, percent: 99 }, // ">99%" at >= 250
];

const ROW_BY_ID: ReadonlyMap<string, ThresholdRow> = new Map(THRESHOLD_TABLE.map((row) => [row.id, row]));

export function thresholdRow(id: ThresholdId): ThresholdRow {
  return ROW_BY_ID.get(id) as ThresholdRow;
}

export function isThresholdId(id: string): id is ThresholdId {
  return ROW_BY_ID.has(id);
}

export class ThresholdConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid clinical threshold configuration: ${problems.join('; ')}`);
    this.name = 'ThresholdConfigError';
  }
}

const DEFAULTS: Thresholds = Object.freeze(
  Object.fromEntries(THRESHOLD_TABLE.map((row) => [row.id, row.value])) as Record<ThresholdId, number>,
);

/**
 * Defaults with configuration overrides applied. Throws ThresholdConfigError listing every problem
 * (unknown id, non-number, non-finite, out of bounds) so configuration loading can fail at start-up.
 */
export function resolveThresholds(overrides: Readonly<Record<string, unknown>> = {}): Thresholds {
  const entries = Object.entries(overrides);
  if (entries.length === 0) return DEFAULTS;
  const problems: string[] = [];
  const resolved: Record<string, number> = { ...DEFAULTS };
  for (const [id, value] of entries) {
    const row = ROW_BY_ID.get(id);
    if (!row) {
      problems.push(`unknown threshold id "${id}"`);
    } else if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`threshold "${id}" must be a finite number (got ${JSON.stringify(value) ?? String(value)})`);
    } else if ((row.min !== undefined && value < row.min) || (row.max !== undefined && value > row.max)) {
      problems.push(`threshold "${id}" = ${value} is outside ${row.min ?? '-inf'}..${row.max ?? 'inf'} ${row.unit}`);
    } else {
      resolved[id] = value;
    }
  }
  if (problems.length > 0) throw new ThresholdConfigError(problems);
  return Object.freeze(resolved);
}

/** True when every listed row is verified (used to label criteria UNVERIFIED). */
export function allVerified(ids: readonly ThresholdId[]): boolean {
  return ids.every((id) => thresholdRow(id).verified);
}
