/**
 * Prometheus metrics of the service. One registry per process, created when this module is first
 * imported; the server calls the small `observe*`/`count*` helpers below and never touches
 * prom-client itself. Labels carry service ids, statuses and fixed enums only, never patient data:
 * every free-text label value goes through `safeLabel`.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CdsCard, Indicator } from '../cards/cdsHooks.js';
import type { FhirReadErrorKind } from '../fhir/http.js';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** Hook calls are expected well under a second; FHIR calls are bounded by a 2 s default timeout. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const FHIR_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5];

export type FhirCallOutcome = 'ok' | 'error';
/** Why a FHIR request failed: the reader's error kinds, with plain HTTP errors split by class. */
export type FhirErrorReason = Exclude<FhirReadErrorKind, 'http'> | 'http_4xx' | 'http_5xx';
export type FeedbackOutcome = 'accepted' | 'overridden';

export const metrics = {
  requestDuration: new Histogram({
    name: 'cds_request_duration_seconds',
    help: 'Duration of CDS Hooks service calls, by service id and HTTP status',
    labelNames: ['service', 'status'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  }),
  cards: new Counter({
    name: 'cds_cards_total',
    help: 'Cards returned, by service id and indicator',
    labelNames: ['service', 'indicator'] as const,
    registers: [registry],
  }),
  fhirDuration: new Histogram({
    name: 'cds_fhir_request_duration_seconds',
    help: 'Duration of FHIR requests made by the service, by outcome',
    labelNames: ['outcome'] as const,
    buckets: FHIR_BUCKETS,
    registers: [registry],
  }),
  fhirErrors: new Counter({
    name: 'cds_fhir_errors_total',
    help: 'Failed FHIR requests, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  }),
  feedback: new Counter({
    name: 'cds_feedback_total',
    help: 'Card feedback received, by service id and outcome',
    labelNames: ['service', 'outcome'] as const,
    registers: [registry],
  }),
};

/**
 * Service label values: the ids registered at start-up (from hooks/*.json) plus `discovery`; any other
 * value (an id typed into a URL, a patient id passed by mistake) becomes `other`, so a label can
 * neither leak data nor grow the number of series without bound. Until ids are registered only the
 * kebab-case shape is checked.
 */
const SERVICE_ID = /^[a-z][a-z0-9-]{0,62}$/;
const FIXED_SERVICE_LABELS = ['discovery', 'unknown'];
let knownServices: Set<string> | undefined;

export function registerServiceIds(ids: readonly string[]): void {
  knownServices = new Set([...FIXED_SERVICE_LABELS, ...ids]);
}

export function safeLabel(value: string): string {
  const ok = knownServices ? knownServices.has(value) : SERVICE_ID.test(value);
  return ok ? value : 'other';
}

function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : 'other';
}

/** One finished hook call (discovery uses service `discovery`, unknown ids `unknown`). */
export function observeRequest(service: string, status: number, seconds: number): void {
  metrics.requestDuration.observe({ service: safeLabel(service), status: statusLabel(status) }, seconds);
}

export function countCards(service: string, cards: readonly Pick<CdsCard, 'indicator'>[]): void {
  const perIndicator = new Map<Indicator, number>();
  for (const card of cards) perIndicator.set(card.indicator, (perIndicator.get(card.indicator) ?? 0) + 1);
  for (const [indicator, n] of perIndicator) metrics.cards.inc({ service: safeLabel(service), indicator }, n);
}

/** One FHIR request; pass `reason` for failures so the error counter says why. */
export function observeFhirCall(outcome: FhirCallOutcome, seconds: number, reason?: FhirErrorReason): void {
  metrics.fhirDuration.observe({ outcome }, seconds);
  if (outcome === 'error') metrics.fhirErrors.inc({ reason: reason ?? 'network' });
}

export function countFeedback(service: string, outcome: FeedbackOutcome): void {
  metrics.feedback.inc({ service: safeLabel(service), outcome });
}
