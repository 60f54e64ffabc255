/**
 * Scenarios about WHEN: worsening after initial improvement, the early CARTOX carHLH course, no CRS,
 * the pediatric tisa-cel course (McNerney 2023), late onset after a BCMA product, two infusions,
 * active CRS, and a patient beyond the watch window.
 */
import { DIAGNOSES } from '../codes.js';
import type { ScenarioSpec } from '../model.js';
import { DRAFT, IL6_WARNING, NO_CARDS, crs, infusion, problem } from './common.js';

/**
 * Day 10 after brexu-cel. CRS grade 2 (days 1-5) improves on tocilizumab + dexamethasone: fever
 * gone, ferritin falls 43% from its day-3 peak (4,200 -> 2,400). From day 8 fever returns and
 * ferritin rebounds to 15,600 with fibrinogen 132, LDH 1,240, triglycerides 320 and falling
 * platelets; AST 4x ULN (grade 2), so warning, not critical.
 */
export const worsening: ScenarioSpec = {
  id: 'iechs-worsening',
  description:
    'Mantle cell lymphoma, day 10 after brexu-cel: CRS grade 2 (days 1-5) improved on tocilizumab/dexamethasone, then new fever and ferritin rebounding 2,400 -> 15,600 ng/mL with fibrinogen 132 mg/dL: IEC-HS (worsening after initial improvement).',
  dayNow: 10,
  patient: { given: 'Daniel', family: 'Ferreira', gender: 'male', birthDate: '1978-06-09' },
  infusions: [infusion('brexucel', ['administration'])],
  diagnoses: [problem('mcl', DIAGNOSES.mantleCell, 'Mantle cell lymphoma, relapsed'), crs(2, 1, 5)],
  labs: [
    { lab: 'ferritin', points: [[-5, 560], [0, 600], [1, 1350], [2, 2900], [3, 4200], [4, 3700], [5, 3100], [6, 2700], [7, 2400], [8, 3900], [9, 8200], [10, 15600]] },
    { lab: 'fibrinogen', points: [[-5, 350], [0, 360], [1, 410], [2, 470], [3, 450], [4, 420], [5, 400], [6, 390], [7, 380], [8, 260], [9, 175], [10, 132]] },
    { lab: 'ast', points: [[-5, 26], [0, 28], [2, 36], [3, 40], [4, 38], [5, 33], [6, 31], [7, 30], [8, 58], [9, 104], [10, 160]] },
    { lab: 'alt', points: [[-5, 24], [0, 25], [3, 38], [5, 34], [7, 30], [8, 49], [9, 82], [10, 120]] },
    { lab: 'bilirubin', points: [[-5, 0.6], [0, 0.6], [3, 0.8], [5, 0.7], [7, 0.7], [8, 0.9], [9, 1.2], [10, 1.4]] },
    { lab: 'ldh', points: [[-5, 280], [0, 300], [2, 410], [3, 480], [5, 360], [7, 330], [8, 520], [9, 840], [10, 1240]] },
    { lab: 'creatinine', points: [[-5, 0.9], [0, 0.9], [3, 1.1], [5, 1.0], [7, 0.9], [9, 1.0], [10, 1.0]] },
    { lab: 'platelets', points: [[-5, 175], [0, 150], [1, 138], [2, 120], [3, 104], [4, 98], [5, 95], [6, 96], [7, 98], [8, 88], [9, 71], [10, 54]] },
    { lab: 'anc', points: [[-5, 3.8], [0, 1.6], [1, 1.0], [2, 0.6], [3, 0.4], [4, 0.4], [5, 0.6], [6, 0.9], [7, 1.3], [8, 1.2], [9, 0.9], [10, 0.7]] },
    { lab: 'wbc', points: [[-5, 5.8], [0, 2.8], [2, 1.2], [4, 0.9], [6, 1.6], [7, 2.1], [8, 2.0], [9, 1.6], [10, 1.3]] },
    { lab: 'hemoglobin', points: [[-5, 13.1], [0, 12.6], [3, 11.8], [5, 11.2], [7, 10.9], [9, 10.1], [10, 9.6]] },
    { lab: 'crp', points: [[0, 7], [1, 48], [2, 140], [3, 165], [4, 92], [5, 46], [6, 24], [7, 15], [8, 38], [9, 72], [10, 96]] },
    { lab: 'inr', points: [[0, 1.0], [3, 1.1], [5, 1.1], [7, 1.0], [9, 1.2], [10, 1.3]] },
    { lab: 'triglycerides', points: [[-5, 140], [10, 320]] },
  ],
  temperatures: [[0, 36.9], [1, 38.8], [2, 39.3], [3, 38.7], [4, 37.9], [5, 37.2], [6, 36.9], [7, 36.8], [8, 38.5], [9, 38.9], [10, 39.1]],
  meds: [
    { drug: 'tocilizumab', days: [2, 3], doseMg: 720, route: 'iv' },
    { drug: 'dexamethasone', days: [3, 4], doseMg: 10, route: 'iv' },
  ],
  patientView: { indicators: ['warning'], iecHs: true, noWorkup: ['ferritin', 'fibrinogen', 'triglycerides'] },
  orderSelect: [
    {
      name: 'tocilizumab re-dose selected for suspected CRS recurrence: IL-6 blockade does not treat IEC-HS',
      drafts: [DRAFT.tocilizumab],
      select: ['tocilizumab'],
      expect: IL6_WARNING,
    },
    { name: 'anakinra selected: no card', drafts: [DRAFT.anakinra], select: ['anakinra'], expect: NO_CARDS },
  ],
};

