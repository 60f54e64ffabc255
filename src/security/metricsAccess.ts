/**
 * Who may read /metrics: with `metrics.token`, only a request carrying `Authorization: Bearer <token>`
 * (compared in constant time); without one (demo/test, or when the separate loopback port serves the
 * metrics) anyone who can reach the route. Production refuses to start with /metrics open on the main port.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { AppConfig } from '../config/types.js';
import { operationOutcome } from '../http/outcomes.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export function metricsAccess(metrics: Pick<AppConfig['metrics'], 'token'>): RequestHandler {
  const token = metrics.token;
  if (!token) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, res, next) => {
    const match = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '');
    if (match?.[1] && timingSafeEqual(digest(match[1]), expected)) return next();
    res.status(401).set('WWW-Authenticate', 'Bearer').type('application/json').json(operationOutcome({ code: 'unauthorized', issueType: 'login', message: 'Unauthorized' }));
  };
}
