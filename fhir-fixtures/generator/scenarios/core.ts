/**
 * The four scenarios the demo and the end-to-end tests lean on most: the classic (warning) IEC-HS patient,
 * CRS that resolves without IEC-HS, a watched patient whose ferritin is overdue, and a patient with
 * very high ferritin who never had immune effector cell therapy.
 */
import { DIAGNOSES } from '../codes.js';
import type { ScenarioSpec } from '../model.js';
import { DRAFT, IL6_WARNING, NO_CARDS, crs, infusion, problem } from './common.js';

/**
 * Day 12 after axi-cel: the demo's main patient, IEC-HS emerging as CRS resolves. CRS grade 2 (days
 * 2-7) treated with tocilizumab and dexamethasone; from day 8 ferritin climbs again from ~2,600 to
 * 28,400 ng/mL (baseline 520, ULN 336), fibrinogen falls to 128 mg/dL (below 150, above the 100 mg/dL
 * critical cut-off; CTCAE grade 2), AST rises to 176 U/L (4.4 x ULN 40: grade 2), cytopenias deepen
 * and fever returns. Liver, kidney and coagulation labs stay at CTCAE grade <= 2, so the card is a
 * warning, not critical (iechs-severe is the critical example). Triglycerides were last measured
 * before lymphodepletion: due.
 */