/**
 * Day 6 after axi-cel. CRS grade 3 (days 1-5, vasopressor) with ferritin already 16,800 on day 3
 * and 44,000 on day 5 (CARTOX: > 10,000 in the first 5 days), then AST 9x ULN and creatinine 3.6x
 * baseline (both CTCAE grade 3: CARTOX carHLH met) as CRS resolves: IEC-HS, critical.
 */
export const carHlhEarly: ScenarioSpec = {
  id: 'iechs-carhlh-early',
  description:
    'DLBCL, day 6 after axi-cel: CRS grade 3 (days 1-5) with ferritin > 10,000 ng/mL from day 3 (52,000 now), AST 9x ULN and creatinine 3.6x baseline (grade 3 liver + kidney): CARTOX carHLH met and IEC-HS as CRS resolves (critical).',
  dayNow: 6,
  patient: { given: 'Ingrid', family: 'Halvorsen', gender: 'female', birthDate: '1968-01-30' },
  infusions: [infusion('axicel')],
  diagnoses: [problem('dlbcl', DIAGNOSES.dlbcl, 'Diffuse large B-cell lymphoma, refractory'), crs(3, 1, 5)],
  labs: [
    { lab: 'ferritin', points: [[-5, 820], [0, 900], [1, 3400], [2, 8900], [3, 16800], [4, 31500], [5, 44000], [6, 52000]] },
    { lab: 'fibrinogen', points: [[-5, 350], [0, 360], [1, 380], [2, 330], [3, 250], [4, 180], [5, 140], [6, 112]] },
    { lab: 'ast', points: [[-5, 28], [0, 30], [1, 42], [2, 70], [3, 140], [4, 230], [5, 310], [6, 365]] },
    { lab: 'alt', points: [[-5, 25], [0, 27], [2, 58], [3, 110], [4, 180], [5, 240], [6, 290]] },
    { lab: 'bilirubin', points: [[-5, 0.5], [0, 0.5], [2, 0.8], [3, 1.2], [4, 1.7], [5, 2.2], [6, 2.6]] },
    { lab: 'creatinine', points: [[-5, 0.8], [0, 0.8], [1, 0.9], [2, 1.1], [3, 1.4], [4, 2.2], [5, 2.7], [6, 2.9]] },
    { lab: 'ldh', points: [[-5, 280], [0, 300], [1, 420], [2, 690], [3, 980], [4, 1250], [5, 1480], [6, 1650]] },
    { lab: 'platelets', points: [[-5, 160], [0, 148], [1, 130], [2, 104], [3, 82], [4, 64], [5, 51], [6, 38]] },
    { lab: 'anc', points: [[-5, 2.9], [0, 1.5], [1, 0.9], [2, 0.5], [3, 0.3], [4, 0.2], [5, 0.2], [6, 0.1]] },
    { lab: 'wbc', points: [[-5, 4.6], [0, 2.5], [2, 1.0], [4, 0.6], [6, 0.4]] },
    { lab: 'hemoglobin', points: [[-5, 11.9], [0, 11.4], [2, 10.5], [4, 9.3], [6, 8.2]] },
    { lab: 'crp', points: [[0, 12], [1, 88], [2, 210], [3, 260], [4, 190], [5, 120], [6, 96]] },
    { lab: 'inr', points: [[-5, 1.0], [0, 1.0], [2, 1.2], [3, 1.3], [4, 1.4], [5, 1.5], [6, 1.6]] },
    { lab: 'triglycerides', points: [[-5, 170], [4, 310], [6, 365]] },
  ],
  temperatures: [[0, 37.0], [1, 39.6], [2, 40.1], [3, 39.2], [4, 38.4], [5, 37.6], [6, 37.9]],
  meds: [
    { drug: 'tocilizumab', days: [1, 2], doseMg: 560, route: 'iv', hour: 20 },
    { drug: 'dexamethasone', days: [2, 3, 4], doseMg: 10, route: 'iv' },
  ],
  patientView: { indicators: ['critical'], iecHs: true, noWorkup: ['ferritin', 'fibrinogen', 'ast'] },
  orderSelect: [
    {
      name: 'anakinra and dexamethasone selected: no card',
      drafts: [DRAFT.anakinra, DRAFT.dexamethasone],
      select: ['anakinra', 'dexamethasone'],
      expect: NO_CARDS,
    },
  ],
};

