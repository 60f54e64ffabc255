/**
 * Issue 12: one scenario per clinical class on each side of the line, the classes a reviewer found the
 * alert got wrong: a falling ferritin tail vs a new rise; recovering vs worsening counts (and
 * ferritin + cytopenia alone); HLH-like features overlapping active CRS vs plain CRS; a T-cell engager
 * with and without an HLH-like picture; hemophagocytosis affirmed vs negated, as a report and as an
 * Observation; a US site (UTC-5) in the evening; units written as text, and a unit that cannot be
 * converted. Ranges: ferritin ULN 336 (male) / 307 (female), fibrinogen 200-400, AST 10-40, ANC LLN 1.8.
 */
import { DIAGNOSES, type LabKey } from '../codes.js';
import type { LabSpec, Point, ScenarioSpec } from '../model.js';
import { DRAFT, NO_CARDS, crs, infusion, problem } from './common.js';

/** A lab measured on `days` at one value (stable, neither falling nor rising). */
function flat(lab: LabKey, value: number, days: readonly number[]): LabSpec {
  return { lab, points: days.map((d): Point => [d, value]) };
}

/** Every point drawn at `hour` site-local time. */
function at(hour: number, spec: LabSpec): LabSpec {
  return { ...spec, points: spec.points.map((p): Point => [p[0], p[1], { ...(p[2] ?? {}), hour, issuedAfterHours: 0.5 }]) };
}

const DAYS_0_14 = [0, 2, 4, 6, 8, 10, 12, 13, 14];
/** Liver, kidney and coagulation labs normal and current through day 14 (no specific sign). */
const QUIET_CHEMISTRY: readonly LabSpec[] = [
  flat('fibrinogen', 300, DAYS_0_14),
  flat('ast', 28, DAYS_0_14),
  flat('alt', 26, DAYS_0_14),
  flat('bilirubin', 0.6, DAYS_0_14),
  flat('ldh', 240, DAYS_0_14),
  flat('creatinine', 0.9, DAYS_0_14),
  flat('inr', 1.0, DAYS_0_14),
];
/** Counts recovering from the lymphodepletion nadir (still below baseline grade: the old rule counted this). */
const RECOVERING_COUNTS: readonly LabSpec[] = [
  { lab: 'platelets', points: [[-5, 190], [0, 170], [4, 60], [6, 48], [8, 62], [10, 81], [12, 96], [13, 104], [14, 112]] },
  { lab: 'anc', points: [[-5, 3.4], [0, 2.2], [4, 0.3], [6, 0.2], [8, 0.5], [10, 0.9], [12, 1.2], [13, 1.3], [14, 1.5]] },
  flat('hemoglobin', 10.2, [0, 4, 8, 12, 13, 14]),
];
/** ANC recovers, then falls again by >= 1 CTCAE grade (new or worsening cytopenia). */
const WORSENING_COUNTS: readonly LabSpec[] = [
  { lab: 'platelets', points: [[-5, 190], [0, 170], [4, 60], [6, 48], [8, 62], [10, 81], [12, 96], [13, 104], [14, 112]] },
  { lab: 'anc', points: [[-5, 3.4], [0, 2.2], [4, 0.3], [6, 0.2], [8, 0.9], [10, 1.9], [12, 1.4], [13, 1.1], [14, 0.8]] },
  flat('hemoglobin', 10.2, [0, 4, 8, 12, 13, 14]),
];
const DLBCL = problem('dlbcl', DIAGNOSES.dlbcl, 'Diffuse large B-cell lymphoma, relapsed');
const MYELOMA = problem('myeloma', DIAGNOSES.myelomaRelapse, 'Multiple myeloma in relapse');
const MALE = (given: string, family: string, birthDate: string) => ({ given, family, gender: 'male' as const, birthDate });
const FEMALE = (given: string, family: string, birthDate: string) => ({ given, family, gender: 'female' as const, birthDate });

