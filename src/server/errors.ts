/**
 * The last handlers: unknown routes get a 404 OperationOutcome; errors become an OperationOutcome with
 * the right 4xx (body-parser's parse/size/charset errors, our OperationOutcomeError) or a bare 500.
 * Never a stack trace, a token or request data in the answer.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { loggablePath, type Logger } from './logger.js';
import { OperationOutcomeError, outcomes, sendOutcome, type OutcomeSpec } from '../http/outcomes.js';

export const notFoundHandler: RequestHandler = (_req, res) => {
  res.locals.logFields = { ...res.locals.logFields, errorCode: 'not-found' };
  sendOutcome(res, outcomes.notFound());
};

/** body-parser error types (http-errors `type`) mapped to our outcomes. */
function bodyParserOutcome(type: string | undefined, status: number | undefined): OutcomeSpec | undefined {
  switch (type) {
    case 'entity.parse.failed':
      return outcomes.malformedJson();
    case 'entity.too.large':
      return outcomes.tooLarge();
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return outcomes.unsupportedMediaType();
    default:
      if (status !== undefined && status >= 400 && status < 500) {
        return { status, code: 'bad-request', issueType: 'invalid', message: 'Bad request' };
      }
      return undefined;
  }
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const e = err as { type?: string; status?: number; statusCode?: number };
    const spec =
      err instanceof OperationOutcomeError ? err.spec : (bodyParserOutcome(e.type, e.status ?? e.statusCode) ?? outcomes.internal());
    res.locals.logFields = { ...res.locals.logFields, errorCode: spec.code };
    if (spec.status >= 500) {
      // Logged with the request id; the message may quote internals, so it stays in the log only.
      (res.locals.log ?? logger).error({ err: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err), path: loggablePath(req.originalUrl) }, 'unhandled error');
    }
    if (res.headersSent) {
      // An answer already went out (e.g. the request deadline's 503); cut one that is half sent.
      if (!res.writableEnded) req.socket.destroy();
      return;
    }
    sendOutcome(res, spec);
  };
}
