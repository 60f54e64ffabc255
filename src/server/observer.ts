/**
 * Seam for metrics (src/observability): the server reports what happened, the observer counts it.
 * No patient data passes through here: service ids, statuses, durations, card indicators.
 */
import type { CdsCard } from '../cards/cdsHooks.js';
import type { FhirRequestObserver } from '../fhir/http.js';

export interface ServerObserver {
  /** One finished service call (`serviceId` is `unknown` for ids not in hooks/). */
  serviceCall?(e: { serviceId: string; status: number; seconds: number; cards: readonly CdsCard[] }): void;
  /** One FHIR request made on behalf of a hook call. */
  fhirRequest?: FhirRequestObserver;
  /** One feedback item accepted. */
  feedback?(e: { serviceId: string; outcome: 'accepted' | 'overridden' }): void;
}
