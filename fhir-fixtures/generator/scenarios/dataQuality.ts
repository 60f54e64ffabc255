/**
 * Scenarios about HOW the data arrives: SI units, missing reference ranges, Epic-style local codes,
 * an entered-in-error result and an amended one.
 */
import { DIAGNOSES } from '../codes.js';
import type { ScenarioSpec } from '../model.js';
import { DRAFT, IL6_WARNING, NO_CARDS, crs, infusion, problem, withoutRanges } from './common.js';

/**
 * A European-style lab: ferritin in pmol/L (LOINC 14723-1), fibrinogen in g/L, triglycerides in
 * mmol/L, bilirubin and creatinine in umol/L, counts in 10*9/L, hemoglobin in g/L, each with its
 * range in the same unit. Day 11 ferritin 22,300 pmol/L = 9,924 ng/mL: above 2 x ULN (755 pmol/L)
 * and 2 x baseline, but BELOW the 10,000 ng/mL CARTOX / HLH-LT cut-off that the raw number would
 * wrongly pass. Fibrinogen 1.25 g/L = 125 mg/dL (< 150); triglycerides 3.4 mmol/L = 301 mg/dL.
 */
export const siUnits: ScenarioSpec = {
  id: 'iechs-si-units',
  description:
    'DLBCL, day 11 after tisa-cel, SI-unit lab: ferritin 22,300 pmol/L (= 9,924 ng/mL, under the 10,000 ng/mL carHLH cut-off the raw number would pass), fibrinogen 1.25 g/L (= 125 mg/dL) after CRS resolved: IEC-HS once units are converted (warning).',
  dayNow: 11,
  patient: { given: 'Lukas', family: 'Brandt', gender: 'male', birthDate: '1962-09-05' },
  infusions: [infusion('tisacel', ['administration'])],
  diagnoses: [problem('dlbcl', DIAGNOSES.dlbcl, 'Diffuse large B-cell lymphoma, relapsed'), crs(2, 2, 6)],
  labs: [
    { lab: 'ferritinMolar', points: [[-5, 1050], [0, 1100], [1, 1400], [2, 2300], [3, 4050], [4, 5200], [5, 5350], [6, 4700], [7, 4300], [8, 5600], [9, 9800], [10, 15900], [11, 22300]] },
    { lab: 'fibrinogenSI', points: [[-5, 3.0], [0, 3.1], [2, 3.9], [3, 4.6], [4, 4.4], [5, 4.2], [6, 3.8], [7, 3.4], [8, 2.9], [9, 2.2], [10, 1.7], [11, 1.25]] },
    { lab: 'ast', points: [[-5, 24], [0, 25], [3, 36], [5, 34], [7, 32], [9, 70], [10, 112], [11, 150]] },
    { lab: 'alt', points: [[-5, 20], [0, 22], [3, 31], [7, 28], [9, 55], [10, 80], [11, 102]] },
    { lab: 'bilirubinMolar', points: [[-5, 10], [0, 11], [3, 13], [7, 12], [9, 17], [10, 22], [11, 26]] },
    { lab: 'ldh', points: [[-5, 240], [0, 250], [3, 380], [7, 330], [9, 560], [10, 780], [11, 960]] },
    { lab: 'creatinineMolar', points: [[-5, 80], [0, 82], [3, 90], [7, 84], [11, 88]] },
    { lab: 'plateletsSI', points: [[-5, 185], [0, 160], [2, 130], [4, 112], [6, 108], [8, 104], [9, 88], [10, 74], [11, 62]] },
    { lab: 'ancSI', points: [[-5, 3.4], [0, 1.7], [2, 0.7], [4, 0.4], [6, 0.8], [8, 1.3], [9, 1.1], [10, 0.9], [11, 0.8]] },
    { lab: 'hemoglobinSI', points: [[-5, 131], [0, 126], [4, 114], [8, 104], [11, 92]] },
    { lab: 'crp', points: [[0, 6], [2, 74], [3, 158], [4, 121], [5, 70], [6, 38], [7, 22], [9, 40], [10, 58], [11, 66]] },
    { lab: 'inr', points: [[0, 1.0], [3, 1.1], [7, 1.1], [9, 1.2], [10, 1.3], [11, 1.4]] },
    { lab: 'triglyceridesMolar', points: [[-5, 1.6], [11, 3.4]] },
  ],
  temperatures: [[1, 37.1], [2, 38.7], [3, 39.2], [4, 38.5], [5, 38.0], [6, 37.4], [7, 37.0], [8, 37.2], [9, 37.8], [10, 38.3], [11, 38.6]],
  meds: [{ drug: 'tocilizumab', days: [3], doseMg: 640, route: 'iv' }],
  patientView: { indicators: ['warning'], iecHs: true, noWorkup: ['ferritin', 'fibrinogen', 'triglycerides'] },
  orderSelect: [
    {
      name: 'tocilizumab selected after CRS resolved: IL-6 blockade does not treat IEC-HS',
      drafts: [DRAFT.tocilizumab],
      select: ['tocilizumab'],
      expect: IL6_WARNING,
    },
  ],
};

