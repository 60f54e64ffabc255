/**
 * What the demo's order panel lets a clinician pick: draft lab ServiceRequests (the IEC-HS workup
 * panel) and draft MedicationRequests, as an EHR would put them into `context.draftOrders` for
 * order-select. Codes come from src/terminology; the page fills in `subject` and `authoredOn`.
 */
import type { Coding, MedicationRequest, ServiceRequest } from 'fhir/r4';
import type { Analyte } from '../features/types.js';
import { SYSTEM, TREATMENT_DRUGS, WORKUP_PANEL, type TreatmentDrug, type WorkupItem } from '../terminology/index.js';

export interface OrderCatalogItem {
  /** Stable key; the draft resource's id is `draft-<key>`. */
  key: string;
  kind: 'lab' | 'medication';
  label: string;
  /** The draft resource; `subject` is a placeholder the page replaces. */
  resource: ServiceRequest | MedicationRequest;
}

/** Short names for the order list (the LOINC display is kept on the coding). */
const LAB_LABELS: Partial<Record<Analyte, string>> = {
  ferritin: 'Ferritin',
  fibrinogen: 'Fibrinogen',
  triglycerides: 'Triglycerides',
  ldh: 'LDH',
  ast: 'AST',
  alt: 'ALT',
  bilirubinTotal: 'Bilirubin, total',
  creatinine: 'Creatinine',
  platelets: 'CBC (platelets, hemoglobin, WBC)',
  anc: 'Absolute neutrophil count',
  pt: 'Prothrombin time',
  inr: 'INR',
  sil2r: 'Soluble IL-2 receptor (sCD25)',
};

/** Drugs a clinician might order around CRS / IEC-HS; tocilizumab is here so the IL-6 warning can show. */
const ORDERABLE_DRUGS = ['tocilizumab', 'dexamethasone', 'methylprednisolone', 'anakinra', 'ruxolitinib'];

const UNSET_SUBJECT = { reference: 'Patient/unset' };

/** A draft order as the EHR's order entry holds it; labs are ServiceRequests, drugs MedicationRequests. */
function draftItem(kind: OrderCatalogItem['kind'], key: string, label: string, coding: Coding): OrderCatalogItem {
  const concept = { coding: [coding], text: label };
  const draft = { id: `draft-${key}`, status: 'draft', intent: 'order', subject: UNSET_SUBJECT } as const;
  const resource: ServiceRequest | MedicationRequest =
    kind === 'lab' ? { resourceType: 'ServiceRequest', ...draft, code: concept } : { resourceType: 'MedicationRequest', ...draft, medicationCodeableConcept: concept };
  return { key, kind, label, resource };
}

function labItem(lab: WorkupItem): OrderCatalogItem {
  return draftItem('lab', lab.analyte, LAB_LABELS[lab.analyte] ?? lab.display, { system: lab.system, code: lab.loinc, display: lab.display });
}

function drugItem(drug: TreatmentDrug & { rxcui: string }): OrderCatalogItem {
  const label = drug.drug.charAt(0).toUpperCase() + drug.drug.slice(1);
  return draftItem('medication', drug.drug, label, { system: SYSTEM.rxnorm, code: drug.rxcui, display: drug.drug });
}

export function orderCatalog(): OrderCatalogItem[] {
  const drugs = ORDERABLE_DRUGS.map((name) => TREATMENT_DRUGS.find((d) => d.drug === name)).filter(
    (d): d is TreatmentDrug & { rxcui: string } => d?.rxcui !== undefined,
  );
  return [...WORKUP_PANEL.map(labItem), ...drugs.map(drugItem)];
}
