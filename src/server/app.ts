/**
 * The express app of the CDS service, built from injected dependencies (config, logger, clock, FHIR
 * transport, card memory, engine) so tests, the CLI and the demo assemble the same thing.
 *
 * Order of middleware (hardening from src/security/hardening.ts; see docs/security.md "Wiring"):
 *   request id + log line -> security headers -> request deadline -> CORS (answers every preflight)
 *   -> /health, /ready (health.ts)
 *   /cds-services: per-client rate limit -> source-attributes page (public, linked from cards)
 *     -> JWT auth -> per-issuer rate limit -> service (raw body; parsed inline or in the worker pool)
 *     | JSON body -> depth limit -> discovery | feedback
 *   routers (embedded FHIR at /fhir, /metrics, demo page at /) -> 404 -> error handler
 * Every refusal before the body is read (429, 401) costs no JSON parsing.
 */
import express, { type RequestHandler } from 'express';
import { renderSourceAttributesHtml, sourceAttributesFor } from '../cards/index.js';
import type { AppConfig } from '../config/types.js';
import type { CardMemory } from '../feedback/types.js';
import type { FetchFn } from '../fhir/http.js';
import type { OutboundUrlPolicy } from '../fhir/urlPolicy.js';
import { defaultHooksDir, loadServiceDefinitions, type ServiceDefinition } from '../hooks/index.js';
import { jsonDepthLimit, perClientRateLimit, perIssuerRateLimit, requestTimeout, securityHeaders } from '../security/hardening.js';
import { createJwtAuth } from '../security/jwt.js';
import { insecureLoopbackAllowed } from '../security/fhirServerGuard.js';
import type { ReplayStore } from '../security/replayStore.js';
import { realEngine, type Engine } from './engine.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { feedbackHandler } from './feedback.js';
import { healthRouter, type Readiness } from './health.js';
import { cors } from './cors.js';
import { discoveryEntry } from './hooks.js';
import { JSON_MEDIA_TYPES } from './json.js';
import { requestLogging, type Logger } from './logger.js';
import type { ServerObserver } from './observer.js';
import { fixedOutboundFetch, guardedOutboundFetch } from './outbound.js';
import { OperationOutcomeError, outcomes } from '../http/outcomes.js';
import type { RequestPool } from './requestPool.js';
import { rawJsonBody, type LargeBodyGate } from './rawBody.js';
import { createBodyBuffers } from './bodyBuffers.js';
import { DEFAULT_INLINE_BELOW_BYTES } from './requestPool.js';
import { serviceCallHandler, type OutboundFetchFactory } from './serviceCall.js';

/** Reused body buffers stop here (at most 16 kept per size class), whatever the inline limit. */
const MAX_REUSED_BODY_BYTES = 1024 * 1024;

export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  cardMemory?: CardMemory;
  /** Clock; default `() => new Date()`. The engine gets its `now` from here only. */
  now?: () => Date;
  /** Plain transport for FHIR reads (tests, CLI). Without it the security guard's pinned fetch is used. */
  fetch?: FetchFn;
  /** Full override of the per-call transport factory (wins over `fetch`). */
  outboundFetch?: OutboundFetchFactory;
  /** Extra outbound-URL rule checked before every read; default: https, or http on loopback when allowed. */
  urlPolicy?: OutboundUrlPolicy;
  /** Clinical pipeline override (protocol tests); default the real features -> criteria -> cards. */
  engine?: Engine;
  /** Directory of the service definitions; default `<project>/hooks`. */
  hooksDir?: string;
  /** JWT verification on discovery, service and feedback calls; default `createJwtAuth(config.auth, ...)` (a no-op when auth is off). */
  auth?: RequestHandler;
  /** Seen-jti store of the default auth (shared database in production); default in-process memory. */
  replayStore?: ReplayStore;
  /** Mounted after the CDS routes, in order: e.g. `{ path: '/fhir', handler: embedded.router }`, metrics, demo. */
  routers?: { path: string; handler: RequestHandler }[];
  observer?: ServerObserver;
  /** Check each response against the CDS Hooks response schema and log problems. */
  checkResponses?: boolean;
  /** Worker pool for the CPU work of large service calls (src/server/requestPool.ts); default: all inline. */
  requestPool?: RequestPool;
  /** Readiness checks answered on `GET /ready` besides the card memory's (e.g. the embedded FHIR server). */
  readiness?: Readiness;
}

export interface CdsApp extends express.Express {
  /** The services loaded from hooks/ (for registering metric labels, the demo page, tests). */
  readonly cdsServices: readonly ServiceDefinition[];
  /** The worker pool the service route uses, if any (closed at shutdown). */
  readonly requestPool?: RequestPool;
}

