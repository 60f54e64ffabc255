/**
 * POST /cds-services/{id}/feedback (CDS Hooks 2.0 A.4; conformance lines 34-37). Accepts the spec shape
 * `{"feedback": [...]}` and, leniently, one bare feedback item (HAPI binds that shape). All items are
 * validated before any is recorded, so a bad request changes nothing. Repeats are the card memory's
 * business (idempotent per card and outcome); the answer is 200 either way.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { CardMemory, FeedbackItem } from '../feedback/types.js';
import { callerScope } from './callerScope.js';
import type { ServiceDefinition } from '../hooks/index.js';
import type { ServerObserver } from './observer.js';
import { OperationOutcomeError, outcomes } from '../http/outcomes.js';
import { ajv, describeErrors } from './schemas/ajv.js';
import { feedbackBodySchema } from './schemas/request.js';

const validateBody = ajv.compile<{ feedback: FeedbackItem[] }>(feedbackBodySchema);

export interface FeedbackDeps {
  services: Map<string, ServiceDefinition>;
  cardMemory?: CardMemory;
  now: () => Date;
  observer?: ServerObserver;
}

export function feedbackHandler(deps: FeedbackDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const service = deps.services.get(id);
    res.locals.logFields = { ...res.locals.logFields, serviceId: service ? id : 'unknown' };
    if (!service) throw new OperationOutcomeError(outcomes.unknownService(id));
    const items = feedbackItems(req.body);
    const receivedAt = deps.now().toISOString();
    // Only cards issued to the same issuer and tenant are found; anything else is an unknown card.
    const scope = callerScope(res);
    const results: string[] = [];
    for (const item of items) results.push(deps.cardMemory ? await deps.cardMemory.recordFeedback(scope, service.id, item, receivedAt) : 'not-stored');
    for (const item of items) deps.observer?.feedback?.({ serviceId: service.id, outcome: item.outcome });
    res.locals.log?.info({ serviceId: service.id, feedback: results.length, results: countBy(results) }, 'feedback received');
    res.status(200).json({});
  };
}

function feedbackItems(body: unknown): FeedbackItem[] {
  if (body === undefined) throw new OperationOutcomeError(outcomes.unsupportedMediaType());
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OperationOutcomeError(outcomes.invalidRequest('Feedback body must be a JSON object'));
  }
  const wrapped = 'feedback' in body ? body : { feedback: [body] };
  if (!validateBody(wrapped)) {
    const { message, paths } = describeErrors(validateBody.errors);
    throw new OperationOutcomeError(outcomes.invalidRequest(`Invalid feedback: ${message}`, paths));
  }
  return wrapped.feedback;
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
