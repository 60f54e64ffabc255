/**
 * LOINC codes per tracked analyte (docs/terminology.md#lab-codes). No lab uses one code per analyte, so
 * each analyte has a set. Codes the reference says to exclude (ferritin goal 86914-9, qualitative
 * fibrinogen 16859-1, IL-6 in CSF/body fluid, aPTT mixing studies, D-dimer [Units/volume]) are absent
 * on purpose, so results under them are never read as the analyte.
 */
import { ANALYTES, type Analyte } from './analytes.js';
import { CodeIndex } from './codeIndex.js';
import { SYSTEM } from './systems.js';

export type CodeStatus = 'V' | 'V2' | 'UNVERIFIED';

/** `ddu`: D-dimer reported in D-dimer units; not convertible to FEU (FEU ~ 2 x DDU is approximate, §2). */
export type LabVariant = 'ddu';

export interface LabCode {
  analyte: Analyte;
  loinc: string;
  display: string;
  status: CodeStatus;
  variant?: LabVariant;
}

const ROWS: readonly LabCode[] = [
  // §1.1 ferritin: reference labs send 20567-4, Labcorp 2276-4 (§8 note 1).
  { analyte: 'ferritin', loinc: '2276-4', display: 'Ferritin [Mass/volume] in Serum or Plasma', status: 'V' },
  { analyte: 'ferritin', loinc: '20567-4', display: 'Ferritin [Mass/volume] in Serum or Plasma by Immunoassay', status: 'V' },
  { analyte: 'ferritin', loinc: '24373-3', display: 'Ferritin [Mass/volume] in Blood', status: 'V2' },
  { analyte: 'ferritin', loinc: '14723-1', display: 'Ferritin [Moles/volume] in Serum or Plasma', status: 'V2' },
  { analyte: 'fibrinogen', loinc: '3255-7', display: 'Fibrinogen [Mass/volume] in Platelet poor plasma by Coagulation assay', status: 'V' },
  { analyte: 'fibrinogen', loinc: '48664-7', display: 'Fibrinogen [Mass/volume] in Platelet poor plasma by Coagulation.derived', status: 'V' },
  { analyte: 'fibrinogen', loinc: '30902-1', display: 'Fibrinogen [Mass/volume] in Platelet poor plasma by Heat denaturation', status: 'V2' },
  { analyte: 'triglycerides', loinc: '2571-8', display: 'Triglyceride [Mass/volume] in Serum or Plasma', status: 'V2' },
  { analyte: 'triglycerides', loinc: '14927-8', display: 'Triglyceride [Moles/volume] in Serum or Plasma', status: 'V2' },
  { analyte: 'sil2r', loinc: '76039-7', display: 'IL 2 Receptor (CD25), Soluble', status: 'V' },
  { analyte: 'il6', loinc: '26881-3', display: 'Interleukin 6 [Mass/volume] in Serum or Plasma', status: 'V' },
  // §1.2 blood counts
  { analyte: 'platelets', loinc: '777-3', display: 'Platelets [#/volume] in Blood by Automated count', status: 'V2' },
  { analyte: 'platelets', loinc: '26515-7', display: 'Platelets [#/volume] in Blood', status: 'V2' },
  { analyte: 'platelets', loinc: '778-1', display: 'Platelets [#/volume] in Blood by Manual count', status: 'V2' },
  { analyte: 'platelets', loinc: '49497-1', display: 'Platelets [#/volume] in Blood by Estimate', status: 'V2' },
  { analyte: 'anc', loinc: '751-8', display: 'Neutrophils [#/volume] in Blood by Automated count', status: 'V2' },
  { analyte: 'anc', loinc: '26499-4', display: 'Neutrophils [#/volume] in Blood', status: 'V2' },
  { analyte: 'anc', loinc: '753-4', display: 'Neutrophils [#/volume] in Blood by Manual count', status: 'V2' },
  { analyte: 'neutrophilPct', loinc: '770-8', display: 'Neutrophils/100 leukocytes in Blood by Automated count', status: 'V2' },
  { analyte: 'wbc', loinc: '6690-2', display: 'Leukocytes [#/volume] in Blood by Automated count', status: 'V2' },
  { analyte: 'wbc', loinc: '26464-8', display: 'Leukocytes [#/volume] in Blood', status: 'V2' },
  { analyte: 'wbc', loinc: '804-5', display: 'Leukocytes [#/volume] in Blood by Manual count', status: 'V2' },
  { analyte: 'wbc', loinc: '49498-9', display: 'Leukocytes [#/volume] in Blood by Estimate', status: 'V2' },
  { analyte: 'hemoglobin', loinc: '718-7', display: 'Hemoglobin [Mass/volume] in Blood', status: 'V2' },
  { analyte: 'hemoglobin', loinc: '20509-6', display: 'Hemoglobin [Mass/volume] in Blood by calculation', status: 'V2' },
  { analyte: 'hemoglobin', loinc: '55782-7', display: 'Hemoglobin [Mass/volume] in Blood by Oximetry', status: 'V2' },
  { analyte: 'hemoglobin', loinc: '59260-0', display: 'Hemoglobin [Moles/volume] in Blood', status: 'V2' },
  // §1.3 chemistry
  { analyte: 'ast', loinc: '1920-8', display: 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma', status: 'V2' },
  { analyte: 'ast', loinc: '30239-8', display: "Aspartate aminotransferase ... by With P-5'-P", status: 'V2' },
  { analyte: 'ast', loinc: '88112-8', display: "Aspartate aminotransferase ... by No addition of P-5'-P", status: 'V2' },
  { analyte: 'alt', loinc: '1742-6', display: 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', status: 'V' },
  { analyte: 'bilirubinTotal', loinc: '1975-2', display: 'Bilirubin.total [Mass/volume] in Serum or Plasma', status: 'V2' },
  { analyte: 'bilirubinTotal', loinc: '14631-6', display: 'Bilirubin.total [Moles/volume] in Serum or Plasma', status: 'V2' },
  { analyte: 'bilirubinTotal', loinc: '42719-5', display: 'Bilirubin.total [Mass/volume] in Blood', status: 'V2' },
  // Direct bilirubin is not in docs/terminology.md: commonly used LOINC codes, to check before go-live.
  { analyte: 'bilirubinDirect', loinc: '1968-7', display: 'Bilirubin.direct [Mass/volume] in Serum or Plasma', status: 'UNVERIFIED' },
  { analyte: 'bilirubinDirect', loinc: '14629-0', display: 'Bilirubin.direct [Moles/volume] in Serum or Plasma', status: 'UNVERIFIED' },
  { analyte: 'ldh', loinc: '2532-0', display: 'Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma', status: 'V2' },
  { analyte: 'ldh', loinc: '14804-9', display: 'Lactate dehydrogenase ... by Lactate to pyruvate reaction', status: 'V2' },
  { analyte: 'ldh', loinc: '14805-6', display: 'Lactate dehydrogenase ... by Pyruvate to lactate reaction', status: 'V2' },
  { analyte: 'creatinine', loinc: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma', status: 'V2' },
  { analyte: 'creatinine', loinc: '14682-9', display: 'Creatinine [Moles/volume] in Serum or Plasma', status: 'V2' },
  { analyte: 'creatinine', loinc: '38483-4', display: 'Creatinine [Mass/volume] in Blood', status: 'V2' },
  { analyte: 'creatinine', loinc: '59826-8', display: 'Creatinine [Moles/volume] in Blood', status: 'V2' },
  // CRP; hs-CRP (30522-7) only as a fallback, its assays top out low (§1.3), so censored values are common.
  { analyte: 'crp', loinc: '1988-5', display: 'C reactive protein [Mass/volume] in Serum or Plasma', status: 'V2' },
  { analyte: 'crp', loinc: '30522-7', display: 'C reactive protein [Mass/volume] in Serum or Plasma by High sensitivity method', status: 'V2' },
  { analyte: 'crp', loinc: '76485-2', display: 'C reactive protein [Moles/volume] in Serum or Plasma', status: 'V2' },
  { analyte: 'crp', loinc: '71426-1', display: 'C reactive protein [Mass/volume] in Blood by High sensitivity method', status: 'V2' },
  { analyte: 'crp', loinc: '48421-2', display: 'C reactive protein [Mass/volume] in Capillary blood', status: 'V2' },
  // §1.4 coagulation
  { analyte: 'pt', loinc: '5902-2', display: 'Prothrombin time (PT)', status: 'V2' },
  { analyte: 'inr', loinc: '6301-6', display: 'INR in Platelet poor plasma by Coagulation assay', status: 'V2' },
  { analyte: 'inr', loinc: '34714-6', display: 'INR in Blood by Coagulation assay', status: 'V2' },
  { analyte: 'inr', loinc: '46418-0', display: 'INR in Capillary blood by Coagulation assay', status: 'V2' },
  { analyte: 'aptt', loinc: '3173-2', display: 'aPTT in Blood by Coagulation assay', status: 'V2' },
  { analyte: 'aptt', loinc: '14979-9', display: 'aPTT in Platelet poor plasma by Coagulation assay', status: 'V2' },
  { analyte: 'ddimer', loinc: '48065-7', display: 'Fibrin D-dimer FEU [Mass/volume] in Platelet poor plasma', status: 'V2' },
  { analyte: 'ddimer', loinc: '48067-3', display: 'Fibrin D-dimer FEU [Mass/volume] in Platelet poor plasma by Immunoassay', status: 'V2' },
  { analyte: 'ddimer', loinc: '71427-9', display: 'Fibrin D-dimer FEU [Mass/volume] in Blood by Immunoassay', status: 'V2' },
  { analyte: 'ddimer', loinc: '48066-5', display: 'Fibrin D-dimer DDU [Mass/volume] in Platelet poor plasma', status: 'V2', variant: 'ddu' },
  { analyte: 'ddimer', loinc: '48058-2', display: 'Fibrin D-dimer DDU [Mass/volume] in Platelet poor plasma by Immunoassay', status: 'V2', variant: 'ddu' },
  { analyte: 'ddimer', loinc: '91556-1', display: 'Fibrin D-dimer DDU [Mass/volume] in Blood by Immunoassay', status: 'V2', variant: 'ddu' },
  // §1.5 vital signs: 8331-1 (oral) etc. often arrive as an extra coding next to 8310-5.
  { analyte: 'temperature', loinc: '8310-5', display: 'Body temperature', status: 'V' },
  { analyte: 'temperature', loinc: '8331-1', display: 'Oral temperature', status: 'V2' },
  { analyte: 'temperature', loinc: '8332-9', display: 'Rectal temperature', status: 'V2' },
  { analyte: 'temperature', loinc: '8333-7', display: 'Tympanic temperature', status: 'V2' },
];

export const LAB_CODES: readonly LabCode[] = ROWS;


function codesByAnalyte(): Record<Analyte, readonly string[]> {
  const out = Object.fromEntries(ANALYTES.map((a) => [a, [] as string[]])) as Record<Analyte, string[]>;
  for (const row of ROWS) out[row.analyte].push(row.loinc);
  return out;
}

/** LOINC codes per analyte; prefetch templates and FHIR queries must use exactly these. */
export const LAB_LOINC: Readonly<Record<Analyte, readonly string[]>> = codesByAnalyte();

/** Every lab/vital LOINC code the engine reads, e.g. for one `Observation?code=` query. */
export const ALL_LAB_LOINC: readonly string[] = ROWS.map((r) => r.loinc);

export const LAB_INDEX = new CodeIndex<LabCode>(ROWS.map((r) => ['loinc', r.loinc, r] as const));

export interface WorkupItem {
  /** The analyte a missing-data entry names; `covers` lists every analyte the order yields. */
  analyte: Analyte;
  covers: readonly Analyte[];
  /** Results from the same test under another analyte: a fresh INR means the PT was run, and vice versa. */
  sameTestAs?: readonly Analyte[];
  system: typeof SYSTEM.loinc;
  loinc: string;
  display: string;
  /** Name on a card when the item is a panel, not one analyte (`CBC`). */
  panelName?: string;
}

function workup(analyte: Analyte, loinc: string, display: string, covers: readonly Analyte[] = [analyte], sameTestAs?: readonly Analyte[]): WorkupItem {
  return { analyte, covers, ...(sameTestAs ? { sameTestAs } : {}), system: SYSTEM.loinc, loinc, display };
}

/**
 * Labs a card may suggest as draft ServiceRequests (docs/clinical-basis.md#workup work-up; codes from
 * docs/terminology.md#lab-codes). The CBC panel code is the one docs/terminology.md cites (58410-2, US Core/mCODE
 * example); the differential's ANC is listed separately because 58410-2 alone has no differential.
 */
export const WORKUP_PANEL: readonly WorkupItem[] = [
  workup('ferritin', '2276-4', 'Ferritin [Mass/volume] in Serum or Plasma'),
  workup('fibrinogen', '3255-7', 'Fibrinogen [Mass/volume] in Platelet poor plasma by Coagulation assay'),
  workup('triglycerides', '2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma'),
  workup('ldh', '2532-0', 'Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma'),
  workup('ast', '1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma'),
  workup('alt', '1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma'),
  workup('bilirubinTotal', '1975-2', 'Bilirubin.total [Mass/volume] in Serum or Plasma'),
  workup('creatinine', '2160-0', 'Creatinine [Mass/volume] in Serum or Plasma'),
  { ...workup('platelets', '58410-2', 'CBC panel - Blood by Automated count', ['platelets', 'hemoglobin', 'wbc']), panelName: 'CBC' },
  workup('anc', '751-8', 'Neutrophils [#/volume] in Blood by Automated count', ['anc', 'neutrophilPct']),
  workup('pt', '5902-2', 'Prothrombin time (PT)', ['pt'], ['inr']),
  workup('inr', '6301-6', 'INR in Platelet poor plasma by Coagulation assay', ['inr'], ['pt']),
  workup('sil2r', '76039-7', 'IL 2 Receptor (CD25), Soluble'),
];
