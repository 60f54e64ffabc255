/**
 * Codes the fixtures write, taken from docs/terminology.md (section numbers below).
 * Deliberately NOT imported from src/terminology: fixtures are an independent statement of what an
 * EHR sends, so a wrong code in the engine's tables shows up as a failing scenario instead of being
 * copied into the test data.
 */
import type { Coding } from 'fhir/r4';

export const SYSTEM = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  icd10pcs: 'http://www.cms.gov/Medicare/Coding/ICD10',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cpt: 'http://www.ama-assn.org/go/cpt',
  /** UNVERIFIED URI (docs/terminology.md#systems). */
  hcpcs: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  ucum: 'http://unitsofmeasure.org',
  obsCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  /** Epic-style local component code system (fictional customer id "999"). */
  epicLab: 'urn:oid:1.2.840.114350.1.13.999.2.7.2.768282',
  /** Medical record numbers of the synthetic hospital. */
  mrn: 'https://example.org/fhir/sid/mrn',
} as const;

const loinc = (code: string, display: string): Coding => ({ system: SYSTEM.loinc, code, display });
const snomed = (code: string, display: string): Coding => ({ system: SYSTEM.snomed, code, display });
const icd10cm = (code: string, display: string): Coding => ({ system: SYSTEM.icd10cm, code, display });

/** One way a lab reports an analyte: LOINC code, UCUM unit, id fragment, rounding. docs/terminology.md#lab-codes. */
export interface LabCode {
  coding: Coding;
  /** Short name the lab prints (code.text). */
  text: string;
  /** UCUM unit code (valueQuantity.code) and its human form (valueQuantity.unit). */
  ucum: string;
  unit: string;
  /** Fragment used in resource ids, e.g. `ferritin` -> `...-obs-ferritin-d12`. */
  idName: string;
  category: 'laboratory' | 'vital-signs';
}

const lab = (code: Coding, text: string, ucum: string, idName: string, unit = ucum): LabCode => ({
  coding: code,
  text,
  ucum,
  unit,
  idName,
  category: 'laboratory',
});

export const LABS = {
  ferritin: lab(loinc('2276-4', 'Ferritin [Mass/volume] in Serum or Plasma'), 'Ferritin', 'ng/mL', 'ferritin'),
  ferritinImmunoassay: lab(loinc('20567-4', 'Ferritin [Mass/volume] in Serum or Plasma by Immunoassay'), 'Ferritin', 'ug/L', 'ferritin', 'mcg/L'),
  ferritinMolar: lab(loinc('14723-1', 'Ferritin [Moles/volume] in Serum or Plasma'), 'Ferritin', 'pmol/L', 'ferritin'),
  fibrinogen: lab(loinc('3255-7', 'Fibrinogen [Mass/volume] in Platelet poor plasma by Coagulation assay'), 'Fibrinogen', 'mg/dL', 'fibrinogen'),
  fibrinogenSI: lab(loinc('3255-7', 'Fibrinogen [Mass/volume] in Platelet poor plasma by Coagulation assay'), 'Fibrinogen', 'g/L', 'fibrinogen'),
  triglycerides: lab(loinc('2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma'), 'Triglycerides', 'mg/dL', 'tg'),
  triglyceridesMolar: lab(loinc('14927-8', 'Triglyceride [Moles/volume] in Serum or Plasma'), 'Triglycerides', 'mmol/L', 'tg'),
  ast: lab(loinc('1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma'), 'AST', 'U/L', 'ast'),
  alt: lab(loinc('1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma'), 'ALT', 'U/L', 'alt'),
  bilirubin: lab(loinc('1975-2', 'Bilirubin.total [Mass/volume] in Serum or Plasma'), 'Bilirubin, total', 'mg/dL', 'tbili'),
  bilirubinMolar: lab(loinc('14631-6', 'Bilirubin.total [Moles/volume] in Serum or Plasma'), 'Bilirubin, total', 'umol/L', 'tbili'),
  ldh: lab(loinc('2532-0', 'Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma'), 'LDH', 'U/L', 'ldh'),
  creatinine: lab(loinc('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma'), 'Creatinine', 'mg/dL', 'creat'),
  creatinineMolar: lab(loinc('14682-9', 'Creatinine [Moles/volume] in Serum or Plasma'), 'Creatinine', 'umol/L', 'creat'),
  platelets: lab(loinc('777-3', 'Platelets [#/volume] in Blood by Automated count'), 'Platelets', '10*3/uL', 'plt', 'K/uL'),
  plateletsSI: lab(loinc('777-3', 'Platelets [#/volume] in Blood by Automated count'), 'Platelets', '10*9/L', 'plt', '10^9/L'),
  anc: lab(loinc('751-8', 'Neutrophils [#/volume] in Blood by Automated count'), 'Neutrophils, absolute', '10*3/uL', 'anc', 'K/uL'),
  ancSI: lab(loinc('751-8', 'Neutrophils [#/volume] in Blood by Automated count'), 'Neutrophils, absolute', '10*9/L', 'anc', '10^9/L'),
  wbc: lab(loinc('6690-2', 'Leukocytes [#/volume] in Blood by Automated count'), 'WBC', '10*3/uL', 'wbc', 'K/uL'),
  hemoglobin: lab(loinc('718-7', 'Hemoglobin [Mass/volume] in Blood'), 'Hemoglobin', 'g/dL', 'hgb'),
  hemoglobinSI: lab(loinc('718-7', 'Hemoglobin [Mass/volume] in Blood'), 'Hemoglobin', 'g/L', 'hgb'),
  crp: lab(loinc('1988-5', 'C reactive protein [Mass/volume] in Serum or Plasma'), 'CRP', 'mg/L', 'crp'),
  inr: lab(loinc('6301-6', 'INR in Platelet poor plasma by Coagulation assay'), 'INR', '{INR}', 'inr', 'INR'),
  /** Display is ARUP's result name; the LOINC long name is UNVERIFIED (docs/terminology.md#lab-codes). */
  sil2r: lab(loinc('76039-7', 'IL 2 Receptor (CD25), Soluble'), 'sIL-2R (sCD25)', 'pg/mL', 'scd25'),
  /** Context only (infection work-up); not an engine analyte. */
  procalcitonin: lab(loinc('33959-8', 'Procalcitonin [Mass/volume] in Serum or Plasma'), 'Procalcitonin', 'ng/mL', 'pct'),
  temperature: {
    ...lab(loinc('8310-5', 'Body temperature'), 'Temperature', 'Cel', 'temp', 'C'),
    category: 'vital-signs',
  },
} as const satisfies Record<string, LabCode>;