export const classic: ScenarioSpec = {
  id: 'iechs-classic',
  description:
    'DLBCL, day 12 after axi-cel: CRS grade 2 (days 2-7) resolved on tocilizumab/dexamethasone, then ferritin rising to 28,400 ng/mL (55x baseline), fibrinogen 128 mg/dL, AST 4.4x ULN, worsening cytopenias, fever: emerging IEC-HS, organ labs CTCAE grade <= 2 (warning).',
  dayNow: 12,
  patient: { given: 'Walter', family: 'Brennan', gender: 'male', birthDate: '1964-03-18' },
  infusions: [infusion('axicel')],
  diagnoses: [
    problem('dlbcl', DIAGNOSES.dlbcl, 'Diffuse large B-cell lymphoma, relapsed'),
    crs(2, 2, 7),
    { name: 'iec-complication', codes: DIAGNOSES.iecComplication, text: 'Complication of CAR-T cell therapy', onsetDay: 2, abatementDay: 7 },
  ],
  labs: [
    { lab: 'ferritin', points: [[-5, 480], [0, 520], [1, 610], [2, 940], [3, 1850], [4, 2600], [5, 2900], [6, 2750], [7, 2600], [8, 3400], [9, 6100], [10, 11800], [11, 19600], [12, 28400]] },
    { lab: 'fibrinogen', points: [[-5, 340], [0, 355], [1, 380], [2, 420], [3, 480], [4, 510], [5, 470], [6, 410], [7, 360], [8, 310], [9, 260], [10, 205], [11, 162], [12, 128]] },
    { lab: 'ast', points: [[-5, 24], [0, 26], [1, 27], [2, 31], [3, 38], [4, 44], [5, 41], [6, 36], [7, 35], [8, 46], [9, 64], [10, 92], [11, 138], [12, 176]] },
    { lab: 'alt', points: [[-5, 22], [0, 24], [2, 28], [4, 40], [6, 38], [8, 50], [9, 64], [10, 86], [11, 112], [12, 141]] },
    { lab: 'bilirubin', points: [[-5, 0.6], [0, 0.6], [2, 0.7], [4, 0.8], [6, 0.8], [8, 0.9], [10, 1.1], [11, 1.3], [12, 1.4]] },
    { lab: 'ldh', points: [[-5, 310], [0, 318], [2, 380], [4, 420], [6, 395], [8, 520], [10, 760], [11, 940], [12, 1180]] },
    { lab: 'creatinine', points: [[-5, 0.9], [0, 0.9], [2, 1.0], [3, 1.1], [4, 1.1], [6, 1.0], [8, 1.0], [10, 1.1], [12, 1.2]] },
    { lab: 'platelets', points: [[-5, 168], [0, 142], [1, 131], [2, 118], [3, 104], [4, 96], [5, 90], [6, 88], [7, 92], [8, 84], [9, 74], [10, 61], [11, 49], [12, 38]] },
    { lab: 'anc', points: [[-5, 3.2], [0, 1.4], [1, 0.9], [2, 0.6], [3, 0.4], [4, 0.3], [5, 0.3], [6, 0.4], [7, 0.6], [8, 0.9], [9, 1.1], [10, 0.8], [11, 0.6], [12, 0.4]] },
    { lab: 'wbc', points: [[-5, 5.1], [0, 2.4], [1, 1.7], [2, 1.2], [3, 0.9], [4, 0.8], [5, 0.8], [6, 0.9], [7, 1.2], [8, 1.6], [9, 1.9], [10, 1.4], [11, 1.1], [12, 0.8]] },
    { lab: 'hemoglobin', points: [[-5, 12.8], [0, 12.1], [2, 11.4], [4, 10.6], [6, 10.1], [8, 9.8], [10, 9.3], [11, 8.9], [12, 8.6]] },
    { lab: 'crp', points: [[0, 8], [1, 14], [2, 96], [3, 182], [4, 150], [5, 88], [6, 52], [7, 31], [8, 28], [9, 44], [10, 61], [11, 70], [12, 78]] },
    { lab: 'inr', points: [[-5, 1.0], [0, 1.0], [2, 1.1], [4, 1.1], [6, 1.1], [8, 1.1], [10, 1.2], [11, 1.3], [12, 1.3]] },
    { lab: 'triglycerides', points: [[-5, 160]] },
  ],
  temperatures: [[0, 36.8], [1, 37.2], [2, 38.9], [3, 39.4], [4, 38.6], [5, 38.1], [6, 37.6], [7, 37.2], [8, 37.0], [9, 37.4], [10, 37.9], [11, 38.4], [12, 38.7]],
  meds: [
    { drug: 'tocilizumab', days: [3, 4], doseMg: 680, route: 'iv' },
    { drug: 'dexamethasone', days: [4, 5, 6], doseMg: 10, route: 'iv' },
  ],
  patientView: {
    indicators: ['warning'],
    iecHs: true,
    workup: ['triglycerides'],
    noWorkup: ['ferritin', 'fibrinogen', 'ast', 'ldh'],
  },
  orderSelect: [
    {
      name: 'ferritin selected (fibrinogen also drafted): suggest the rest of the panel',
      drafts: [DRAFT.ferritin, DRAFT.fibrinogen],
      select: ['ferritin'],
      expect: {
        indicators: ['info'],
        iecHs: false,
        workup: ['triglycerides'],
        noWorkup: ['ferritin', 'fibrinogen', 'ast', 'ldh', 'bilirubin'],
        il6Warning: false,
      },
    },
    {
      name: 'tocilizumab selected, draftOrders without Bundle.type: IL-6 blockade does not treat IEC-HS',
      drafts: [DRAFT.tocilizumab],
      select: ['tocilizumab'],
      omitBundleType: true,
      expect: IL6_WARNING,
    },
    {
      name: 'dexamethasone selected (anakinra also drafted): no card',
      drafts: [DRAFT.dexamethasone, DRAFT.anakinra],
      select: ['dexamethasone'],
      expect: NO_CARDS,
    },
  ],
};

/**
 * Day 14 after liso-cel. CRS grade 2 (days 4-8, one tocilizumab dose): ferritin peaked at 1,650 on
 * day 5 and has fallen below 2 x ULN (614) and 2 x baseline (620) since day 8; no supporting
 * feature. Fibrinogen was last drawn on day 6: due.
 */
