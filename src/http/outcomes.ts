/**
 * One error type and one way out: every 4xx/5xx answer of the CDS service is a FHIR OperationOutcome
 * (CDS Hooks 3.0 ballot asks for it on non-2xx; it costs nothing under 2.0). Each reason carries a stable
 * code in `issue[0].details.coding` so tests and clients can tell reasons apart without parsing text.
 */
import type { Response } from 'express';
import type { OperationOutcome } from 'fhir/r4';

/** System URI of our own error codes (stable; asserted by tests). */
export const ERROR_CODE_SYSTEM = 'urn:iec-hs-cds:error';

/** FHIR issue-type codes we use (http://hl7.org/fhir/issue-type). */
export type IssueType = 'invalid' | 'structure' | 'required' | 'not-found' | 'processing' | 'security' | 'too-long' | 'exception' | 'timeout' | 'not-supported' | 'login' | 'transient';

export interface OutcomeSpec {
  status: number;
  code: string;
  issueType: IssueType;
  /** Human-readable; never contains tokens, patient data or stack traces. */
  message: string;
  /** JSON paths (e.g. `context.patientId`) the issue concerns. */
  expression?: string[];
  /** Sent as Retry-After (seconds) with a 503. */
  retryAfterSeconds?: number;
}

export class OperationOutcomeError extends Error {
  readonly spec: OutcomeSpec;
  constructor(spec: OutcomeSpec) {
    super(spec.message);
    this.name = 'OperationOutcomeError';
    this.spec = spec;
  }
}

export function operationOutcome(spec: Omit<OutcomeSpec, 'status'>, severity: 'error' | 'fatal' = 'error'): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity,
        code: spec.issueType,
        details: { coding: [{ system: ERROR_CODE_SYSTEM, code: spec.code }], text: spec.message },
        ...(spec.expression && spec.expression.length > 0 ? { expression: spec.expression } : {}),
      },
    ],
  };
}

export function sendOutcome(res: Response, spec: OutcomeSpec): void {
  if (spec.retryAfterSeconds !== undefined) res.set('Retry-After', String(spec.retryAfterSeconds));
  res.status(spec.status).type('application/json').json(operationOutcome(spec));
}

/** Named outcomes used by more than one route. */
export const outcomes = {
  unknownService: (id: string): OutcomeSpec => ({
    status: 404,
    code: 'unknown-service',
    issueType: 'not-found',
    // The id is echoed: it comes from the URL path and is not patient data.
    message: `No CDS service with id "${id.slice(0, 100)}"`,
  }),
  notFound: (): OutcomeSpec => ({ status: 404, code: 'not-found', issueType: 'not-found', message: 'Not found' }),
  invalidRequest: (message: string, expression?: string[]): OutcomeSpec => ({
    status: 400,
    code: 'invalid-request',
    issueType: 'invalid',
    message,
    ...(expression ? { expression } : {}),
  }),
  malformedJson: (): OutcomeSpec => ({ status: 400, code: 'malformed-json', issueType: 'structure', message: 'Request body is not valid JSON' }),
  tooLarge: (): OutcomeSpec => ({ status: 413, code: 'body-too-large', issueType: 'too-long', message: 'Request body is too large' }),
  unsupportedMediaType: (): OutcomeSpec => ({
    status: 415,
    code: 'unsupported-media-type',
    issueType: 'not-supported',
    message: 'Request body must be application/json or application/fhir+json',
  }),
  preconditionFailed: (message: string, expression?: string[]): OutcomeSpec => ({
    status: 412,
    code: 'data-unavailable',
    issueType: 'processing',
    message,
    ...(expression ? { expression } : {}),
  }),
  tooDeep: (maxDepth: number): OutcomeSpec => ({
    status: 400,
    code: 'json-too-deep',
    issueType: 'too-long',
    message: `Request body nests deeper than ${maxDepth} levels`,
  }),
  /** Every worker busy and the queue full: come back shortly rather than wait behind a growing tail. */
  busy: (retryAfterSeconds: number): OutcomeSpec => ({
    status: 503,
    code: 'overloaded',
    issueType: 'transient',
    message: 'The service is busy; retry shortly',
    retryAfterSeconds,
  }),
  internal: (): OutcomeSpec => ({ status: 500, code: 'internal-error', issueType: 'exception', message: 'Internal server error' }),
};