export type LabKey = keyof typeof LABS;

/** The workup code a CDS card suggests per analyte (what manifest workupLoinc/noWorkupLoinc hold). */
export const WORKUP_LOINC = {
  ferritin: '2276-4',
  fibrinogen: '3255-7',
  triglycerides: '2571-8',
  ldh: '2532-0',
  ast: '1920-8',
  alt: '1742-6',
  bilirubin: '1975-2',
  creatinine: '2160-0',
  sil2r: '76039-7',
} as const;

export type WorkupKey = keyof typeof WORKUP_LOINC;

/** Epic-style local component codes (fictional) that ride in front of LOINC (docs/terminology.md#epic). */
export const EPIC_LOCAL: Partial<Record<LabKey, { code: string; display: string }>> = {
  ferritin: { code: '1558', display: 'FERRITIN' },
  fibrinogen: { code: '1602', display: 'FIBRINOGEN' },
  ldh: { code: '1771', display: 'LDH' },
  ast: { code: '1520', display: 'AST (SGOT)' },
  platelets: { code: '1011', display: 'PLATELET COUNT' },
};

/** Epic lab-section category sent next to `laboratory` (docs/terminology.md#categories). */
export const EPIC_SECTION: Partial<Record<LabKey, Coding>> = {
  ferritin: snomed('275711006', 'Chemistry'),
  fibrinogen: snomed('252275004', 'Hematology'),
  ldh: snomed('275711006', 'Chemistry'),
  ast: snomed('275711006', 'Chemistry'),
  platelets: snomed('252275004', 'Hematology'),
};

// ---- CAR-T products and the infusion (docs/terminology.md#car-t) ----------------------------------------

export interface Product {
  generic: string;
  brand?: string;
  /** openFDA-linked clinical/branded drug RxCUI (not an ingredient CUI), when one is known. */
  rxnorm?: string;
  hcpcs?: string;
  /** ICD-10-PCS, peripheral vein. */
  pcs: Coding;
}

const pcs = (code: string, display: string): Coding => ({ system: SYSTEM.icd10pcs, code, display });