/** The old rule read the 7-day maximum (2,800) as "> 2x ULN" and alerted; today's value is 980 and falling. */
export const fallingTail: ScenarioSpec = {
  id: 'iechs-falling-tail',
  description: 'DLBCL, day 14 after axi-cel: CRS grade 2 (days 1-6) resolved; ferritin falling steadily from 8,600 (day 3) to 980 today, counts recovering: ferritin elevated but falling, a watch (info), never a warning.',
  dayNow: 14,
  patient: MALE('Oskar', 'Lindgren', '1962-02-11'),
  infusions: [infusion('axicel')],
  diagnoses: [DLBCL, crs(2, 1, 6)],
  labs: [
    { lab: 'ferritin', points: [[-5, 410], [0, 430], [1, 900], [2, 3800], [3, 8600], [4, 7200], [5, 5400], [6, 3900], [7, 2800], [8, 2400], [9, 2100], [10, 2000], [11, 1600], [12, 1350], [13, 1150], [14, 980]] },
    ...QUIET_CHEMISTRY,
    ...RECOVERING_COUNTS,
    flat('triglycerides', 180, [12]),
  ],
  patientView: { indicators: ['info'], iecHs: false, summaryIncludes: ['ferritin 980 ng/mL today, falling from 8,600 on day 3'] },
  orderSelect: [],
};

/** Same course until day 10, then a new rise after improvement with ANC falling again: warning. */
export const newRise: ScenarioSpec = {
  id: 'iechs-new-rise',
  description: 'DLBCL, day 14 after axi-cel: CRS grade 2 (days 1-6) resolved, ferritin fell from 8,600 to 1,300 (day 10) then rises again to 7,400 with ANC falling again after recovery: IEC-HS picture (warning).',
  dayNow: 14,
  patient: MALE('Henrik', 'Aalto', '1958-09-30'),
  infusions: [infusion('axicel')],
  diagnoses: [DLBCL, crs(2, 1, 6)],
  labs: [
    { lab: 'ferritin', points: [[-5, 410], [0, 430], [2, 3800], [3, 8600], [5, 5400], [7, 2800], [9, 1700], [10, 1300], [11, 1900], [12, 3100], [13, 4700], [14, 7400]] },
    ...QUIET_CHEMISTRY,
    ...WORSENING_COUNTS,
    flat('triglycerides', 220, [13]),
  ],
  patientView: { indicators: ['warning'], iecHs: true, summaryIncludes: ['ferritin 7,400 ng/mL today, rising from'] },
  orderSelect: [],
};

const RISING_FERRITIN: LabSpec = {
  lab: 'ferritin',
  points: [[-5, 280], [0, 300], [2, 1500], [3, 2400], [5, 1400], [7, 900], [9, 700], [11, 760], [12, 820], [13, 900], [14, 1120]],
};

export const riseRecoveringCounts: ScenarioSpec = {
  id: 'iechs-rise-recovering-counts',
  description: 'DLBCL, day 14 after liso-cel: CRS grade 1 (days 2-4) resolved; ferritin rising again from a 700 nadir to 1,120 while counts recover from the lymphodepletion nadir and liver/coagulation labs stay normal: no core sign, a watch (info).',
  dayNow: 14,
  patient: FEMALE('Ingrid', 'Solberg', '1969-04-17'),
  infusions: [infusion('lisocel', ['procedure'])],
  diagnoses: [DLBCL, crs(1, 2, 4)],
  labs: [RISING_FERRITIN, ...QUIET_CHEMISTRY, ...RECOVERING_COUNTS, flat('triglycerides', 160, [13])],
  patientView: { indicators: ['info'], iecHs: false },
  orderSelect: [],
};

export const riseWorseningCounts: ScenarioSpec = {
  id: 'iechs-rise-worsening-counts',
  description: 'DLBCL, day 14 after liso-cel: CRS grade 1 (days 2-4) resolved; ferritin rising again from a 700 nadir to 1,120 and ANC falling again after recovery (1.9 -> 0.8): IEC-HS picture (warning).',
  dayNow: 14,
  patient: FEMALE('Marta', 'Kowalczyk', '1966-12-03'),
  infusions: [infusion('lisocel', ['procedure'])],
  diagnoses: [DLBCL, crs(1, 2, 4)],
  labs: [RISING_FERRITIN, ...QUIET_CHEMISTRY, ...WORSENING_COUNTS, flat('triglycerides', 160, [13])],
  patientView: { indicators: ['warning'], iecHs: true },
  orderSelect: [],
};