export function createApp(deps: AppDeps): CdsApp {
  const { config, logger } = deps;
  const definitions = loadServiceDefinitions(deps.hooksDir ?? defaultHooksDir());
  const services = new Map(definitions.map((d) => [d.id, d]));
  const discoveryBody = { services: definitions.map(discoveryEntry) };
  const now = deps.now ?? (() => new Date());
  const outboundFetch = deps.outboundFetch ?? (deps.fetch ? fixedOutboundFetch(deps.fetch) : guardedOutboundFetch(config));
  const auth =
    deps.auth ??
    createJwtAuth(config.auth, {
      logger,
      ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
      ...(deps.replayStore ? { replayStore: deps.replayStore } : {}),
      jwksGuard: { allowLoopback: insecureLoopbackAllowed(config) },
    });

  const app = express() as unknown as CdsApp;
  Object.defineProperty(app, 'cdsServices', { value: definitions, enumerable: false });
  app.disable('x-powered-by');
  // Validated in src/config: false, a hop count or proxy addresses; never "trust everyone".
  app.set('trust proxy', config.trustProxy ?? false);
  app.set('etag', false);
  app.use(requestLogging(logger));
  app.use(securityHeaders());
  app.use(requestTimeout(config.requestTimeoutMs));
  app.use(cors(config.cors.origins));

  // The one /health and /ready (health.ts): live while the card memory is usable; /ready adds the composition's checks.
  const cardMemory = deps.cardMemory;
  app.use(
    healthRouter({
      live: () => (cardMemory ? cardMemory.isReady() : true),
      readiness: () => ({ ...(cardMemory ? { cardMemory: cardMemory.isReady() } : {}), ...deps.readiness?.() }),
    }),
  );

  const cds = express.Router();
  cds.use(perClientRateLimit(config));
  // Opened by clinicians from a card link (a plain navigation, no JWT): public, like the discovery text.
  cds.get('/:id/source-attributes', (req, res) => {
    const entry = services.has(String(req.params.id)) ? sourceAttributesFor(String(req.params.id)) : undefined;
    if (!entry) throw new OperationOutcomeError(outcomes.unknownService(String(req.params.id)));
    res.locals.logFields = { ...res.locals.logFields, serviceId: entry.serviceId };
    res.status(200).type('html').set('Cache-Control', 'public, max-age=3600').send(renderSourceAttributesHtml(entry));
  });
  cds.use(auth);
  cds.use(perIssuerRateLimit(config));
  // Service calls take the raw body: parsing, like the rest of their CPU work, may run in a worker (serviceCall.ts).
  // Bodies that stay on this thread are read into reused buffers; those for the pool get their own.
  const bodyBuffers = createBodyBuffers({ maxBytes: Math.min((deps.requestPool?.inlineBelowBytes ?? DEFAULT_INLINE_BELOW_BYTES) - 1, MAX_REUSED_BODY_BYTES) });
  cds.post(
    '/:id',
    rawJsonBody(
      config.bodyLimitBytes,
      bodyBuffers,
      // Bodies for the pool are read only when a worker is about to need them (bodyAdmission.ts).
      deps.requestPool ? requestPoolGate(deps.requestPool) : undefined,
    ),
    serviceCallHandler({
      config,
      services,
      engine: deps.engine ?? realEngine,
      now,
      outboundFetch,
      ...(deps.urlPolicy ? { policy: deps.urlPolicy } : {}),
      ...(deps.cardMemory ? { cardMemory: deps.cardMemory } : {}),
      ...(deps.observer ? { observer: deps.observer } : {}),
      ...(deps.checkResponses ? { checkResponses: true } : {}),
      ...(deps.requestPool ? { pool: deps.requestPool } : {}),
      bodyBuffers,
    }),
  );
  cds.use(express.json({ limit: config.bodyLimitBytes, type: JSON_MEDIA_TYPES, strict: true }));
  cds.use(jsonDepthLimit(config.maxJsonDepth));
  cds.get('/', (_req, res) => {
    res.locals.logFields = { ...res.locals.logFields, serviceId: 'discovery' };
    res.status(200).json(discoveryBody);
  });
  cds.post(
    '/:id/feedback',
    feedbackHandler({
      services,
      now,
      ...(deps.cardMemory ? { cardMemory: deps.cardMemory } : {}),
      ...(deps.observer ? { observer: deps.observer } : {}),
    }),
  );
  app.use('/cds-services', cds);

  for (const { path, handler } of deps.routers ?? []) app.use(path, handler);
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

function requestPoolGate(pool: RequestPool): LargeBodyGate {
  return { fromBytes: pool.inlineBelowBytes, admission: pool.admission, busy: () => new OperationOutcomeError(outcomes.busy(pool.retryAfterSeconds)) };
}
