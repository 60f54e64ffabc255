/** The ServerObserver that feeds the Prometheus metrics of src/observability. */
import { countCards, countFeedback, observeFhirCall, observeRequest } from '../observability/index.js';
import type { ServerObserver } from './observer.js';

export function metricsObserver(): ServerObserver {
  return {
    serviceCall: ({ serviceId, status, seconds, cards }) => {
      observeRequest(serviceId, status, seconds);
      countCards(serviceId, cards);
    },
    fhirRequest: ({ ok, seconds, status, error }) => {
      if (ok) observeFhirCall('ok', seconds);
      else if (error && error !== 'http') observeFhirCall('error', seconds, error);
      else observeFhirCall('error', seconds, status !== undefined && status >= 500 ? 'http_5xx' : 'http_4xx');
    },
    feedback: ({ serviceId, outcome }) => countFeedback(serviceId, outcome),
  };
}