export const ferritinCytopeniaOnly: ScenarioSpec = {
  id: 'iechs-ferritin-cytopenia-only',
  description: 'DLBCL, day 14 after liso-cel: ferritin elevated on a plateau (1,450-1,600, not rising past the thresholds) with ANC falling again after recovery, no specific sign: ferritin + cytopenia alone is a watch (info).',
  dayNow: 14,
  patient: MALE('Piet', 'de Vries', '1971-07-21'),
  infusions: [infusion('lisocel', ['procedure'])],
  diagnoses: [DLBCL, crs(1, 2, 5)],
  labs: [
    { lab: 'ferritin', points: [[-5, 300], [0, 310], [2, 1200], [4, 1900], [7, 1500], [9, 1450], [11, 1500], [13, 1550], [14, 1600]] },
    ...QUIET_CHEMISTRY,
    ...WORSENING_COUNTS,
    flat('triglycerides', 170, [13]),
  ],
  patientView: { indicators: ['info'], iecHs: false },
  orderSelect: [],
};

/** The reviewer's case: an info card "criteria not met" although CARTOX / HLH-LT / HScore were all met. */
export const overlapActiveCrs: ScenarioSpec = {
  id: 'iechs-overlap-active-crs',
  description: 'DLBCL, day 7 after axi-cel, CRS grade 3 still active: ferritin rising every day to 52,000, fibrinogen 85 mg/dL, AST 8x ULN (grade 3): HLH-like features overlapping active CRS (PRWCC HLH-LT met), critical.',
  dayNow: 7,
  patient: MALE('Rafael', 'Ortega', '1960-01-05'),
  infusions: [infusion('axicel')],
  diagnoses: [DLBCL, crs(3, 2)],
  labs: [
    { lab: 'ferritin', points: [[-5, 450], [0, 480], [2, 2600], [3, 9800], [4, 21000], [5, 34000], [6, 45000], [7, 52000]] },
    { lab: 'fibrinogen', points: [[-5, 320], [0, 330], [2, 300], [4, 210], [5, 160], [6, 120], [7, 85]] },
    { lab: 'ast', points: [[-5, 25], [0, 26], [2, 45], [4, 110], [5, 180], [6, 250], [7, 320]] },
    { lab: 'alt', points: [[-5, 22], [0, 24], [2, 40], [4, 90], [6, 160], [7, 210]] },
    flat('bilirubin', 0.9, [0, 2, 4, 6, 7]),
    flat('creatinine', 1.0, [0, 2, 4, 6, 7]),
    flat('ldh', 900, [4, 6, 7]),
    flat('inr', 1.3, [0, 4, 6, 7]),
    { lab: 'platelets', points: [[-5, 180], [0, 150], [3, 90], [5, 60], [7, 40]] },
    { lab: 'anc', points: [[-5, 3.0], [0, 1.9], [3, 0.4], [5, 0.2], [7, 0.2]] },
    flat('hemoglobin', 9.4, [0, 3, 5, 7]),
    flat('triglycerides', 310, [6]),
  ],
  temperatures: [[2, 39.6], [3, 40.1], [4, 39.8], [5, 39.9], [6, 40.2], [7, 39.7]],
  meds: [{ drug: 'tocilizumab', days: [2, 3], doseMg: 640, route: 'iv' }, { drug: 'dexamethasone', days: [3, 4, 5, 6], doseMg: 20, route: 'iv' }],
  patientView: { indicators: ['critical'], iecHs: true, summaryIncludes: ['HLH-like features overlapping active CRS'] },
  orderSelect: [],
};