/**
 * No result carries a referenceRange: the engine's documented defaults apply. Values cross the IEC-HS
 * cut-offs under any plausible default (ferritin 24,500 vs ULN 150-400; fibrinogen 118 < 150
 * absolute) and stay below grade 3 under any (AST 150 = 3.75-4.4 x ULN 34-40; bilirubin 1.4 < 3 x).
 */
export const noRefRange: ScenarioSpec = {
  id: 'iechs-no-refrange',
  description:
    'DLBCL, day 13 after axi-cel, results sent without reference ranges: after CRS grade 2 (days 2-7) ferritin 24,500 ng/mL, fibrinogen 118 mg/dL, AST 150 U/L: IEC-HS judged against default ranges (warning).',
  dayNow: 13,
  patient: { given: 'Ahmed', family: 'Rahimi', gender: 'male', birthDate: '1967-12-11' },
  infusions: [infusion('axicel', ['procedure'])],
  diagnoses: [problem('dlbcl', DIAGNOSES.dlbcl, 'Diffuse large B-cell lymphoma, primary refractory'), crs(2, 2, 7)],
  labs: withoutRanges([
    { lab: 'ferritin', points: [[-5, 650], [0, 700], [2, 1500], [3, 2600], [4, 3300], [5, 3100], [6, 2700], [7, 2300], [8, 2200], [9, 2900], [10, 5400], [11, 9800], [12, 16200], [13, 24500]] },
    { lab: 'fibrinogen', points: [[-5, 330], [0, 340], [3, 450], [5, 430], [7, 360], [9, 290], [10, 230], [11, 180], [12, 145], [13, 118]] },
    { lab: 'ast', points: [[-5, 22], [0, 24], [3, 33], [5, 30], [7, 28], [9, 46], [10, 70], [11, 98], [12, 126], [13, 150]] },
    { lab: 'alt', points: [[-5, 20], [0, 21], [3, 30], [7, 26], [9, 40], [11, 74], [13, 110]] },
    { lab: 'bilirubin', points: [[0, 0.6], [3, 0.7], [7, 0.6], [10, 0.9], [13, 1.4]] },
    { lab: 'ldh', points: [[-5, 230], [0, 240], [3, 390], [7, 300], [10, 560], [12, 860], [13, 1100]] },
    { lab: 'creatinine', points: [[-5, 1.0], [0, 1.0], [3, 1.1], [7, 1.0], [10, 1.0], [13, 1.1]] },
    { lab: 'platelets', points: [[-5, 170], [0, 135], [2, 118], [4, 102], [6, 96], [8, 99], [10, 84], [11, 76], [12, 66], [13, 58]] },
    { lab: 'anc', points: [[-5, 3.0], [0, 1.5], [3, 0.5], [6, 0.6], [8, 1.2], [10, 1.1], [12, 0.9], [13, 0.8]] },
    { lab: 'wbc', points: [[-5, 5.0], [0, 2.6], [3, 1.0], [6, 1.2], [8, 2.0], [10, 1.9], [13, 1.4]] },
    { lab: 'hemoglobin', points: [[-5, 13.6], [0, 13.1], [4, 11.9], [8, 11.2], [11, 10.4], [13, 9.8]] },
    { lab: 'crp', points: [[0, 5], [2, 88], [3, 150], [5, 96], [7, 30], [9, 24], [11, 52], [13, 70]] },
    { lab: 'inr', points: [[0, 1.0], [5, 1.1], [9, 1.1], [11, 1.2], [13, 1.3]] },
    { lab: 'triglycerides', points: [[-5, 150], [13, 330]] },
  ]),
  temperatures: [[1, 37.0], [2, 38.8], [3, 39.0], [4, 38.4], [5, 38.0], [6, 37.5], [7, 37.1], [8, 36.9], [9, 37.0], [10, 37.3], [11, 37.8], [12, 38.3], [13, 38.6]],
  meds: [{ drug: 'tocilizumab', days: [3], doseMg: 720, route: 'iv' }],
  patientView: { indicators: ['warning'], iecHs: true, noWorkup: ['ferritin', 'fibrinogen', 'triglycerides'] },
  orderSelect: [{ name: 'dexamethasone selected: no card', drafts: [DRAFT.dexamethasone], select: ['dexamethasone'], expect: NO_CARDS }],
};

