/**
 * POST /cds-services/{id}: validate the hook request, gather the FHIR data (prefetch first), run the
 * engine, let the card memory drop repeats, answer `{"cards": [...]}`. Every refusal is an
 * OperationOutcome: 400 bad request, 404 unknown service, 412 required data unobtainable, 503 busy.
 * The CPU work (callCore.ts) runs inline for small bodies and in the worker pool for large ones.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { CdsCard } from '../cards/cdsHooks.js';
import type { AppConfig } from '../config/types.js';
import type { CardMemory, HookScope, PendingOrder } from '../feedback/types.js';
import { callerScope } from './callerScope.js';
import type { FetchFn } from '../fhir/http.js';
import { defaultUrlPolicy, type OutboundUrlPolicy } from '../fhir/urlPolicy.js';
import type { ServiceDefinition } from '../hooks/index.js';
import { REQUEST_SIGNAL_KEY } from '../security/hardening.js';
import { runServiceCall, type CallIO, type CallResult, type CallTask, type PatientIds } from './callCore.js';
import { realEngine, type Engine } from './engine.js';
import { OperationOutcomeError, outcomes } from '../http/outcomes.js';
import type { RequestPool } from './requestPool.js';
import type { BodyBuffers } from './bodyBuffers.js';
import { bytesWithinJsonDepth } from './jsonText.js';
import { checkCdsResponse } from './schemas/response.js';
import { smartAppLaunchUrlFor } from '../cards/index.js';
import type { ServerObserver } from './observer.js';

/** Who called, as the auth middleware verified it (res.locals.auth); handed to the outbound fetch factory. */
export interface CallerInfo {
  issuer?: unknown;
  tenant?: string;
}

/** Builds the transport for one hook call's FHIR reads (e.g. the security guard's pinned fetch). */
export type OutboundFetchFactory = (args: { fhirServer: string; caller: CallerInfo | undefined }) => FetchFn;

export interface ServiceCallDeps {
  config: AppConfig;
  services: Map<string, ServiceDefinition>;
  engine: Engine;
  now: () => Date;
  outboundFetch: OutboundFetchFactory;
  policy?: OutboundUrlPolicy;
  cardMemory?: CardMemory;
  observer?: ServerObserver;
  /** Check every response against the CDS Hooks response schema and log problems (development aid). */
  checkResponses?: boolean;
  /** Worker pool for large bodies; without it every call runs inline. */
  pool?: RequestPool;
  /** Where the raw body reader's reused buffers go back once the body has been read (rawBody.ts). */
  bodyBuffers?: BodyBuffers;
}

