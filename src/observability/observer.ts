/** The metrics side of the server's observer seam (src/server/observer.ts). */
import type { FhirRequestObserver } from '../fhir/http.js';
import type { ServerObserver } from '../server/observer.js';
import { countCards, countFeedback, observeFhirCall, observeRequest, type FhirErrorReason } from './metrics.js';

const fhirRequest: FhirRequestObserver = ({ ok, seconds, status, error }) => {
  if (ok) {
    observeFhirCall('ok', seconds);
    return;
  }
  let reason: FhirErrorReason = 'network';
  if (error && error !== 'http') reason = error;
  else if (status !== undefined) reason = status >= 500 ? 'http_5xx' : 'http_4xx';
  observeFhirCall('error', seconds, reason);
};

/** Pass as `observer` to the service-call and feedback handlers. */
export function metricsObserver(): ServerObserver {
  return {
    serviceCall: ({ serviceId, status, seconds, cards }) => {
      observeRequest(serviceId, status, seconds);
      if (status === 200) countCards(serviceId, cards);
    },
    fhirRequest,
    feedback: ({ serviceId, outcome }) => countFeedback(serviceId, outcome),
  };
}
