export {
  registry,
  metrics,
  registerServiceIds,
  safeLabel,
  observeRequest,
  countCards,
  observeFhirCall,
  countFeedback,
} from './metrics.js';
export type { FhirCallOutcome, FhirErrorReason, FeedbackOutcome } from './metrics.js';
export { metricsRouter } from './routes.js';
export { metricsObserver } from './observer.js';