export const crsResolved: ScenarioSpec = {
  id: 'iechs-crs-resolved',
  description:
    'DLBCL, day 14 after liso-cel: CRS grade 2 (days 4-8) resolved; ferritin peaked at 1,650 ng/mL on day 5 and fell back to 400; no IEC-HS. Fibrinogen last drawn day 6 (workup due).',
  dayNow: 14,
  patient: { given: 'Maria', family: 'Lindqvist', gender: 'female', birthDate: '1971-08-02' },
  infusions: [infusion('lisocel', ['procedure'])],
  diagnoses: [problem('dlbcl', DIAGNOSES.dlbcl, 'Diffuse large B-cell lymphoma, refractory'), crs(2, 4, 8)],
  labs: [
    { lab: 'ferritin', points: [[-5, 290], [0, 310], [2, 340], [3, 520], [4, 980], [5, 1650], [6, 1420], [7, 980], [8, 560], [10, 470], [12, 430], [14, 400]] },
    { lab: 'fibrinogen', points: [[-5, 310], [0, 320], [4, 450], [5, 520], [6, 480]] },
    { lab: 'ast', points: [[-5, 22], [0, 24], [4, 30], [5, 36], [6, 34], [8, 28], [10, 25], [12, 24], [14, 23]] },
    { lab: 'alt', points: [[-5, 19], [0, 20], [5, 31], [8, 26], [12, 22], [14, 21]] },
    { lab: 'bilirubin', points: [[0, 0.5], [5, 0.7], [8, 0.6], [14, 0.5]] },
    { lab: 'ldh', points: [[-5, 210], [0, 220], [5, 290], [8, 240], [12, 215], [14, 205]] },
    { lab: 'creatinine', points: [[0, 0.7], [5, 0.9], [8, 0.8], [14, 0.7]] },
    { lab: 'platelets', points: [[-5, 210], [0, 175], [2, 160], [4, 130], [5, 121], [6, 118], [8, 125], [10, 141], [12, 150], [14, 162]] },
    { lab: 'anc', points: [[-5, 4.1], [0, 2.0], [2, 0.9], [4, 0.5], [5, 0.4], [6, 0.5], [8, 0.8], [10, 1.2], [12, 1.5], [14, 1.9]] },
    { lab: 'wbc', points: [[-5, 6.2], [0, 3.1], [4, 1.1], [6, 1.2], [8, 1.8], [10, 2.4], [12, 2.9], [14, 3.4]] },
    { lab: 'hemoglobin', points: [[-5, 12.6], [0, 12.2], [6, 10.9], [10, 10.6], [14, 10.9]] },
    { lab: 'crp', points: [[0, 4], [3, 18], [4, 64], [5, 121], [6, 88], [7, 42], [8, 19], [10, 8], [12, 5], [14, 3]] },
    { lab: 'inr', points: [[0, 1.0], [5, 1.1], [8, 1.0], [14, 1.0]] },
  ],
  temperatures: [[3, 37.3], [4, 38.3], [5, 38.9], [6, 38.4], [7, 37.8], [8, 37.1], [9, 36.9], [10, 36.8], [11, 36.9], [12, 36.7], [13, 36.8], [14, 36.7]],
  meds: [{ drug: 'tocilizumab', days: [5], doseMg: 560, route: 'iv' }],
  patientView: { indicators: ['info'], iecHs: false, workup: ['fibrinogen'], noWorkup: ['ferritin', 'ast'] },
  orderSelect: [
    {
      name: 'ferritin selected: suggest fibrinogen and triglycerides, not the labs resulted today',
      drafts: [DRAFT.ferritin],
      select: ['ferritin'],
      expect: {
        indicators: ['info'],
        iecHs: false,
        workup: ['fibrinogen', 'triglycerides'],
        noWorkup: ['ferritin', 'ast', 'ldh'],
        il6Warning: false,
      },
    },
    {
      name: 'tocilizumab selected after CRS resolved without an IEC-HS picture: no card',
      drafts: [DRAFT.tocilizumab],
      select: ['tocilizumab'],
      expect: NO_CARDS,
    },
  ],
};

/**
 * Day 9 after tisa-cel, CRS grade 1 (days 3-6) resolved without tocilizumab. Ferritin and
 * fibrinogen were last drawn on day 4 (ferritin 640 ng/mL, below 2 x ULN 400 and 2 x baseline 480);
 * the daily CBC and chemistry are current.
 */
