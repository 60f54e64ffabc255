/**
 * HTTP hardening around the CDS service: security headers, rate limits, JSON depth limit, request
 * timeouts. Every refusal is an OperationOutcome, never an HTML error page.
 *
 * Mount order (src/server/app.ts; docs/security.md "Wiring"):
 *   1. securityHeaders()              every response, errors included, carries the headers
 *   2. requestTimeout(ms)             starts the clock before any work; never hangs
 *   3. CORS (src/server)              answers preflights; makes 429/401 answers readable by browser clients
 *   4. perClientRateLimit(config)     by client address, before the (costly) JWT verification; anonymous
 *                                     and failed-auth requests in separate buckets
 *   5. createJwtAuth(...)             on discovery, service and feedback routes (src/security/jwt.ts)
 *   6. perIssuerRateLimit(config)     needs the verified issuer from step 5
 *   7. express.json({ limit })        (src/server) only once the caller is known and within its limits
 *   8. jsonDepthLimit(maxJsonDepth)   right after parsing
 *   9. routes
 */
import type { Server } from 'node:http';
import type { RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { OperationOutcome } from 'fhir/r4';
import type { AppConfig } from '../config/types.js';
import { ERROR_CODE_SYSTEM } from '../http/outcomes.js';
import { claimedTrustedIssuer, verifiedCaller } from './jwt.js';

function outcome(code: string, issueType: 'throttled' | 'timeout' | 'too-long', message: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: issueType, details: { coding: [{ system: ERROR_CODE_SYSTEM, code }], text: message } }],
  };
}

/**
 * CSP for a JSON API plus the same-origin demo page: scripts, styles, fonts and fetches from this
 * origin only (no CDN, no inline script or style), images also as data: URLs (chart export), no
 * framing, no plugins.
 */
export const CONTENT_SECURITY_POLICY: Record<string, string[]> = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    referrerPolicy: { policy: 'no-referrer' },
    // API answers are read cross-origin through CORS, which CORP does not affect; no-cors embedding is refused.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

/** 429 answer shared by both limiters. */
function tooManyRequests(res: Response): void {
  res.status(429).type('application/json').json(outcome('rate-limited', 'throttled', 'Too many requests'));
}

/**
 * Pre-authentication limits per client address (config.rateLimit.perClient; 0 turns them off, e.g. for
 * the benchmark), counted in two separate buckets so anonymous traffic cannot starve a trusted client:
 *   - anonymous: requests without a bearer token naming a trusted issuer (no token, junk, unknown iss);
 *   - failed auth: requests naming a trusted issuer whose token then fails verification. Requests that
 *     authenticate are not counted here (they count per issuer, perIssuerRateLimit, after auth).
 * The client address is req.ip: set `trustProxy` behind a TLS proxy, or every client shares the
 * proxy's address (docs/security.md "Behind a TLS-terminating proxy").
 */
export function perClientRateLimit(config: Pick<AppConfig, 'rateLimit'> & { auth?: Pick<AppConfig['auth'], 'required' | 'issuers'> }): RequestHandler {
  const { windowMs, perClient } = config.rateLimit;
  if (perClient <= 0) return (_req, _res, next) => next();
  const trusted = new Set(config.auth?.required ? config.auth.issuers.map((i) => i.iss) : []);
  const claimsTrusted = (res: Response): boolean => (res.locals as Record<string, unknown>)[CLAIMED_ISSUER_KEY] !== undefined;
  const common = { windowMs, limit: perClient, standardHeaders: 'draft-8', legacyHeaders: false, handler: (_req: unknown, res: Response) => tooManyRequests(res) } as const;
  // Default key: the client address (req.ip; IPv6 grouped by /56).
  const anonymous = rateLimit({ ...common, identifier: 'anonymous', skip: (_req, res) => claimsTrusted(res) });
  const failedAuth = rateLimit({
    ...common,
    identifier: 'failed-auth',
    skip: (_req, res) => !claimsTrusted(res),
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => verifiedCaller(res) !== undefined,
  });
  return (req, res, next) => {
    (res.locals as Record<string, unknown>)[CLAIMED_ISSUER_KEY] = claimedTrustedIssuer(req, trusted);
    void anonymous(req, res, (error?: unknown) => (error ? next(error) : void failedAuth(req, res, next)));
  };
}

const CLAIMED_ISSUER_KEY = 'claimedIssuer';

/** Requests per verified issuer per window; mount after createJwtAuth. Skips unauthenticated calls. */
export function perIssuerRateLimit(config: Pick<AppConfig, 'rateLimit'>): RequestHandler {
  const { windowMs, perIssuer } = config.rateLimit;
  if (perIssuer <= 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs,
    limit: perIssuer,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'per-issuer',
    skip: (_req, res) => verifiedCaller(res) === undefined,
    keyGenerator: (_req, res) => `iss:${verifiedCaller(res)?.issuer.iss ?? ''}`,
    handler: (_req, res) => tooManyRequests(res),
  });
}

/** True when `value` nests objects/arrays no deeper than `maxDepth` (a scalar is depth 0, `{}` is 1). Iterative: a hostile body cannot overflow the stack. */
export function withinJsonDepth(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > maxDepth) return false;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return true;
}

/** 400 when the parsed JSON body nests deeper than `maxDepth`; mount right after express.json. */
export function jsonDepthLimit(maxDepth: number): RequestHandler {
  return (req, res, next) => {
    if (withinJsonDepth(req.body, maxDepth)) return next();
    res.status(400).type('application/json').json(outcome('json-too-deep', 'too-long', `Request body nests deeper than ${maxDepth} levels`));
  };
}

/** Property of `res.locals` holding an AbortSignal that fires when the request timed out. */
export const REQUEST_SIGNAL_KEY = 'requestSignal';

/**
 * Whole-request deadline: after `ms` the client gets a 503 OperationOutcome (or, if an answer had
 * already started, the connection is closed) and `res.locals.requestSignal` aborts so FHIR work can
 * stop. Handlers should check `res.headersSent` before answering late.
 */
export function requestTimeout(ms: number): RequestHandler {
  return (_req, res, next) => {
    const controller = new AbortController();
    (res.locals as Record<string, unknown>)[REQUEST_SIGNAL_KEY] = controller.signal;
    const timer = setTimeout(() => {
      controller.abort();
      if (!res.headersSent) {
        res.status(503).set('Retry-After', '1').type('application/json').json(outcome('request-timeout', 'timeout', 'The request took too long'));
      } else if (!res.writableEnded) {
        res.destroy();
      }
    }, ms);
    const clear = (): void => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}

/** Node server limits so a slow client cannot hold a connection open (slowloris). */
export function applyServerTimeouts(server: Server, config: Pick<AppConfig, 'requestTimeoutMs'>): void {
  server.headersTimeout = 15_000;
  server.requestTimeout = config.requestTimeoutMs + 5_000;
  server.keepAliveTimeout = 5_000;
}