export const crsWithoutOverlap: ScenarioSpec = {
  id: 'iechs-crs-no-overlap',
  description: 'DLBCL, day 4 after axi-cel, CRS grade 2 active: ferritin 3,400 and rising, fibrinogen, liver and kidney labs normal: plain CRS, no HLH-like alert (info: HLH panel due).',
  dayNow: 4,
  patient: FEMALE('Elena', 'Marchetti', '1975-05-29'),
  infusions: [infusion('axicel')],
  diagnoses: [DLBCL, crs(2, 2)],
  labs: [
    { lab: 'ferritin', points: [[-5, 300], [0, 320], [2, 900], [3, 1900], [4, 3400]] },
    { lab: 'fibrinogen', points: [[-5, 330], [0, 340], [2, 420], [3, 460], [4, 480]] },
    flat('ast', 30, [0, 2, 3, 4]),
    flat('alt', 28, [0, 2, 3, 4]),
    flat('bilirubin', 0.6, [0, 2, 4]),
    flat('creatinine', 0.8, [0, 2, 4]),
    flat('ldh', 260, [0, 2, 4]),
    flat('inr', 1.0, [0, 2, 4]),
    { lab: 'platelets', points: [[-5, 210], [0, 180], [2, 150], [4, 130]] },
    { lab: 'anc', points: [[-5, 3.3], [0, 2.0], [2, 0.9], [4, 0.5]] },
    flat('hemoglobin', 11.8, [0, 2, 4]),
  ],
  temperatures: [[2, 38.9], [3, 39.3], [4, 38.8]],
  patientView: { indicators: ['info'], iecHs: false, summaryExcludes: ['Possible IEC-HS', 'overlapping'] },
  orderSelect: [],
};

/** Teclistamab step-up doses on days 0, 2 and 4 (day 0 = first step-up dose), weekly from day 11. */
const TECLISTAMAB = { drug: 'teclistamab' as const, days: [0, 2, 4, 11], doseMg: 60, route: 'sc' as const };

export const tceHlh: ScenarioSpec = {
  id: 'iechs-tce-hlh',
  description: 'Myeloma, day 13 after the first teclistamab step-up dose (no CAR-T): CRS grade 1 (days 1-3) resolved, then ferritin rising again 900 -> 7,600 with fibrinogen 118 mg/dL: HLH-like syndrome after T-cell engager therapy (warning; never called IEC-HS or CAR-T).',
  dayNow: 13,
  patient: FEMALE('Agnes', 'Whitfield', '1955-10-14'),
  infusions: [],
  diagnoses: [MYELOMA, crs(1, 1, 3)],
  labs: [
    { lab: 'ferritin', points: [[0, 350], [2, 1400], [3, 1800], [6, 900], [9, 1400], [11, 3200], [12, 5100], [13, 7600]] },
    { lab: 'fibrinogen', points: [[0, 310], [3, 380], [6, 300], [9, 240], [11, 180], [12, 150], [13, 118]] },
    flat('ast', 32, [0, 3, 6, 9, 11, 12, 13]),
    flat('alt', 30, [0, 3, 6, 9, 11, 12, 13]),
    flat('bilirubin', 0.7, [0, 6, 12, 13]),
    flat('creatinine', 0.9, [0, 6, 12, 13]),
    flat('ldh', 380, [0, 6, 12, 13]),
    flat('inr', 1.1, [0, 6, 12, 13]),
    { lab: 'platelets', points: [[0, 140], [3, 110], [6, 95], [9, 120], [11, 105], [12, 90], [13, 72]] },
    { lab: 'anc', points: [[0, 2.1], [3, 1.6], [6, 1.2], [9, 1.9], [11, 1.5], [12, 1.2], [13, 0.9]] },
    flat('hemoglobin', 9.8, [0, 6, 12, 13]),
    flat('triglycerides', 240, [12]),
  ],
  meds: [TECLISTAMAB],
  patientView: {
    indicators: ['warning'],
    iecHs: false,
    summaryIncludes: ['HLH-like syndrome after T-cell engager therapy (teclistamab)'],
    summaryExcludes: ['IEC-HS', 'CAR-T'],
  },
  orderSelect: [],
};

