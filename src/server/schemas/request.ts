/**
 * JSON Schemas of what the CDS service accepts: the hook request (CDS Hooks 2.0 A.2 + hook context tables
 * of the HL7 hook library 1.0) and feedback (A.4). Lenient where peers are known to deviate (unknown
 * top-level fields and `extension` ignored, draftOrders without Bundle.type, feedback reasons without
 * display); strict where a wrong value would make us fetch the wrong thing (patientId is a FHIR id).
 */
import type { Bundle, FhirResource } from 'fhir/r4';
import type { FeedbackItem } from '../../feedback/types.js';
import type { SupportedHook } from '../../hooks/index.js';

/** FHIR R4 `id` datatype; also keeps substituted ids from changing the shape of a FHIR URL. */
export const FHIR_ID_PATTERN = '^[A-Za-z0-9\\-.]{1,64}$';

/**
 * Upper bounds on every list and string a request may carry, far above what a real EHR sends, so the
 * cost of refusing a hostile body stays fixed (validation stops at the first problem, src/server/schemas/ajv.ts).
 */
export const REQUEST_BOUNDS = {
  /** Context and extension members (hook context tables have a handful). */
  objectProperties: 100,
  /** Prefetch keys (a service declares a few templates). */
  prefetchKeys: 50,
  /** order-select `selections`. */
  selections: 200,
  /** Entries of `draftOrders`. */
  draftOrders: 2000,
  /** Identifiers, references, URLs. */
  shortString: 2048,
  /** Bearer tokens (large JWTs included). */
  token: 16_384,
} as const;

const shortString = { type: 'string', maxLength: REQUEST_BOUNDS.shortString } as const;

const baseContextProperties = {
  userId: { type: 'string', minLength: 1, maxLength: REQUEST_BOUNDS.shortString },
  patientId: { type: 'string', pattern: FHIR_ID_PATTERN },
  encounterId: { type: 'string', pattern: FHIR_ID_PATTERN },
} as const;

const contextSchemas: Record<SupportedHook, object> = {
  'patient-view': {
    type: 'object',
    maxProperties: REQUEST_BOUNDS.objectProperties,
    required: ['patientId'],
    properties: baseContextProperties,
  },
  'order-select': {
    type: 'object',
    maxProperties: REQUEST_BOUNDS.objectProperties,
    required: ['patientId', 'selections', 'draftOrders'],
    properties: {
      ...baseContextProperties,
      selections: { type: 'array', maxItems: REQUEST_BOUNDS.selections, items: { type: 'string', minLength: 1, maxLength: REQUEST_BOUNDS.shortString } },
      draftOrders: {
        type: 'object',
        required: ['resourceType'],
        properties: {
          resourceType: { const: 'Bundle' },
          entry: { type: 'array', maxItems: REQUEST_BOUNDS.draftOrders, items: { type: 'object' } },
        },
      },
    },
  },
};

export function hookRequestSchema(hook: SupportedHook): object {
  return {
    type: 'object',
    required: ['hook', 'hookInstance', 'context'],
    properties: {
      hook: { type: 'string', minLength: 1, maxLength: 100 },
      hookInstance: { type: 'string', minLength: 1, maxLength: 200 },
      fhirServer: { type: 'string', maxLength: REQUEST_BOUNDS.shortString, format: 'uri', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' },
      fhirAuthorization: {
        type: 'object',
        required: ['access_token'],
        properties: {
          access_token: { type: 'string', minLength: 1, maxLength: REQUEST_BOUNDS.token },
          token_type: shortString,
          expires_in: { type: 'number' },
          scope: { type: 'string', maxLength: REQUEST_BOUNDS.token },
          subject: shortString,
          patient: shortString,
        },
      },
      context: contextSchemas[hook],
      prefetch: { type: 'object', maxProperties: REQUEST_BOUNDS.prefetchKeys, additionalProperties: { type: ['object', 'null'] } },
      extension: { type: 'object', maxProperties: REQUEST_BOUNDS.objectProperties },
    },
    // cds-r-1: fhirAuthorization requires fhirServer (conformance line 17).
    dependencies: { fhirAuthorization: ['fhirServer'] },
  };
}

export interface HookRequest {
  hook: string;
  hookInstance: string;
  fhirServer?: string;
  fhirAuthorization?: { access_token: string; token_type?: string; expires_in?: number; scope?: string; subject?: string; patient?: string };
  context: {
    userId?: string;
    patientId: string;
    encounterId?: string;
    selections?: string[];
    draftOrders?: Bundle<FhirResource>;
    [field: string]: unknown;
  };
  prefetch?: Record<string, Record<string, unknown> | null>;
  extension?: Record<string, unknown>;
}

const codingSchema = {
  type: 'object',
  required: ['code'],
  properties: { code: shortString, system: shortString, display: shortString },
} as const;

export const feedbackItemSchema = {
  type: 'object',
  required: ['card', 'outcome', 'outcomeTimestamp'],
  properties: {
    card: { type: 'string', minLength: 1, maxLength: 200 },
    outcome: { enum: ['accepted', 'overridden'] },
    acceptedSuggestions: {
      type: 'array',
      maxItems: REQUEST_BOUNDS.selections,
      items: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: REQUEST_BOUNDS.shortString } } },
    },
    overrideReason: {
      type: 'object',
      properties: { reason: codingSchema, userComment: { type: 'string', maxLength: 2000 } },
    },
    outcomeTimestamp: { type: 'string', format: 'date-time' },
  },
  // cds-fb-2: accepted requires acceptedSuggestions (at least one).
  if: { properties: { outcome: { const: 'accepted' } } },
  then: { required: ['acceptedSuggestions'], properties: { acceptedSuggestions: { type: 'array', minItems: 1 } } },
} as const;

export const feedbackBodySchema = {
  type: 'object',
  required: ['feedback'],
  properties: { feedback: { type: 'array', minItems: 1, maxItems: 100, items: feedbackItemSchema } },
} as const;

export type { FeedbackItem };