/** Day 8 after liso-cel, no CRS, ferritin below 2 x ULN; fibrinogen last drawn day 3 (due). */
export const noCrs: ScenarioSpec = {
  id: 'iechs-no-crs',
  description:
    'Follicular lymphoma, day 8 after liso-cel: no CRS, no fever, ferritin 240 ng/mL, normal liver tests: no IEC-HS; fibrinogen last drawn day 3 (workup due).',
  dayNow: 8,
  patient: { given: 'Grace', family: 'Okonkwo', gender: 'female', birthDate: '1982-04-17' },
  infusions: [infusion('lisocel', ['procedure'])],
  diagnoses: [problem('fl', DIAGNOSES.follicular, 'Follicular lymphoma grade 3B, relapsed')],
  labs: [
    { lab: 'ferritin', points: [[-5, 140], [0, 150], [1, 165], [3, 210], [5, 260], [8, 240]] },
    { lab: 'fibrinogen', points: [[-5, 290], [0, 300], [3, 320]] },
    { lab: 'ast', points: [[-5, 21], [0, 22], [1, 23], [3, 25], [5, 24], [8, 22]] },
    { lab: 'alt', points: [[-5, 18], [0, 19], [3, 22], [5, 21], [8, 19]] },
    { lab: 'bilirubin', points: [[0, 0.4], [3, 0.5], [8, 0.4]] },
    { lab: 'ldh', points: [[-5, 180], [0, 185], [3, 195], [5, 200], [8, 190]] },
    { lab: 'creatinine', points: [[0, 0.7], [3, 0.7], [8, 0.7]] },
    { lab: 'platelets', points: [[-5, 230], [0, 205], [1, 190], [3, 170], [5, 158], [8, 165]] },
    { lab: 'anc', points: [[-5, 3.9], [0, 2.2], [1, 1.5], [3, 0.9], [5, 0.8], [8, 1.2]] },
    { lab: 'wbc', points: [[-5, 5.9], [0, 3.4], [3, 1.6], [5, 1.5], [8, 2.2]] },
    { lab: 'hemoglobin', points: [[-5, 12.9], [0, 12.5], [3, 12.1], [5, 11.8], [8, 11.9]] },
    { lab: 'crp', points: [[0, 3], [1, 4], [3, 6], [5, 5], [8, 3]] },
    { lab: 'inr', points: [[0, 1.0], [3, 1.0], [8, 1.0]] },
  ],
  temperatures: [[0, 36.7], [1, 36.9], [2, 37.1], [3, 37.0], [4, 36.8], [5, 36.9], [6, 36.7], [7, 36.8], [8, 36.8]],
  patientView: { indicators: ['info'], iecHs: false, workup: ['fibrinogen'], noWorkup: ['ferritin', 'ast'] },
  orderSelect: [
    {
      name: 'fibrinogen selected: suggest triglycerides, not the labs resulted today',
      drafts: [DRAFT.fibrinogen],
      select: ['fibrinogen'],
      expect: {
        indicators: ['info'],
        iecHs: false,
        workup: ['triglycerides'],
        noWorkup: ['fibrinogen', 'ferritin', 'ast', 'ldh'],
        il6Warning: false,
      },
    },
  ],
};