export const tceCrsOnly: ScenarioSpec = {
  id: 'iechs-tce-crs-only',
  description: 'Myeloma, day 10 after the first teclistamab step-up dose: CRS grade 2 (days 1-3) resolved, ferritin back to 480; day 0 comes from the first dose, never from the CRS diagnosis; fibrinogen due (info, no CAR-T or IEC-HS wording).',
  dayNow: 10,
  patient: MALE('Gerald', 'Okafor', '1952-03-08'),
  infusions: [],
  diagnoses: [MYELOMA, crs(2, 1, 3)],
  labs: [
    { lab: 'ferritin', points: [[0, 330], [2, 1900], [4, 1300], [6, 800], [8, 560], [10, 480]] },
    { lab: 'fibrinogen', points: [[0, 320], [2, 430], [5, 380]] },
    flat('ast', 30, [0, 2, 4, 6, 8, 9, 10]),
    flat('alt', 28, [0, 2, 4, 6, 8, 9, 10]),
    flat('bilirubin', 0.6, [0, 4, 8, 10]),
    flat('creatinine', 1.0, [0, 4, 8, 10]),
    flat('ldh', 230, [0, 4, 8, 10]),
    flat('inr', 1.0, [0, 4, 8, 10]),
    { lab: 'platelets', points: [[0, 150], [2, 130], [4, 120], [6, 128], [8, 135], [10, 141]] },
    { lab: 'anc', points: [[0, 2.4], [2, 1.7], [4, 1.5], [6, 1.8], [8, 2.0], [10, 2.2]] },
    flat('hemoglobin', 10.9, [0, 4, 8, 10]),
  ],
  meds: [{ ...TECLISTAMAB, days: [0, 2, 4] }],
  patientView: { indicators: ['info'], iecHs: false, summaryIncludes: ['day 10 after T-cell engager therapy (teclistamab)'], summaryExcludes: ['IEC-HS', 'CAR-T'] },
  orderSelect: [],
};

/** Myeloma after cilta-cel, ferritin elevated on a plateau, quiet chemistry, counts recovering; marrow on day 11. */
function marrowScenario(id: string, description: string, report: NonNullable<ScenarioSpec['reports']>[number], positive: boolean, given: string): ScenarioSpec {
  return {
    id,
    description,
    dayNow: 12,
    patient: FEMALE(given, 'Brennan', '1961-06-19'),
    infusions: [infusion('ciltacel')],
    diagnoses: [MYELOMA, crs(1, 3, 5)],
    labs: [
      { lab: 'ferritin', points: [[-5, 520], [0, 540], [3, 1900], [4, 2400], [6, 2100], [8, 1950], [10, 1980], [11, 2000], [12, 2050]] },
      ...QUIET_CHEMISTRY.map((l) => ({ ...l, points: l.points.filter((p) => p[0] <= 12) })),
      ...RECOVERING_COUNTS.map((l) => ({ ...l, points: l.points.filter((p) => p[0] <= 12) })),
      flat('triglycerides', 190, [11]),
    ],
    reports: [report],
    patientView: positive ? { indicators: ['warning'], iecHs: true } : { indicators: ['info'], iecHs: false },
    orderSelect: [],
  };
}

export const hemoReportPositive = marrowScenario(
  'iechs-hemo-report-positive',
  'Myeloma, day 12 after cilta-cel, ferritin elevated on a plateau: marrow report conclusion "Prominent hemophagocytosis ..., without evidence of residual myeloma" (negation governs myeloma only): IEC-HS picture (warning).',
  { name: 'marrow-d11', day: 11, as: 'report-conclusion', text: 'Hypercellular marrow. Prominent hemophagocytosis with histiocytes engulfing erythrocytes and platelets, without evidence of residual myeloma.' },
  true,
  'Claire',
);

export const hemoReportNegated = marrowScenario(
  'iechs-hemo-report-negated',
  'Myeloma, day 12 after cilta-cel, ferritin elevated on a plateau: marrow report text (presentedForm) "No hemophagocytosis is seen": no core sign, a watch (info).',
  { name: 'marrow-d11', day: 11, as: 'report-presented-form', text: 'Normocellular marrow with trilineage hematopoiesis. No hemophagocytosis is seen. No evidence of residual myeloma.' },
  false,
  'Nora',
);

export const hemoObservationPositive = marrowScenario(
  'iechs-hemo-observation-positive',
  'Myeloma, day 12 after cilta-cel, ferritin elevated on a plateau: marrow aspirate Observation (LOINC 48807-2) "scattered hemophagocytic histiocytes are identified": IEC-HS picture (warning) on every data path.',
  { name: 'aspirate-d11', day: 11, as: 'observation', text: 'Aspirate: scattered hemophagocytic histiocytes are identified; no increase in plasma cells.' },
  true,
  'Ruth',
);