export function serviceCallHandler(deps: ServiceCallDeps): RequestHandler {
  const policy = deps.policy ?? defaultUrlPolicy({ allowInsecureLoopback: deps.config.fhir.allowInsecureLoopback });
  // Only the real engine runs in a worker (an injected one is a function of this thread).
  const pool = deps.engine === realEngine ? deps.pool : undefined;

  return async (req: Request, res: Response) => {
    const started = process.hrtime.bigint();
    const id = String(req.params.id);
    const service = deps.services.get(id);
    res.locals.logFields = { ...res.locals.logFields, serviceId: service ? id : 'unknown' };
    let status = 500;
    let cardsOut: CdsCard[] = [];
    try {
      if (!service) throw new OperationOutcomeError(outcomes.unknownService(id));
      const bytes = requestBytes(req);
      // The body is the task's from here on: nothing on this thread keeps it past the evaluation.
      req.body = undefined;
      const caller = (res.locals as Record<string, unknown>).auth as CallerInfo | undefined;
      const signal = (res.locals as Record<string, unknown>)[REQUEST_SIGNAL_KEY] as AbortSignal | undefined;
      const task: CallTask = {
        bytes,
        service: { id: service.id, hook: service.hook, ...(service.prefetch ? { prefetch: service.prefetch } : {}) },
        now: deps.now().toISOString(),
        maxJsonDepth: deps.config.maxJsonDepth,
        fhirLimits: deps.config.fhir,
        thresholds: deps.config.thresholds,
        ...(deps.config.timelineBaseUrl ? { timelineBaseUrl: deps.config.timelineBaseUrl } : {}),
        serviceBaseUrl: serviceBaseUrl(req, deps.config),
        // The SMART timeline app this service serves (src/smart/appRouter.ts); cards link to it with type "smart".
        smartAppLaunchUrl: smartAppLaunchUrlFor(serviceBaseUrl(req, deps.config)),
        ...(deps.config.site?.timeZone ? { siteTimeZone: deps.config.site.timeZone } : {}),
        ...(deps.config.thresholdApproval ? { thresholdApproval: deps.config.thresholdApproval } : {}),
      };
      const memory = deps.cardMemory;
      // Card memory scope: the verified issuer and tenant here, patient/user/encounter from the request.
      const pendingOrders = memory
        ? (ids: PatientIds): Promise<PendingOrder[]> => memory.pendingOrders({ scope: { ...callerScope(res), ...ids }, now: task.now })
        : undefined;
      const io: CallIO = {
        ...(pendingOrders ? { pendingOrders } : {}),
        engine: deps.engine,
        fetchFor: (fhirServer) => deps.outboundFetch({ fhirServer, caller }),
        policy,
        ...(deps.observer?.fhirRequest ? { observe: deps.observer.fhirRequest } : {}),
        ...(signal ? { signal } : {}),
      };
      let result: CallResult;
      if (pool && bytes.byteLength >= pool.inlineBelowBytes) {
        // Checked here, where the event loop has time to spare, not in the busy worker (jsonText.ts).
        const checked: CallTask = { ...task, withinJsonDepth: bytesWithinJsonDepth(bytes, task.maxJsonDepth) };
        const fromWorker = await pool.run(checked, signal, pendingOrders);
        // A call that needs the FHIR server runs here, where the transport is.
        result = fromWorker instanceof Uint8Array ? await runServiceCall({ ...checked, bytes: fromWorker }, io) : fromWorker;
      } else {
        try {
          result = await runServiceCall(task, io);
        } finally {
          // Parsed at the start of the call; nothing reads the bytes after it.
          deps.bodyBuffers?.release(bytes);
        }
      }
      if (result.kind === 'cards' || result.kind === 'refused') res.locals.logFields = { ...res.locals.logFields, ...result.log };
      // The request deadline (src/security/hardening.ts requestTimeout) has already answered 503.
      if (result.kind === 'abandoned' || result.kind === 'needs-fhir' || res.headersSent) {
        status = res.statusCode;
        return;
      }
      if (result.kind === 'refused') throw new OperationOutcomeError(result.spec);

      const scope: HookScope = { ...callerScope(res), ...result.ids };
      const cards = result.cards;
      cardsOut = deps.cardMemory
        ? await deps.cardMemory.filterAndRecord({ scope, serviceId: service.id, now: task.now, cards, ...(task.siteTimeZone ? { timeZone: task.siteTimeZone } : {}) })
        : cards;
      if (res.headersSent) {
        status = res.statusCode;
        return;
      }
      const body = { cards: cardsOut };
      if (deps.checkResponses) {
        const problems = checkCdsResponse(body);
        if (problems.length > 0) res.locals.log?.warn({ serviceId: service.id, problems: problems.slice(0, 10) }, 'response does not conform');
      }
      status = 200;
      res.locals.logFields = { ...res.locals.logFields, cards: cardsOut.length };
      res.status(200).json(body);
    } catch (e) {
      if (e instanceof Error && e.name === 'AbortError' && res.headersSent) {
        status = res.statusCode;
        return;
      }
      status = e instanceof OperationOutcomeError ? e.spec.status : 500;
      throw e;
    } finally {
      deps.observer?.serviceCall?.({ serviceId: service ? id : 'unknown', status, seconds: Number(process.hrtime.bigint() - started) / 1e9, cards: cardsOut });
    }
  };
}

/** The raw JSON body (express.raw on this route); refuses other media types and charsets other than UTF-8. */
function requestBytes(req: Request): Uint8Array {
  const body: unknown = req.body;
  if (!(body instanceof Uint8Array)) throw new OperationOutcomeError(outcomes.unsupportedMediaType());
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
  if (charset !== 'utf-8' && charset !== 'utf8') throw new OperationOutcomeError(outcomes.unsupportedMediaType());
  return body;
}

function serviceBaseUrl(req: Request, config: AppConfig): string {
  return (config.publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? `localhost:${config.port}`}`).replace(/\/+$/, '');
}