/**
 * Epic-style results: ferritin, fibrinogen, LDH, AST and platelets carry a local component code
 * FIRST and LOINC second (plus a SNOMED lab-section category); the other labs carry LOINC only.
 * The tisa-cel administration has no RxNorm code, only HCPCS Q2042 and text.
 */
export const epicCodes: ScenarioSpec = {
  id: 'iechs-epic-codes',
  description:
    'DLBCL, day 10 after tisa-cel, Epic-style coding (local code first, LOINC second; LOINC-only for the rest): after CRS grade 1 ferritin 12,800 ng/mL, fibrinogen 138 mg/dL, LDH 890 U/L: IEC-HS (warning). Triglycerides only pre-infusion (due).',
  dayNow: 10,
  patient: { given: 'Rosa', family: 'Delgado', gender: 'female', birthDate: '1974-07-21' },
  infusions: [infusion('tisacel')],
  diagnoses: [problem('dlbcl', DIAGNOSES.dlbcl, 'Diffuse large B-cell lymphoma, relapsed'), crs(1, 2, 5)],
  labs: [
    { lab: 'ferritin', epicLocal: true, points: [[-5, 240], [0, 260], [2, 480], [3, 890], [4, 1250], [5, 1180], [6, 1050], [7, 1400], [8, 3100], [9, 6900], [10, 12800]] },
    { lab: 'fibrinogen', epicLocal: true, points: [[-5, 300], [0, 310], [2, 360], [4, 400], [6, 340], [7, 300], [8, 230], [9, 175], [10, 138]] },
    { lab: 'ldh', epicLocal: true, points: [[-5, 200], [0, 210], [3, 290], [5, 260], [7, 310], [8, 480], [9, 700], [10, 890]] },
    { lab: 'ast', epicLocal: true, points: [[-5, 20], [0, 21], [3, 27], [5, 25], [7, 30], [8, 52], [9, 88], [10, 130]] },
    { lab: 'platelets', epicLocal: true, points: [[-5, 198], [0, 172], [2, 150], [4, 131], [6, 125], [7, 118], [8, 99], [9, 80], [10, 64]] },
    { lab: 'alt', points: [[-5, 18], [0, 19], [5, 24], [8, 40], [10, 88]] },
    { lab: 'bilirubin', points: [[0, 0.5], [5, 0.6], [8, 0.8], [10, 1.1]] },
    { lab: 'creatinine', points: [[0, 0.7], [5, 0.8], [10, 0.8]] },
    { lab: 'anc', points: [[-5, 3.3], [0, 1.8], [3, 0.8], [5, 0.6], [7, 1.1], [9, 0.9], [10, 0.8]] },
    { lab: 'wbc', points: [[-5, 5.2], [0, 3.0], [5, 1.3], [7, 2.0], [10, 1.5]] },
    { lab: 'hemoglobin', points: [[-5, 12.4], [0, 12.0], [5, 11.1], [8, 10.6], [10, 10.1]] },
    { lab: 'crp', points: [[0, 4], [2, 30], [3, 55], [4, 48], [5, 26], [7, 18], [8, 40], [9, 62], [10, 75]] },
    { lab: 'inr', points: [[0, 1.0], [5, 1.0], [8, 1.1], [10, 1.2]] },
    { lab: 'triglycerides', points: [[-5, 130]] },
  ],
  temperatures: [[2, 38.2], [3, 38.6], [4, 38.1], [5, 37.4], [6, 37.0], [7, 37.1], [8, 37.6], [9, 38.4], [10, 38.8]],
  patientView: {
    indicators: ['warning'],
    iecHs: true,
    workup: ['triglycerides'],
    noWorkup: ['ferritin', 'fibrinogen', 'ldh', 'ast'],
  },
  orderSelect: [
    {
      name: 'ferritin selected (fibrinogen also drafted): suggest triglycerides, not the Epic-coded labs resulted today',
      drafts: [DRAFT.ferritin, DRAFT.fibrinogen],
      select: ['ferritin'],
      expect: {
        indicators: ['info'],
        iecHs: false,
        workup: ['triglycerides'],
        noWorkup: ['ferritin', 'fibrinogen', 'ldh', 'ast'],
        il6Warning: false,
      },
    },
  ],
};