export const hemoObservationNegated = marrowScenario(
  'iechs-hemo-observation-negated',
  'Myeloma, day 12 after cilta-cel, ferritin elevated on a plateau: marrow aspirate Observation "Negative for hemophagocytosis": a watch (info).',
  { name: 'aspirate-d11', day: 11, as: 'observation', text: 'Negative for hemophagocytosis. Plasma cells 2%.' },
  false,
  'Vera',
);

/**
 * A site at UTC-5 (times written with -05:00), evaluated at 20:00 local on day 12. Labs are drawn at
 * 19:00 local (00:00Z the next UTC day), the infusion at 10:00 local. Counting UTC days would call it
 * day 13; site-local counting says day 12.
 */
export const siteUtcMinus5Evening: ScenarioSpec = {
  id: 'iechs-site-utc5-evening',
  description: 'DLBCL at a UTC-5 site, evening of day 12 after axi-cel (labs drawn 19:00 local): CRS resolved, ferritin rising again to 18,900 with fibrinogen 128: IEC-HS (warning), day 12 in site-local days (UTC counting would say 13).',
  dayNow: 12,
  utcOffsetHours: -5,
  nowOffsetHours: 11,
  patient: MALE('Curtis', 'Halvorsen', '1967-08-26'),
  infusions: [infusion('axicel')],
  diagnoses: [DLBCL, crs(2, 2, 7)],
  labs: [
    at(19, { lab: 'ferritin', points: [[-5, 500], [1, 700], [3, 2400], [5, 2900], [7, 2300], [8, 2200], [9, 3900], [10, 7800], [11, 12400], [12, 18900]] }),
    at(19, { lab: 'fibrinogen', points: [[-5, 340], [3, 460], [7, 380], [9, 260], [10, 200], [11, 160], [12, 128]] }),
    at(19, flat('ast', 35, [-5, 3, 7, 9, 10, 11, 12])),
    at(19, flat('alt', 33, [-5, 3, 7, 9, 10, 11, 12])),
    at(19, flat('bilirubin', 0.8, [-5, 7, 11, 12])),
    at(19, flat('creatinine', 1.0, [-5, 7, 11, 12])),
    at(19, flat('ldh', 700, [7, 11, 12])),
    at(19, flat('inr', 1.1, [-5, 7, 11, 12])),
    at(19, { lab: 'platelets', points: [[-5, 180], [3, 90], [6, 70], [9, 110], [11, 80], [12, 62]] }),
    at(19, { lab: 'anc', points: [[-5, 3.1], [3, 0.3], [6, 0.4], [9, 1.6], [11, 1.0], [12, 0.7]] }),
    at(19, flat('hemoglobin', 9.9, [-5, 6, 9, 12])),
    at(19, flat('triglycerides', 260, [11])),
  ],
  patientView: { indicators: ['warning'], iecHs: true, summaryIncludes: ['day 12 after CAR-T'], summaryExcludes: ['day 13'] },
  orderSelect: [],
};

