/**
 * Workup suggestions: one per due lab plus one "order all" suggestion when more than one lab is due,
 * each a draft ServiceRequest `create` action (LOINC-coded). Short labels keep the buttons on one row of
 * a narrow card; the LOINC code is in the action's description and resource. Every lab keeps its own
 * button: the card memory drops accepted ones and shrinks "order all", so a lab reachable only through
 * "order all" would lose its button once the others are pending. Never a medication.
 */
import type { ServiceRequest } from 'fhir/r4';
import type { Analyte } from '../features/types.js';
import { WORKUP_PANEL, type WorkupItem } from '../terminology/index.js';
import type { CdsAction, CdsSuggestion } from './cdsHooks.js';
import type { SuggestionMeta } from './cardMeta.js';
import { ANALYTE_LABEL } from './format.js';

export interface SuggestionsWithMeta {
  suggestions: CdsSuggestion[];
  meta: SuggestionMeta[];
}

/** Panel items that order the given analytes, in panel order, each once. */
export function panelItemsFor(analytes: Iterable<Analyte>): WorkupItem[] {
  const wanted = new Set(analytes);
  return WORKUP_PANEL.filter((item) => item.covers.some((a) => wanted.has(a)));
}

function draftServiceRequest(item: WorkupItem, patientId: string, reason: string): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: 'order',
    code: { coding: [{ system: item.system, code: item.loinc, display: item.display }], text: item.display },
    subject: { reference: `Patient/${patientId}` },
    reasonCode: [{ text: reason }],
  };
}

function action(item: WorkupItem, patientId: string, reason: string): CdsAction {
  return {
    type: 'create',
    description: `Draft order: ${item.display} (LOINC ${item.loinc})`,
    resource: draftServiceRequest(item, patientId, reason),
  };
}

export function labName(item: WorkupItem): string {
  return item.panelName ?? ANALYTE_LABEL[item.analyte];
}

/** Label of the "order all" suggestion; the card memory relabels it when it drops pending labs. */
export function panelSuggestionLabel(count: number): string {
  return `Order all ${count} due labs`;
}

export function workupSuggestions(
  items: WorkupItem[],
  patientId: string,
  reason: string,
  newId: () => string,
): SuggestionsWithMeta {
  const suggestions: CdsSuggestion[] = [];
  const meta: SuggestionMeta[] = [];
  for (const item of items) {
    const uuid = newId();
    suggestions.push({ label: `Order ${labName(item)}`, uuid, actions: [action(item, patientId, reason)] });
    meta.push({ uuid, loinc: [item.loinc] });
  }
  if (items.length > 1) {
    const uuid = newId();
    suggestions.push({
      label: panelSuggestionLabel(items.length),
      uuid,
      actions: items.map((item) => action(item, patientId, reason)),
    });
    meta.push({ uuid, loinc: items.map((item) => item.loinc), panel: true });
  }
  return { suggestions, meta };
}