export const ferritinDue: ScenarioSpec = {
  id: 'iechs-ferritin-due',
  description:
    'DLBCL, day 9 after tisa-cel, CRS grade 1 (days 3-6) resolved: no ferritin or fibrinogen since day 4; watched patient with IEC-HS workup due (info card suggesting ferritin and fibrinogen).',
  dayNow: 9,
  patient: { given: 'Samuel', family: 'Achterberg', gender: 'male', birthDate: '1959-11-23' },
  infusions: [infusion('tisacel')],
  diagnoses: [problem('dlbcl', DIAGNOSES.dlbcl, 'Diffuse large B-cell lymphoma, relapsed'), crs(1, 3, 6)],
  labs: [
    { lab: 'ferritin', range: { low: 30, high: 400 }, points: [[-5, 450], [0, 480], [2, 560], [4, 640]] },
    { lab: 'fibrinogen', points: [[-5, 330], [0, 340], [4, 380]] },
    { lab: 'ast', points: [[-5, 25], [0, 26], [2, 28], [4, 30], [6, 29], [8, 27], [9, 28]] },
    { lab: 'alt', points: [[-5, 20], [0, 22], [4, 26], [9, 24]] },
    { lab: 'bilirubin', points: [[0, 0.7], [4, 0.8], [9, 0.7]] },
    { lab: 'ldh', points: [[-5, 225], [0, 230], [4, 245], [9, 230]] },
    { lab: 'creatinine', points: [[0, 1.0], [4, 1.1], [9, 1.0]] },
    { lab: 'platelets', points: [[-5, 190], [0, 160], [2, 140], [4, 128], [6, 122], [8, 125], [9, 127]] },
    { lab: 'anc', points: [[-5, 3.6], [0, 1.8], [2, 0.9], [4, 0.6], [6, 0.7], [8, 0.9], [9, 1.0]] },
    { lab: 'wbc', points: [[-5, 5.5], [0, 2.9], [4, 1.3], [6, 1.4], [8, 1.7], [9, 1.8]] },
    { lab: 'hemoglobin', points: [[-5, 13.2], [0, 12.8], [4, 11.9], [9, 11.6]] },
    { lab: 'crp', points: [[0, 6], [3, 42], [4, 58], [5, 36], [6, 20], [8, 9], [9, 7]] },
    { lab: 'inr', points: [[0, 1.0], [4, 1.0], [9, 1.0]] },
  ],
  temperatures: [[3, 38.2], [4, 38.4], [5, 37.9], [6, 37.3], [7, 36.9], [8, 36.8], [9, 36.9]],
  patientView: { indicators: ['info'], iecHs: false, workup: ['ferritin', 'fibrinogen'], noWorkup: ['ast', 'ldh'] },
  orderSelect: [
    {
      name: 'ferritin selected from the info card: suggest fibrinogen and triglycerides',
      drafts: [DRAFT.ferritin],
      select: ['ferritin'],
      expect: {
        indicators: ['info'],
        iecHs: false,
        workup: ['fibrinogen', 'triglycerides'],
        noWorkup: ['ferritin', 'ast', 'ldh'],
        il6Warning: false,
      },
    },
  ],
};

/** No immune effector cell therapy: transfusion-dependent MDS with iron overload, ferritin ~9,400. */
export const nonCarT: ScenarioSpec = {
  id: 'iechs-non-cart',
  description:
    'Transfusion-dependent MDS with iron overload: ferritin 9,400 ng/mL and cytopenias, but no CAR-T or other immune effector cell therapy: no IEC-HS card at all.',
  dayNow: 0,
  patient: { given: 'Edith', family: 'Marchetti', gender: 'female', birthDate: '1955-02-14' },
  infusions: [],
  diagnoses: [
    problem('mds', DIAGNOSES.mds, 'Myelodysplastic syndrome', -900),
    problem('iron-overload', DIAGNOSES.transfusionIronOverload, 'Transfusional iron overload', -200),
  ],
  labs: [
    { lab: 'ferritin', points: [[-56, 7900], [-28, 8600], [-14, 9100], [0, 9400, { hour: 11 }]] },
    { lab: 'fibrinogen', points: [[0, 310, { hour: 11 }]] },
    { lab: 'ast', points: [[-28, 38], [0, 44, { hour: 11 }]] },
    { lab: 'alt', points: [[-28, 41], [0, 47, { hour: 11 }]] },
    { lab: 'ldh', points: [[-28, 240], [0, 260, { hour: 11 }]] },
    { lab: 'platelets', points: [[-28, 62], [-14, 58], [0, 55, { hour: 11 }]] },
    { lab: 'anc', points: [[-28, 1.1], [-14, 1.0], [0, 0.9, { hour: 11 }]] },
    { lab: 'hemoglobin', points: [[-28, 8.1], [-14, 7.9], [0, 8.4, { hour: 11 }]] },
  ],
  patientView: { indicators: [], iecHs: false },
  orderSelect: [
    {
      name: 'ferritin selected for a patient without immune effector cell therapy: no card',
      drafts: [DRAFT.ferritin],
      select: ['ferritin'],
      expect: NO_CARDS,
    },
  ],
};