export const PRODUCTS = {
  axicel: {
    generic: 'axicabtagene ciloleucel',
    brand: 'Yescarta',
    rxnorm: '1987402',
    pcs: pcs('XW033H7', 'Introduction of axicabtagene ciloleucel immunotherapy into peripheral vein, percutaneous approach, new technology group 7'),
  },
  tisacel: {
    generic: 'tisagenlecleucel',
    brand: 'Kymriah',
    hcpcs: 'Q2042',
    pcs: pcs('XW033J7', 'Introduction of tisagenlecleucel immunotherapy into peripheral vein, percutaneous approach, new technology group 7'),
  },
  brexucel: {
    generic: 'brexucabtagene autoleucel',
    brand: 'Tecartus',
    rxnorm: '2387347',
    hcpcs: 'Q2053',
    pcs: pcs('XW033M7', 'Introduction of brexucabtagene autoleucel immunotherapy into peripheral vein, percutaneous approach, new technology group 7'),
  },
  lisocel: {
    generic: 'lisocabtagene maraleucel',
    brand: 'Breyanzi',
    rxnorm: '2479140',
    hcpcs: 'Q2054',
    pcs: pcs('XW033N7', 'Introduction of lisocabtagene maraleucel immunotherapy into peripheral vein, percutaneous approach, new technology group 7'),
  },
  ciltacel: {
    generic: 'ciltacabtagene autoleucel',
    brand: 'Carvykti',
    rxnorm: '2594780',
    hcpcs: 'Q2056',
    pcs: pcs('XW033A7', 'Introduction of ciltacabtagene autoleucel into peripheral vein, percutaneous approach, new technology group 7'),
  },
  /** Investigational autologous CD22 CAR-T: generic ICD-10-PCS code only, no product code. */
  cd22Investigational: {
    generic: 'CD22-directed autologous CAR T cells (investigational)',
    pcs: pcs('XW033C7', 'Introduction of autologous engineered chimeric antigen receptor T-cell immunotherapy into peripheral vein, percutaneous approach, new technology group 7'),
  },
} as const satisfies Record<string, Product>;

export type ProductKey = keyof typeof PRODUCTS;

/** CPT 38228 (from 2025-01-01) and the SNOMED CAR-T procedure concept (docs/terminology.md#car-t). */
export const CAR_T_CPT: Coding = { system: SYSTEM.cpt, code: '38228', display: 'Chimeric antigen receptor T-cell (CAR-T) therapy; CAR-T cell administration, autologous' };
export const CAR_T_SNOMED: Coding = snomed('1156961008', 'Chimeric antigen receptor T-cell immunotherapy (procedure)');

// ---- Diagnoses (docs/terminology.md#diagnoses) --------------------------------------------------------------

/** ASTCT CRS grade -> ICD-10-CM D89.83x. */
export function crsCodes(grade: 1 | 2 | 3 | 4): Coding[] {
  return [
    icd10cm(`D89.83${grade}`, `Cytokine release syndrome, grade ${grade}`),
    snomed('710027002', 'Cytokine release syndrome'),
  ];
}

export const DIAGNOSES = {
  dlbcl: [icd10cm('C83.38', 'Diffuse large B-cell lymphoma, lymph nodes of multiple sites')],
  mantleCell: [icd10cm('C83.18', 'Mantle cell lymphoma, lymph nodes of multiple sites')],
  follicular: [icd10cm('C82.48', 'Follicular lymphoma grade IIIb, lymph nodes of multiple sites')],
  ballRelapse: [icd10cm('C91.02', 'Acute lymphoblastic leukemia, in relapse'), snomed('277571004', 'B-cell acute lymphoblastic leukemia')],
  myelomaRelapse: [icd10cm('C90.02', 'Multiple myeloma in relapse')],
  mds: [icd10cm('D46.9', 'Myelodysplastic syndrome, unspecified')],
  transfusionIronOverload: [icd10cm('E83.111', 'Hemochromatosis due to repeated red blood cell transfusions')],
  iecComplication: [icd10cm('T80.82XA', 'Complication of immune effector cellular therapy, initial encounter')],
  /** Not in docs/terminology.md: standard ICD-10-CM / SNOMED CT codes for the sepsis confounder. */
  sepsisEcoli: [icd10cm('A41.51', 'Sepsis due to Escherichia coli [E. coli]'), snomed('91302008', 'Sepsis')],
} as const satisfies Record<string, Coding[]>;

// ---- Drugs (docs/terminology.md#treatments: RxNorm ingredient CUIs) ------------------------------------------

export const DRUGS = {
  tocilizumab: { rxnorm: '612865', name: 'tocilizumab' },
  dexamethasone: { rxnorm: '3264', name: 'dexamethasone' },
  methylprednisolone: { rxnorm: '6902', name: 'methylprednisolone' },
  anakinra: { rxnorm: '72435', name: 'anakinra' },
  /** Not in docs/terminology.md (sepsis confounder only): RxNorm ingredient meropenem. */
  meropenem: { rxnorm: '29561', name: 'meropenem' },
  /** T-cell engagers: RxNorm clinical drug from the openFDA NDC directory (src/terminology/tCellEngagers.ts). */
  teclistamab: { rxnorm: '2619432', name: 'teclistamab-cqyv (Tecvayli)' },
  blinatumomab: { rxnorm: '1597262', name: 'blinatumomab (Blincyto)' },
} as const satisfies Record<string, { rxnorm: string; name: string }>;

export type DrugKey = keyof typeof DRUGS;

export const ROUTES = {
  iv: snomed('47625008', 'Intravenous route'),
  sc: snomed('34206005', 'Subcutaneous route'),
} as const;

/** US Core lab ServiceRequest category (docs/terminology.md#categories). */
export const LAB_ORDER_CATEGORY: Coding = snomed('108252007', 'Laboratory procedure');