/** AST / ALT in µkat/L, ferritin in mcg/L, sIL-2R in kU/L, fibrinogen in g/l: all converted, none asked for again. */
export const textUnits: ScenarioSpec = {
  id: 'iechs-text-units',
  description: 'DLBCL, day 10 after tisa-cel, a European lab: AST/ALT in µkat/L (AST 4.2 µkat/L = 252 U/L, 6.3x ULN), ferritin in mcg/L rising to 3,900, sIL-2R in kU/L, fibrinogen in g/l: converted before UCUM: IEC-HS with grade 3 AST (critical), resulted labs never suggested as due.',
  dayNow: 10,
  patient: MALE('Jonas', 'Eriksson', '1970-11-02'),
  infusions: [infusion('tisacel')],
  diagnoses: [DLBCL, crs(1, 2, 4)],
  labs: [
    { lab: 'ferritin', unit: { text: 'mcg/L' }, range: { low: 24, high: 336 }, points: [[-5, 400], [0, 410], [3, 1500], [5, 1100], [7, 900], [8, 1400], [9, 2400], [10, 3900]] },
    { lab: 'ast', unit: { text: 'µkat/L' }, range: { low: 0.17, high: 0.67 }, points: [[-5, 0.4], [0, 0.42], [5, 0.5], [7, 0.6], [8, 1.4], [9, 2.6], [10, 4.2]] },
    { lab: 'alt', unit: { text: 'µkat/L' }, range: { low: 0.12, high: 0.75 }, points: [[-5, 0.35], [0, 0.37], [5, 0.45], [8, 1.1], [10, 3.1]] },
    { lab: 'fibrinogen', unit: { text: 'g/l' }, range: { low: 2.0, high: 4.0 }, points: [[-5, 3.2], [0, 3.3], [5, 3.6], [8, 3.0], [10, 2.6]] },
    { lab: 'sil2r', unit: { text: 'kU/L' }, range: { low: 158, high: 623 }, points: [[10, 3400]] },
    flat('bilirubin', 0.8, [0, 5, 8, 9, 10]),
    flat('creatinine', 0.9, [0, 5, 8, 9, 10]),
    flat('ldh', 420, [0, 5, 8, 9, 10]),
    flat('inr', 1.1, [0, 5, 8, 9, 10]),
    { lab: 'platelets', points: [[-5, 190], [0, 170], [3, 70], [5, 55], [7, 80], [9, 110], [10, 118]] },
    { lab: 'anc', points: [[-5, 3.0], [0, 2.1], [3, 0.3], [5, 0.4], [7, 0.8], [9, 1.3], [10, 1.5]] },
    flat('hemoglobin', 10.5, [0, 5, 9, 10]),
    flat('triglycerides', 210, [9]),
  ],
  patientView: { indicators: ['critical'], iecHs: true, noWorkup: ['ferritin', 'fibrinogen', 'ast', 'alt', 'sil2r'] },
  orderSelect: [],
};

/** Fibrinogen in µmol/L (no molecular weight is configured for fibrinogen): shown as unconvertible, never re-ordered. */
export const unconvertibleUnit: ScenarioSpec = {
  id: 'iechs-unconvertible-unit',
  description: 'DLBCL, day 10 after tisa-cel: ferritin elevated on a plateau, fibrinogen resulted today but sent in µmol/L (not convertible to mg/dL without a molecular weight): shown as unconvertible, not suggested as due; criteria undecided (info).',
  dayNow: 10,
  patient: FEMALE('Lucia', 'Romano', '1973-02-14'),
  infusions: [infusion('tisacel')],
  diagnoses: [DLBCL, crs(1, 2, 4)],
  labs: [
    { lab: 'ferritin', points: [[-5, 300], [0, 310], [3, 1500], [5, 1300], [7, 1250], [9, 1280], [10, 1300]] },
    { lab: 'fibrinogen', unit: { text: 'µmol/L' }, range: 'none', points: [[8, 7.6], [10, 7.1]] },
    ...QUIET_CHEMISTRY.filter((l) => l.lab !== 'fibrinogen').map((l) => ({ ...l, points: l.points.filter((p) => p[0] <= 10) })),
    ...RECOVERING_COUNTS.map((l) => ({ ...l, points: l.points.filter((p) => p[0] <= 10) })),
    flat('triglycerides', 170, [9]),
  ],
  patientView: { indicators: ['info'], iecHs: false, noWorkup: ['fibrinogen', 'ferritin'] },
  orderSelect: [],
};

/**
 * Every scenario also answers one order-select case: a corticosteroid selected (anakinra also drafted)
 * never raises a card, whatever the picture (treatment is never second-guessed or auto-ordered).
 */
const STEROID_SELECTED: ScenarioSpec['orderSelect'] = [
  { name: 'dexamethasone selected (anakinra also drafted): no card', drafts: [DRAFT.dexamethasone, DRAFT.anakinra], select: ['dexamethasone'], expect: NO_CARDS },
];

const ALL: readonly ScenarioSpec[] = [
  fallingTail,
  newRise,
  riseRecoveringCounts,
  riseWorseningCounts,
  ferritinCytopeniaOnly,
  overlapActiveCrs,
  crsWithoutOverlap,
  tceHlh,
  tceCrsOnly,
  hemoReportPositive,
  hemoReportNegated,
  hemoObservationPositive,
  hemoObservationNegated,
  siteUtcMinus5Evening,
  textUnits,
  unconvertibleUnit,
];

export const CLINICAL_CLASS_SCENARIOS: readonly ScenarioSpec[] = ALL.map((spec) => (spec.orderSelect.length > 0 ? spec : { ...spec, orderSelect: STEROID_SELECTED }));
