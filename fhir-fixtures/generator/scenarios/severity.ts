/** Scenarios about HOW BAD and WHAT ELSE: a confounding sepsis, and the most severe IEC-HS. */
import { DIAGNOSES } from '../codes.js';
import type { ScenarioSpec } from '../model.js';
import { DRAFT, IL6_WARNING, NO_CARDS, crs, infusion, problem } from './common.js';

/**
 * Day 14 after axi-cel: E. coli bacteremia from day 12 on meropenem, and at the same time ferritin
 * 1,800 -> 18,600, fibrinogen 138, LDH 980, falling platelets after CRS resolved. The criteria are
 * met, so the IEC-HS picture is flagged (warning, the tier is kept); the card names the sepsis in its
 * summary and verdict and asks to evaluate it before attributing the picture to IEC-HS.
 * Triglycerides last drawn day 7: due.
 */
export const sepsis: ScenarioSpec = {
  id: 'iechs-sepsis',
  description:
    'DLBCL, day 14 after axi-cel: E. coli sepsis since day 12 (confounder) and, after CRS resolved, ferritin 18,600 ng/mL, fibrinogen 138 mg/dL, LDH 980 U/L: IEC-HS picture still flagged (warning), the card names the sepsis and asks to evaluate it before attributing the picture to IEC-HS.',
  dayNow: 14,
  patient: { given: 'Frank', family: 'Osei', gender: 'male', birthDate: '1957-04-02' },
  infusions: [infusion('axicel')],
  diagnoses: [
    problem('dlbcl', DIAGNOSES.dlbcl, 'Diffuse large B-cell lymphoma, relapsed'),
    crs(2, 2, 7),
    { name: 'sepsis', codes: DIAGNOSES.sepsisEcoli, text: 'E. coli bacteremia with sepsis', onsetDay: 12 },
  ],
  labs: [
    { lab: 'ferritin', points: [[-5, 480], [0, 520], [2, 980], [3, 1900], [4, 2700], [5, 2500], [6, 2200], [7, 1900], [8, 1800], [10, 2600], [11, 4300], [12, 6900], [13, 11800], [14, 18600]] },
    { lab: 'fibrinogen', points: [[-5, 350], [0, 360], [3, 470], [5, 440], [7, 380], [9, 330], [11, 260], [12, 210], [13, 170], [14, 138]] },
    { lab: 'ast', points: [[-5, 23], [0, 24], [3, 34], [5, 31], [7, 28], [9, 30], [11, 52], [12, 74], [13, 102], [14, 135]] },
    { lab: 'alt', points: [[-5, 20], [0, 21], [3, 30], [7, 25], [11, 44], [13, 80], [14, 104]] },
    { lab: 'bilirubin', points: [[0, 0.7], [3, 0.8], [7, 0.7], [11, 1.0], [13, 1.3], [14, 1.5]] },
    { lab: 'ldh', points: [[-5, 250], [0, 260], [3, 380], [7, 310], [10, 380], [12, 610], [13, 780], [14, 980]] },
    { lab: 'creatinine', points: [[-5, 1.0], [0, 1.0], [3, 1.2], [7, 1.0], [11, 1.1], [12, 1.3], [13, 1.4], [14, 1.4]] },
    { lab: 'platelets', points: [[-5, 176], [0, 150], [3, 118], [5, 102], [7, 104], [9, 110], [11, 96], [12, 84], [13, 70], [14, 55]] },
    { lab: 'anc', points: [[-5, 3.3], [0, 1.7], [3, 0.5], [5, 0.4], [7, 0.9], [9, 1.6], [11, 1.4], [12, 1.1], [13, 0.9], [14, 0.8]] },
    { lab: 'wbc', points: [[-5, 5.3], [0, 2.8], [3, 0.9], [7, 1.7], [9, 2.6], [11, 2.3], [13, 1.8], [14, 1.6]] },
    { lab: 'hemoglobin', points: [[-5, 12.9], [0, 12.5], [4, 11.4], [8, 10.9], [11, 10.6], [13, 9.9], [14, 9.5]] },
    { lab: 'crp', points: [[0, 7], [2, 70], [3, 170], [4, 120], [5, 60], [7, 22], [9, 15], [11, 60], [12, 150], [13, 210], [14, 190]] },
    { lab: 'procalcitonin', points: [[12, 6.8], [13, 9.6], [14, 8.1]] },
    { lab: 'inr', points: [[0, 1.0], [3, 1.1], [7, 1.1], [11, 1.1], [12, 1.2], [13, 1.3], [14, 1.4]] },
    { lab: 'triglycerides', points: [[-5, 155], [7, 180]] },
  ],
  temperatures: [[2, 38.7], [3, 39.0], [4, 38.3], [5, 37.8], [6, 37.3], [7, 37.0], [8, 36.9], [9, 36.8], [10, 37.2], [11, 38.0], [12, 39.2], [13, 38.9], [14, 38.6]],
  meds: [
    { drug: 'tocilizumab', days: [3], doseMg: 700, route: 'iv' },
    { drug: 'dexamethasone', days: [4], doseMg: 10, route: 'iv' },
    { drug: 'meropenem', days: [12, 13], doseMg: 1000, route: 'iv' },
    { drug: 'meropenem', days: [14], doseMg: 1000, route: 'iv', hour: 6 },
  ],
  patientView: { indicators: ['warning'], iecHs: true, workup: ['triglycerides'], noWorkup: ['ferritin', 'fibrinogen'], summaryIncludes: ['sepsis on record'] },
  orderSelect: [
    {
      name: 'ferritin selected (fibrinogen also drafted): suggest triglycerides',
      drafts: [DRAFT.ferritin, DRAFT.fibrinogen],
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
 * Day 11 after axi-cel, fulminant IEC-HS after CRS grade 3: ferritin 96,500, fibrinogen 64 mg/dL
 * (< 100 and < 0.5 x LLN), AST 24.5x ULN (grade 4), bilirubin 3.5x ULN (grade 3), INR 2.7 (grade 3),
 * profound pancytopenia. Critical.
 */
export const severe: ScenarioSpec = {
  id: 'iechs-severe',
  description:
    'DLBCL, day 11 after axi-cel: fulminant IEC-HS after CRS grade 3: ferritin 96,500 ng/mL, fibrinogen 64 mg/dL, AST 980 U/L (grade 4), bilirubin 4.2 mg/dL, INR 2.7, platelets 14, sCD25 9,800 pg/mL: critical.',
  dayNow: 11,
  patient: { given: 'Anthony', family: 'Kowalczyk', gender: 'male', birthDate: '1965-11-29' },
  infusions: [infusion('axicel')],
  diagnoses: [problem('dlbcl', DIAGNOSES.dlbcl, 'Diffuse large B-cell lymphoma, relapsed'), crs(3, 1, 6)],
  labs: [
    { lab: 'ferritin', points: [[-5, 900], [0, 980], [1, 2600], [2, 6900], [3, 12400], [4, 15800], [5, 14100], [6, 12800], [7, 13900], [8, 21500], [9, 38600], [10, 64000], [11, 96500]] },
    { lab: 'fibrinogen', points: [[-5, 320], [0, 330], [2, 360], [4, 310], [6, 260], [7, 220], [8, 170], [9, 128], [10, 92], [11, 64]] },
    { lab: 'ast', points: [[-5, 28], [0, 30], [2, 58], [4, 74], [6, 66], [7, 90], [8, 180], [9, 340], [10, 610], [11, 980]] },
    { lab: 'alt', points: [[-5, 25], [0, 27], [2, 50], [4, 66], [6, 60], [8, 150], [9, 270], [10, 480], [11, 720]] },
    { lab: 'bilirubin', points: [[0, 0.7], [2, 0.9], [4, 1.1], [6, 1.0], [8, 1.6], [9, 2.4], [10, 3.3], [11, 4.2]] },
    { lab: 'ldh', points: [[0, 320], [2, 640], [4, 760], [6, 600], [8, 1350], [9, 2100], [10, 3000], [11, 3900]] },
    { lab: 'creatinine', points: [[-5, 0.9], [0, 0.9], [2, 1.1], [4, 1.2], [6, 1.1], [8, 1.4], [9, 1.7], [10, 2.0], [11, 2.4]] },
    { lab: 'platelets', points: [[-5, 150], [0, 128], [2, 96], [4, 70], [6, 62], [8, 48], [9, 33], [10, 21], [11, 14]] },
    { lab: 'anc', points: [[-5, 2.4], [0, 1.2], [2, 0.4], [4, 0.2], [6, 0.3], [8, 0.3], [9, 0.2], [10, 0.1], [11, 0.1]] },
    { lab: 'wbc', points: [[-5, 4.1], [0, 2.1], [4, 0.6], [8, 0.7], [11, 0.3]] },
    { lab: 'hemoglobin', points: [[-5, 12.2], [0, 11.8], [4, 10.4], [8, 9.1], [10, 7.9], [11, 7.2]] },
    { lab: 'crp', points: [[0, 10], [1, 90], [2, 220], [3, 240], [4, 170], [6, 70], [8, 90], [10, 130], [11, 140]] },
    { lab: 'inr', points: [[0, 1.0], [2, 1.2], [4, 1.3], [6, 1.2], [8, 1.5], [9, 1.8], [10, 2.2], [11, 2.7]] },
    { lab: 'triglycerides', points: [[-5, 175], [9, 430], [11, 540]] },
    // Send-out test: drawn day 9, resulted this morning.
    { lab: 'sil2r', points: [[9, 9800, { issuedAfterHours: 48 }]] },
  ],
  temperatures: [[1, 39.4], [2, 40.0], [3, 39.1], [4, 38.3], [5, 37.8], [6, 37.3], [7, 37.6], [8, 38.4], [9, 39.0], [10, 39.4], [11, 39.6]],
  meds: [
    { drug: 'tocilizumab', days: [1, 2], doseMg: 800, route: 'iv', hour: 20 },
    { drug: 'dexamethasone', days: [2, 3, 4, 5], doseMg: 10, route: 'iv' },
  ],
  // sCD25 (pg/mL) resulted this morning from a day-9 draw: not due again.
  patientView: { indicators: ['critical'], iecHs: true, noWorkup: ['ferritin', 'fibrinogen', 'triglycerides', 'sil2r'] },
  orderSelect: [
    {
      name: 'tocilizumab selected in fulminant IEC-HS without active CRS: IL-6 blockade does not treat IEC-HS',
      drafts: [DRAFT.tocilizumab],
      select: ['tocilizumab'],
      expect: IL6_WARNING,
    },
    {
      name: 'anakinra and methylprednisolone selected: no card',
      drafts: [DRAFT.anakinra, DRAFT.methylprednisolone],
      select: ['anakinra', 'methylprednisolone'],
      expect: NO_CARDS,
    },
  ],
};