/**
 * The only high ferritin (27,400 on day 10) is entered-in-error (wrong-patient specimen). Valid
 * ferritins stay below 2 x ULN (400) and 2 x baseline (380), the last one on day 6: ferritin is due
 * (the retracted result must not count as recent either).
 */
export const enteredInError: ScenarioSpec = {
  id: 'iechs-entered-in-error',
  description:
    'DLBCL, day 10 after axi-cel, CRS grade 1 resolved: the only high ferritin (27,400 ng/mL today) is entered-in-error (wrong-patient specimen): no IEC-HS; ferritin redraw due (last valid result day 6).',
  dayNow: 10,
  patient: { given: 'George', family: 'Papadakis', gender: 'male', birthDate: '1965-05-03' },
  infusions: [infusion('axicel')],
  diagnoses: [problem('dlbcl', DIAGNOSES.dlbcl, 'Diffuse large B-cell lymphoma, relapsed'), crs(1, 2, 6)],
  labs: [
    {
      lab: 'ferritin',
      range: { low: 30, high: 400 },
      points: [
        [-5, 350], [0, 380], [2, 520], [4, 690], [6, 610],
        [10, 27400, { status: 'entered-in-error', note: 'Specimen collected from the wrong patient; result retracted. Redraw requested.' }],
      ],
    },
    { lab: 'fibrinogen', points: [[-5, 320], [0, 330], [2, 390], [4, 420], [6, 370], [8, 340], [10, 320]] },
    { lab: 'ast', points: [[-5, 23], [0, 24], [2, 28], [4, 31], [6, 29], [8, 27], [10, 31]] },
    { lab: 'alt', points: [[-5, 19], [0, 20], [4, 27], [8, 24], [10, 25]] },
    { lab: 'bilirubin', points: [[0, 0.6], [4, 0.7], [10, 0.6]] },
    { lab: 'ldh', points: [[-5, 220], [0, 230], [4, 260], [8, 220], [10, 210]] },
    { lab: 'creatinine', points: [[0, 0.9], [4, 1.0], [10, 0.9]] },
    { lab: 'platelets', points: [[-5, 200], [0, 170], [2, 150], [4, 134], [6, 131], [8, 136], [10, 140]] },
    { lab: 'anc', points: [[-5, 3.5], [0, 1.9], [2, 0.9], [4, 0.6], [6, 0.8], [8, 1.1], [10, 1.4]] },
    { lab: 'wbc', points: [[-5, 5.6], [0, 3.0], [4, 1.2], [6, 1.5], [8, 2.0], [10, 2.4]] },
    { lab: 'hemoglobin', points: [[-5, 13.8], [0, 13.4], [4, 12.5], [8, 12.1], [10, 12.3]] },
    { lab: 'crp', points: [[0, 5], [2, 36], [3, 48], [4, 40], [6, 18], [8, 8], [10, 5]] },
    { lab: 'inr', points: [[0, 1.0], [4, 1.0], [10, 1.0]] },
  ],
  temperatures: [[2, 38.1], [3, 38.5], [4, 38.2], [5, 37.6], [6, 37.1], [7, 36.9], [8, 36.8], [9, 36.9], [10, 36.8]],
  patientView: { indicators: ['info'], iecHs: false, workup: ['ferritin'], noWorkup: ['fibrinogen', 'ast'] },
  orderSelect: [
    {
      name: 'ferritin redraw selected: suggest triglycerides, not the labs resulted today',
      drafts: [DRAFT.ferritin],
      select: ['ferritin'],
      expect: {
        indicators: ['info'],
        iecHs: false,
        workup: ['triglycerides'],
        noWorkup: ['ferritin', 'fibrinogen', 'ast', 'ldh'],
        il6Warning: false,
      },
    },
  ],
};