/**
 * A 9-year-old after tisa-cel for relapsed B-ALL, following the McNerney 2023 HLH-LT course: high
 * pre-infusion ferritin (disease burden), CRS grade 3 from day 2 (median onset 2.5), HLH-like
 * toxicity evident from day 11-12 (median onset day 12) with ferritin 92,400 ng/mL on day 13 (the
 * published median peak is 92,204). Pediatric ranges; AST 6.6x and ALT 5.8x ULN (grade 3),
 * fibrinogen 96 mg/dL: PRWCC HLH-LT met, critical. Triglycerides last drawn day 9.
 */
export const pedsAll: ScenarioSpec = {
  id: 'iechs-peds-all',
  description:
    '9-year-old with relapsed B-ALL, day 13 after tisagenlecleucel: CRS grade 3 (days 2-10), then ferritin 92,400 ng/mL (McNerney 2023 HLH-LT course), fibrinogen 96 mg/dL, AST 6.6x ULN, pancytopenia: IEC-HS and PRWCC HLH-LT (critical).',
  dayNow: 13,
  patient: { given: 'Leo', family: 'Marsh', gender: 'male', birthDate: '2017-01-12' },
  rangeProfile: 'pediatric',
  infusions: [infusion('tisacel', ['administration'])],
  diagnoses: [problem('ball', DIAGNOSES.ballRelapse, 'B-cell acute lymphoblastic leukemia, second relapse', -700), crs(3, 2, 10)],
  labs: [
    { lab: 'ferritin', points: [[-5, 1400], [0, 1650], [1, 2200], [2, 3900], [3, 7800], [4, 12500], [5, 15800], [6, 14200], [7, 12900], [8, 12100], [9, 13600], [10, 19800], [11, 34500], [12, 61000], [13, 92400]] },
    { lab: 'fibrinogen', points: [[-5, 280], [0, 290], [2, 340], [3, 380], [4, 360], [5, 320], [6, 300], [7, 280], [8, 260], [9, 230], [10, 190], [11, 150], [12, 120], [13, 96]] },
    { lab: 'ast', points: [[-5, 35], [0, 38], [2, 52], [3, 70], [4, 95], [5, 110], [6, 96], [7, 88], [8, 84], [9, 98], [10, 130], [11, 180], [12, 250], [13, 330]] },
    { lab: 'alt', points: [[-5, 30], [0, 32], [3, 60], [5, 90], [7, 76], [9, 82], [10, 110], [11, 150], [12, 210], [13, 260]] },
    { lab: 'bilirubin', points: [[-5, 0.4], [0, 0.4], [3, 0.6], [5, 0.8], [7, 0.7], [9, 0.9], [11, 1.4], [12, 1.8], [13, 2.1]] },
    { lab: 'ldh', points: [[-5, 620], [0, 680], [2, 900], [3, 1200], [5, 1500], [7, 1300], [9, 1400], [10, 1650], [11, 1900], [12, 2150], [13, 2400]] },
    { lab: 'creatinine', points: [[-5, 0.4], [0, 0.4], [3, 0.5], [5, 0.5], [7, 0.4], [9, 0.4], [11, 0.5], [13, 0.5]] },
    { lab: 'platelets', points: [[-5, 88], [0, 74], [1, 66], [2, 58], [3, 51], [4, 45], [5, 40], [6, 38], [7, 41], [8, 44], [9, 40], [10, 34], [11, 29], [12, 25], [13, 22]] },
    { lab: 'anc', points: [[-5, 0.9], [0, 0.5], [2, 0.2], [4, 0.1], [6, 0.1], [8, 0.2], [10, 0.3], [12, 0.2], [13, 0.2]] },
    { lab: 'wbc', points: [[-5, 3.1], [0, 1.9], [2, 0.8], [4, 0.5], [6, 0.5], [8, 0.7], [10, 0.9], [12, 0.7], [13, 0.6]] },
    { lab: 'hemoglobin', points: [[-5, 9.8], [0, 9.4], [3, 8.9], [5, 8.3], [7, 8.8], [9, 8.4], [11, 7.9], [13, 7.6]] },
    { lab: 'crp', points: [[0, 15], [2, 60], [3, 140], [4, 210], [5, 180], [6, 120], [7, 90], [8, 64], [9, 70], [10, 88], [11, 104], [12, 118], [13, 126]] },
    { lab: 'inr', points: [[0, 1.0], [3, 1.2], [5, 1.3], [7, 1.2], [9, 1.2], [11, 1.4], [12, 1.5], [13, 1.6]] },
    { lab: 'triglycerides', points: [[-5, 160], [9, 340]] },
  ],
  temperatures: [[1, 37.4], [2, 38.9], [3, 39.8], [4, 40.0], [5, 39.2], [6, 38.6], [7, 38.2], [8, 37.6], [9, 37.3], [10, 37.4], [11, 38.5], [12, 39.0], [13, 39.3]],
  meds: [
    { drug: 'tocilizumab', days: [3, 4], doseMg: 336, route: 'iv' },
    { drug: 'dexamethasone', days: [5, 6], doseMg: 5, route: 'iv' },
  ],
  // C91.02 "in relapse" predates the infusion: it is the indication, not disease progression.
  patientView: { indicators: ['critical'], iecHs: true, noWorkup: ['ferritin', 'fibrinogen', 'ast'], summaryExcludes: ['on record'] },
  orderSelect: [
    {
      name: 'ferritin selected (fibrinogen also drafted): suggest triglycerides (last drawn day 9)',
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
    {
      name: 'anakinra selected: no card',
      drafts: [{ ...DRAFT.anakinra, dosage: 'Anakinra 2 mg/kg (56 mg) IV every 6 hours' }],
      select: ['anakinra'],
      expect: NO_CARDS,
    },
  ],
};

/**
 * Relapsed myeloma, day 34 after cilta-cel. CRS grade 1 (days 7-10, median onset day 7 for cilta-cel)
 * resolved; outpatient labs normalise (ferritin 640 on day 24), then from day 31 fever and ferritin
 * 2,850 -> 11,900, fibrinogen 136, LDH 1,180: late IEC-HS (myeloma onsets reach day 37, V4). Both
 * timing arms hold: CRS resolved, and worsening after improvement. A CRS-window rule misses it.
 */
export const myelomaLate: ScenarioSpec = {
  id: 'iechs-myeloma-late',
  description:
    'Relapsed myeloma, day 34 after cilta-cel: CRS grade 1 (days 7-10) long resolved, labs back to near baseline, then fever and ferritin (reference-lab LOINC 20567-4, ug/L) 720 -> 11,900 in 6 days, fibrinogen 136 mg/dL: late-onset IEC-HS (warning).',
  dayNow: 34,
  patient: { given: 'Richard', family: 'Nakamura', gender: 'male', birthDate: '1962-02-19' },
  infusions: [infusion('ciltacel')],
  diagnoses: [problem('mm', DIAGNOSES.myelomaRelapse, 'Multiple myeloma, relapsed after 4 prior lines', -1500), crs(1, 7, 10)],
  labs: [
    // Outpatient send-out to a reference lab: LOINC 20567-4 in ug/L (= ng/mL), docs/terminology.md#lab-codes.
    { lab: 'ferritinImmunoassay', points: [[-5, 560], [0, 610], [2, 640], [4, 680], [6, 760], [7, 1150], [8, 2300], [9, 2900], [10, 2500], [12, 1600], [14, 1100], [17, 820], [21, 690], [24, 640], [28, 720], [31, 2850], [33, 6900], [34, 11900]] },
    { lab: 'fibrinogen', points: [[-5, 320], [0, 310], [7, 420], [8, 470], [10, 430], [14, 360], [21, 330], [28, 300], [31, 220], [33, 170], [34, 136]] },
    { lab: 'ast', points: [[-5, 24], [0, 25], [8, 36], [10, 32], [14, 27], [21, 25], [28, 28], [31, 52], [33, 88], [34, 118]] },
    { lab: 'alt', points: [[-5, 22], [0, 23], [8, 34], [14, 26], [21, 24], [28, 27], [31, 44], [33, 70], [34, 95]] },
    { lab: 'bilirubin', points: [[0, 0.6], [8, 0.8], [14, 0.7], [21, 0.6], [28, 0.7], [31, 0.9], [33, 1.3], [34, 1.6]] },
    { lab: 'ldh', points: [[-5, 180], [0, 190], [8, 260], [14, 210], [21, 200], [28, 215], [31, 480], [33, 820], [34, 1180]] },
    { lab: 'creatinine', points: [[-5, 1.0], [0, 1.0], [8, 1.1], [14, 1.0], [21, 1.0], [28, 1.1], [31, 1.1], [33, 1.2], [34, 1.2]] },
    { lab: 'platelets', points: [[-5, 165], [0, 140], [4, 118], [8, 96], [10, 90], [14, 92], [17, 101], [21, 110], [24, 114], [28, 118], [31, 96], [33, 74], [34, 61]] },
    { lab: 'anc', points: [[-5, 2.6], [0, 1.4], [4, 0.5], [8, 0.4], [10, 0.6], [14, 0.9], [17, 1.2], [21, 1.5], [24, 1.6], [28, 1.7], [31, 1.4], [33, 1.2], [34, 1.1]] },
    { lab: 'wbc', points: [[-5, 4.2], [0, 2.3], [8, 0.9], [14, 1.8], [21, 2.9], [28, 3.2], [31, 2.6], [34, 2.0]] },
    { lab: 'hemoglobin', points: [[-5, 11.2], [0, 10.9], [8, 10.1], [14, 9.8], [21, 10.3], [28, 10.6], [31, 10.1], [34, 9.4]] },
    { lab: 'crp', points: [[0, 4], [7, 26], [8, 48], [9, 36], [10, 18], [14, 6], [21, 4], [28, 5], [31, 28], [33, 54], [34, 71]] },
    { lab: 'inr', points: [[0, 1.0], [8, 1.1], [14, 1.0], [21, 1.0], [28, 1.0], [31, 1.1], [33, 1.2], [34, 1.3]] },
    { lab: 'triglycerides', points: [[-5, 150], [34, 296]] },
  ],
  temperatures: [[6, 37.2], [7, 38.3], [8, 38.6], [9, 37.9], [10, 37.1], [14, 36.8], [17, 36.9], [21, 36.7], [24, 36.8], [28, 36.9], [31, 37.4], [32, 37.9], [33, 38.6], [34, 38.9]],
  meds: [{ drug: 'tocilizumab', days: [8], doseMg: 640, route: 'iv' }],
  // C90.02 "in relapse" predates the infusion: it is the indication, not disease progression.
  patientView: { indicators: ['warning'], iecHs: true, noWorkup: ['ferritin', 'fibrinogen', 'triglycerides'], summaryExcludes: ['on record'] },
  orderSelect: [
    { name: 'dexamethasone selected: no card', drafts: [DRAFT.dexamethasone], select: ['dexamethasone'], expect: NO_CARDS },
    {
      name: 'tocilizumab selected weeks after CRS resolved: IL-6 blockade does not treat IEC-HS',
      drafts: [DRAFT.tocilizumab],
      select: ['tocilizumab'],
      expect: IL6_WARNING,
    },
  ],
};

/**
 * CD19-negative relapse 150 days after tisa-cel, re-treated with an investigational CD22 CAR-T
 * 10 days ago (day 0 = the most recent infusion; CD22 CAR-T carHLH: Lichtenstein 2021). Counted from
 * the first infusion the patient would be outside the 100-day window; from the second it is IEC-HS.
 */
export const twoInfusions: ScenarioSpec = {
  id: 'iechs-two-infusions',
  description:
    'Relapsed B-ALL: tisa-cel 150 days ago, CD22 CAR-T (investigational) 10 days ago; after CRS grade 2 (days 1-6) ferritin 26,000 ng/mL, fibrinogen 128 mg/dL: IEC-HS counted from the most recent infusion (warning).',
  dayNow: 10,
  patient: { given: 'Chloe', family: 'Vasquez', gender: 'female', birthDate: '1990-08-14' },
  infusions: [infusion('tisacel', ['administration'], -140), infusion('cd22Investigational', ['procedure'], 0)],
  diagnoses: [
    problem('ball', DIAGNOSES.ballRelapse, 'B-cell acute lymphoblastic leukemia, CD19-negative relapse', -700),
    crs(2, -138, -131, 'crs-first'),
    crs(2, 1, 6),
  ],
  labs: [
    { lab: 'ferritin', points: [[-145, 900], [-140, 950, { hour: 6 }], [-136, 4200], [-132, 1800], [-120, 700], [-5, 1300], [0, 1450], [1, 2400], [2, 4100], [3, 5200], [4, 4800], [5, 4200], [6, 3900], [7, 4400], [8, 7900], [9, 14600], [10, 26000]] },
    { lab: 'fibrinogen', points: [[-5, 300], [0, 310], [2, 380], [4, 360], [6, 300], [7, 270], [8, 210], [9, 165], [10, 128]] },
    { lab: 'ast', points: [[-5, 28], [0, 30], [2, 40], [4, 38], [6, 33], [8, 60], [9, 90], [10, 120]] },
    { lab: 'alt', points: [[-5, 24], [0, 25], [4, 33], [6, 30], [8, 50], [10, 96]] },
    { lab: 'bilirubin', points: [[0, 0.5], [4, 0.7], [8, 0.8], [10, 1.1]] },
    { lab: 'ldh', points: [[-5, 380], [0, 400], [3, 620], [6, 520], [8, 780], [9, 1020], [10, 1300]] },
    { lab: 'creatinine', points: [[0, 0.7], [4, 0.8], [8, 0.8], [10, 0.8]] },
    { lab: 'platelets', points: [[-140, 160, { hour: 6 }], [-132, 90], [-120, 140], [-5, 120], [0, 104], [2, 86], [4, 74], [6, 70], [8, 68], [9, 60], [10, 52]] },
    { lab: 'anc', points: [[-5, 1.6], [0, 0.9], [2, 0.4], [4, 0.3], [6, 0.5], [8, 0.7], [9, 0.5], [10, 0.4]] },
    { lab: 'wbc', points: [[-5, 2.8], [0, 1.6], [4, 0.7], [8, 1.2], [10, 0.9]] },
    { lab: 'hemoglobin', points: [[-5, 10.4], [0, 10.1], [4, 9.4], [8, 9.0], [10, 8.6]] },
    { lab: 'crp', points: [[0, 9], [1, 40], [2, 110], [3, 150], [4, 96], [5, 52], [6, 30], [7, 26], [8, 44], [9, 70], [10, 88]] },
    { lab: 'inr', points: [[0, 1.0], [3, 1.1], [6, 1.1], [8, 1.2], [10, 1.3]] },
    { lab: 'triglycerides', points: [[-5, 170], [10, 290]] },
  ],
  temperatures: [[1, 38.6], [2, 39.2], [3, 38.8], [4, 38.1], [5, 37.6], [6, 37.1], [7, 37.0], [8, 37.6], [9, 38.5], [10, 38.9]],
  meds: [
    { drug: 'tocilizumab', days: [-137], doseMg: 480, route: 'iv' },
    { drug: 'tocilizumab', days: [2], doseMg: 480, route: 'iv' },
  ],
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
 * Day 3 after axi-cel, CRS grade 2 active since day 1 (one tocilizumab dose). Ferritin 710 ng/mL
 * (ULN 400: below 2 x ULN and 2 x baseline 520, rising < 50%/48 h); no IEC-HS. Fibrinogen only from
 * the pre-lymphodepletion coagulation panel (day -5): due.
 */
export const activeCrs: ScenarioSpec = {
  id: 'iechs-active-crs',
  description:
    'DLBCL, day 3 after axi-cel: CRS grade 2 active since day 1, ferritin 710 ng/mL (below 2x ULN and 2x baseline): no IEC-HS; a second tocilizumab dose gets no IL-6 warning. Fibrinogen not drawn since day -5 (workup due).',
  dayNow: 3,
  patient: { given: 'Tomasz', family: 'Wojcik', gender: 'male', birthDate: '1976-03-14' },
  infusions: [infusion('axicel')],
  diagnoses: [problem('dlbcl', DIAGNOSES.dlbcl, 'Diffuse large B-cell lymphoma, relapsed'), crs(2, 1)],
  labs: [
    { lab: 'ferritin', range: { low: 30, high: 400 }, points: [[-5, 500], [0, 520], [1, 560], [2, 640], [3, 710]] },
    { lab: 'fibrinogen', points: [[-5, 360]] },
    { lab: 'ast', points: [[-5, 26], [0, 27], [1, 29], [2, 31], [3, 32]] },
    { lab: 'alt', points: [[-5, 22], [0, 23], [2, 26], [3, 27]] },
    { lab: 'bilirubin', points: [[0, 0.6], [2, 0.7], [3, 0.7]] },
    { lab: 'ldh', points: [[-5, 215], [0, 220], [2, 235], [3, 238]] },
    { lab: 'creatinine', points: [[0, 0.9], [2, 1.0], [3, 1.0]] },
    { lab: 'platelets', points: [[-5, 182], [0, 150], [1, 142], [2, 136], [3, 131]] },
    { lab: 'anc', points: [[-5, 3.2], [0, 1.6], [1, 1.0], [2, 0.7], [3, 0.5]] },
    { lab: 'wbc', points: [[-5, 5.0], [0, 2.6], [2, 1.4], [3, 1.0]] },
    { lab: 'hemoglobin', points: [[-5, 13.9], [0, 13.5], [2, 13.0], [3, 12.7]] },
    { lab: 'crp', points: [[0, 6], [1, 38], [2, 112], [3, 145]] },
    { lab: 'inr', points: [[0, 1.0], [2, 1.1], [3, 1.1]] },
  ],
  temperatures: [[0, 36.9], [1, 38.6], [2, 39.3], [3, 38.9]],
  meds: [{ drug: 'tocilizumab', days: [2], doseMg: 720, route: 'iv' }],
  patientView: { indicators: ['info'], iecHs: false, workup: ['fibrinogen'], noWorkup: ['ferritin', 'ast'] },
  orderSelect: [
    {
      name: 'second tocilizumab dose selected during active CRS without IEC-HS: no card',
      drafts: [DRAFT.tocilizumab],
      select: ['tocilizumab'],
      expect: NO_CARDS,
    },
  ],
};

/** Day 150 after axi-cel: outside the 100-day watch window, whatever the labs show. */
export const day150: ScenarioSpec = {
  id: 'iechs-day150',
  description:
    'DLBCL, day 150 after axi-cel (outside the 100-day watch window): ferritin creeping up to 1,450 ng/mL and LDH 420 U/L raise the question of relapse, but the IEC-HS service stays silent.',
  dayNow: 150,
  patient: { given: 'Helen', family: 'Abernathy', gender: 'female', birthDate: '1960-03-08' },
  infusions: [infusion('axicel')],
  diagnoses: [problem('dlbcl', DIAGNOSES.dlbcl, 'Diffuse large B-cell lymphoma, relapsed', -600), crs(2, 2, 7)],
  labs: [
    { lab: 'ferritin', points: [[-5, 380], [0, 400], [4, 2600], [7, 1500], [14, 700], [30, 450], [60, 390], [90, 420], [120, 610], [150, 1450]] },
    { lab: 'fibrinogen', points: [[0, 320], [4, 480], [30, 300], [90, 290], [150, 190]] },
    { lab: 'ast', points: [[0, 22], [30, 24], [90, 25], [150, 31]] },
    { lab: 'ldh', points: [[0, 220], [30, 210], [90, 230], [120, 290], [150, 420]] },
    { lab: 'platelets', points: [[0, 160], [30, 110], [60, 128], [90, 141], [120, 132], [150, 118]] },
    { lab: 'anc', points: [[0, 2.0], [30, 1.2], [90, 1.9], [150, 1.7]] },
    { lab: 'hemoglobin', points: [[0, 12.2], [30, 10.8], [90, 11.9], [150, 11.1]] },
  ],
  temperatures: [[2, 38.7], [4, 38.2], [7, 37.0], [150, 36.9]],
  meds: [{ drug: 'tocilizumab', days: [3], doseMg: 560, route: 'iv' }],
  patientView: { indicators: [], iecHs: false },
  orderSelect: [
    { name: 'ferritin selected outside the watch window: no card', drafts: [DRAFT.ferritin], select: ['ferritin'], expect: NO_CARDS },
  ],
};
