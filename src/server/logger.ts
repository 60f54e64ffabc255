/**
 * Structured JSON logging (pino). One line per request: request id, method, path without query, status,
 * duration, and for service calls the service id and hookInstance. Never logged: tokens, patient ids,
 * request or response bodies, query strings (FHIR URLs carry patient ids). Redaction is a second fence.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'iec-hs-cds' },
      redact: {
        paths: ['authorization', '*.authorization', 'access_token', '*.access_token', 'fhirAuthorization', '*.fhirAuthorization', 'token', '*.token'],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}

/** What the service route adds to the request's log line. */
export interface RequestLogFields {
  serviceId?: string;
  hookInstance?: string;
  hook?: string;
  cards?: number;
  partial?: boolean;
  /** Per data item: where it came from (prefetch / fhir / unavailable), never the data itself. */
  data?: Record<string, string>;
  fhirMs?: number;
  /** Stable error code of a 4xx/5xx OperationOutcome. */
  errorCode?: string;
}

declare module 'express-serve-static-core' {
  interface Locals {
    requestId?: string;
    log?: Logger;
    logFields?: RequestLogFields;
  }
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Assigns a request id (echoed as X-Request-Id), a child logger, and logs one line when the response ends. */
export function requestLogging(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const started = process.hrtime.bigint();
    res.locals.requestId = requestId;
    res.locals.log = logger.child({ reqId: requestId });
    res.locals.logFields = {};
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const status = res.statusCode;
      const line = { method: req.method, path: loggablePath(req.originalUrl), status, durationMs: Math.round(durationMs * 10) / 10, ...res.locals.logFields };
      const log = res.locals.log ?? logger;
      if (status >= 500) log.error(line, 'request failed');
      else log.info(line, 'request');
    });
    next();
  };
}

/**
 * Path without query string; below /fhir only the resource type is kept (ids there are patient data).
 * Service ids in /cds-services/{id} are not patient data and are kept.
 */
export function loggablePath(originalUrl: string): string {
  const path = (originalUrl.split('?')[0] ?? '').slice(0, 200);
  const fhir = /^(\/fhir)(\/[^/]*)?/.exec(path);
  if (fhir) return `${fhir[1]}${fhir[2] ?? ''}${path.length > fhir[0].length ? '/…' : ''}`;
  return path;
}