/**
 * Amended LOW -> HIGH: day 11 ferritin was first reported as 610 ng/mL (high-dose hook effect),
 * repeated on dilution and amended to 16,800 (status `amended`; only the current version is in the
 * bundle). It is the only ferritin above 2 x ULN (400) / 2 x baseline (420), so IEC-HS is flagged
 * only if amended results count as valid results.
 */
export const amended: ScenarioSpec = {
  id: 'iechs-amended',
  description:
    'DLBCL, day 11 after axi-cel: ferritin first reported 610 ng/mL (hook effect), amended after dilution to 16,800 ng/mL; with fibrinogen 128 mg/dL and new fever after CRS resolved: IEC-HS (warning) only if the amended result is used.',
  dayNow: 11,
  patient: { given: 'Peter', family: 'Lindgren', gender: 'male', birthDate: '1969-10-27' },
  infusions: [infusion('axicel', ['procedure'])],
  diagnoses: [problem('dlbcl', DIAGNOSES.dlbcl, 'Diffuse large B-cell lymphoma, relapsed'), crs(2, 2, 6)],
  labs: [
    {
      lab: 'ferritin',
      range: { low: 30, high: 400 },
      points: [
        [-5, 400], [0, 420], [2, 560], [4, 650], [7, 740],
        [11, 16800, {
          status: 'amended',
          issuedAfterHours: 2.5,
          note: 'Amended result: first reported as 610 ng/mL. Repeated on dilution for a suspected high-dose hook effect; corrected value 16,800 ng/mL.',
        }],
      ],
    },
    { lab: 'fibrinogen', points: [[-5, 330], [0, 340], [3, 430], [5, 400], [7, 300], [9, 190], [11, 128]] },
    { lab: 'ast', points: [[-5, 25], [0, 26], [3, 35], [5, 32], [7, 34], [9, 72], [11, 140]] },
    { lab: 'alt', points: [[-5, 21], [0, 22], [3, 30], [7, 29], [9, 58], [11, 100]] },
    { lab: 'bilirubin', points: [[0, 0.6], [3, 0.7], [7, 0.7], [9, 0.9], [11, 1.2]] },
    { lab: 'ldh', points: [[-5, 240], [0, 245], [3, 360], [7, 320], [9, 610], [11, 1020]] },
    { lab: 'creatinine', points: [[0, 0.9], [3, 1.0], [7, 0.9], [11, 1.0]] },
    { lab: 'platelets', points: [[-5, 178], [0, 150], [2, 128], [4, 110], [6, 104], [7, 102], [9, 80], [11, 58]] },
    { lab: 'anc', points: [[-5, 3.1], [0, 1.6], [2, 0.6], [4, 0.4], [6, 0.7], [7, 1.1], [9, 1.0], [11, 0.8]] },
    { lab: 'wbc', points: [[-5, 5.4], [0, 2.7], [4, 0.9], [7, 2.0], [9, 1.8], [11, 1.3]] },
    { lab: 'hemoglobin', points: [[-5, 13.4], [0, 13.0], [4, 12.0], [7, 11.4], [9, 10.8], [11, 10.0]] },
    { lab: 'crp', points: [[0, 6], [2, 80], [3, 140], [4, 96], [6, 30], [7, 18], [9, 46], [11, 74]] },
    { lab: 'inr', points: [[0, 1.0], [3, 1.1], [7, 1.1], [9, 1.2], [11, 1.3]] },
    { lab: 'triglycerides', points: [[-5, 145], [11, 310]] },
  ],
  temperatures: [[2, 38.6], [3, 39.1], [4, 38.4], [5, 37.8], [6, 37.2], [7, 36.9], [8, 37.0], [9, 37.6], [10, 38.6], [11, 38.8]],
  meds: [{ drug: 'tocilizumab', days: [3], doseMg: 700, route: 'iv' }],
  patientView: { indicators: ['warning'], iecHs: true, noWorkup: ['ferritin', 'fibrinogen', 'triglycerides'] },
  orderSelect: [
    {
      name: 'tocilizumab selected after CRS resolved: IL-6 blockade does not treat IEC-HS',
      drafts: [DRAFT.tocilizumab],
      select: ['tocilizumab'],
      expect: IL6_WARNING,
    },
  ],
};
