/**
 * Assessments -> CDS Hooks cards. PLACEHOLDER signatures owned by the cards work (issue 5);
 * the server calls exactly these.
 */
import type { Bundle, FhirResource } from 'fhir/r4';
import type { Evaluation } from '../criteria/types.js';
import type { CdsCard } from './cdsHooks.js';

export interface CardContext {
  serviceId: string;
  patientId: string;
  /** Evaluation time, ISO 8601. */
  now: string;
  /** Base URL of the timeline page; cards link to `${timelineBaseUrl}?patient=<id>`. */
  timelineBaseUrl?: string;
  /** Base URL of this service, for absolute links (e.g. the HTI-1 source attributes page). */
  serviceBaseUrl?: string;
  /** FHIR data was incomplete (budget ran out, a query failed): cards must say so. */
  partialData?: { missing: string[] };
}

export interface OrderSelectContext extends CardContext {
  selections: string[];
  draftOrders: Bundle<FhirResource>;
}

export function patientViewCards(_evaluation: Evaluation, _ctx: CardContext): CdsCard[] {
  throw new Error('not implemented yet');
}

export function orderSelectCards(_evaluation: Evaluation, _ctx: OrderSelectContext): CdsCard[] {
  throw new Error('not implemented yet');
}
