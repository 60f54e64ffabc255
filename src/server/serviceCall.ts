/**
 * POST /cds-services/{id}: validate the hook request, gather the FHIR data (prefetch first), run the
 * engine, let the card memory drop repeats, answer `{"cards": [...]}`. Every refusal is an
 * OperationOutcome: 400 bad request, 404 unknown service, 412 required data unobtainable.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { ValidateFunction } from 'ajv';
import type { CardContext } from '../cards/index.js';
import type { CdsCard } from '../cards/cdsHooks.js';
import type { AppConfig } from '../config/types.js';
import type { CardMemory, HookScope } from '../feedback/types.js';
import { callerScope } from './callerScope.js';
import { gatherPatientData, type GatherResult } from '../fhir/gather.js';
import type { FetchFn } from '../fhir/http.js';
import type { HookContextLike } from '../fhir/templates.js';
import { defaultUrlPolicy, type OutboundUrlPolicy } from '../fhir/urlPolicy.js';
import type { Engine } from './engine.js';
import { SUPPORTED_HOOKS, type ServiceDefinition, type SupportedHook } from '../hooks/index.js';
import { OperationOutcomeError, outcomes } from './outcomes.js';
import { ajv, describeErrors } from './schemas/ajv.js';
import { checkCdsResponse } from './schemas/response.js';
import { hookRequestSchema, type HookRequest } from './schemas/request.js';
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
}

const validators = new Map<SupportedHook, ValidateFunction<HookRequest>>(
  SUPPORTED_HOOKS.map((hook) => [hook, ajv.compile<HookRequest>(hookRequestSchema(hook))]),
);

export function serviceCallHandler(deps: ServiceCallDeps): RequestHandler {
  const policy = deps.policy ?? defaultUrlPolicy({ allowInsecureLoopback: deps.config.fhir.allowInsecureLoopback });

  return async (req: Request, res: Response) => {
    const started = process.hrtime.bigint();
    const id = String(req.params.id);
    const service = deps.services.get(id);
    res.locals.logFields = { ...res.locals.logFields, serviceId: service ? id : 'unknown' };
    let status = 500;
    let cardsOut: CdsCard[] = [];
    try {
      if (!service) throw new OperationOutcomeError(outcomes.unknownService(id));
      const request = validateRequest(req, service);
      res.locals.logFields = { ...res.locals.logFields, hook: request.hook, hookInstance: request.hookInstance.slice(0, 100) };

      const fhirStarted = Date.now();
      const caller = (res.locals as Record<string, unknown>).auth as CallerInfo | undefined;
      const gathered = await gatherPatientData(
        {
          templates: service.prefetch ?? {},
          context: request.context as HookContextLike,
          ...(request.prefetch ? { prefetch: request.prefetch } : {}),
          ...(request.fhirServer ? { fhirServer: request.fhirServer } : {}),
          ...(request.fhirAuthorization ? { accessToken: request.fhirAuthorization.access_token } : {}),
        },
        {
          fetch: request.fhirServer ? deps.outboundFetch({ fhirServer: request.fhirServer, caller }) : unusedFetch,
          limits: deps.config.fhir,
          policy,
          ...(deps.observer?.fhirRequest ? { observe: deps.observer.fhirRequest } : {}),
        },
      );
      res.locals.logFields = { ...res.locals.logFields, fhirMs: Date.now() - fhirStarted, data: dataSources(gathered), partial: gathered.missing.length > 0 };
      // The request deadline (src/security/hardening.ts requestTimeout) has already answered 503.
      if (res.headersSent) {
        status = res.statusCode;
        return;
      }
      if (gathered.unavailableRequired.length > 0) throw new OperationOutcomeError(preconditionFailed(gathered));

      const now = deps.now().toISOString();
      // Card memory scope: verified issuer and tenant, then patient, user and encounter from the hook context.
      const scope: HookScope = {
        ...callerScope(res),
        patientId: request.context.patientId,
        ...(request.context.userId ? { userId: request.context.userId } : {}),
        ...(request.context.encounterId ? { encounterId: request.context.encounterId } : {}),
      };
      const pendingOrders = deps.cardMemory ? await deps.cardMemory.pendingOrders({ scope, now }) : [];
      const ctx: CardContext = {
        serviceId: service.id,
        patientId: request.context.patientId,
        now,
        ...(deps.config.timelineBaseUrl ? { timelineBaseUrl: deps.config.timelineBaseUrl } : {}),
        serviceBaseUrl: serviceBaseUrl(req, deps.config),
        // The SMART timeline app this service serves (src/smart/appRouter.ts); cards link to it with type "smart".
        smartAppLaunchUrl: `${serviceBaseUrl(req, deps.config)}/app/launch.html`,
        thresholds: deps.config.thresholds,
        ...(deps.config.site?.timeZone ? { siteTimeZone: deps.config.site.timeZone } : {}),
        ...(gathered.missing.length > 0 ? { partialData: { missing: gathered.missing } } : {}),
        ...(pendingOrders.length > 0 ? { pendingOrders } : {}),
      };
      const cards =
        service.hook === 'order-select'
          ? deps.engine({
              hook: 'order-select',
              data: gathered.data,
              ctx: { ...ctx, selections: request.context.selections ?? [], draftOrders: request.context.draftOrders ?? { resourceType: 'Bundle', type: 'collection' } },
            })
          : deps.engine({ hook: 'patient-view', data: gathered.data, ctx });
      cardsOut = deps.cardMemory ? await deps.cardMemory.filterAndRecord({ scope, serviceId: service.id, now, cards }) : cards;
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
      status = e instanceof OperationOutcomeError ? e.spec.status : 500;
      throw e;
    } finally {
      deps.observer?.serviceCall?.({ serviceId: service ? id : 'unknown', status, seconds: Number(process.hrtime.bigint() - started) / 1e9, cards: cardsOut });
    }
  };
}

const unusedFetch: FetchFn = () => Promise.reject(new Error('no fhirServer'));

function validateRequest(req: Request, service: ServiceDefinition): HookRequest {
  const body: unknown = req.body;
  if (body === undefined) throw new OperationOutcomeError(outcomes.unsupportedMediaType());
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OperationOutcomeError(outcomes.invalidRequest('Request body must be a JSON object'));
  }
  const hook = (body as { hook?: unknown }).hook;
  if (typeof hook === 'string' && hook !== service.hook) {
    throw new OperationOutcomeError(outcomes.invalidRequest(`Service ${service.id} answers hook ${service.hook}, not ${hook.slice(0, 50)}`, ['hook']));
  }
  const validate = validators.get(service.hook);
  if (!validate) throw new OperationOutcomeError(outcomes.invalidRequest(`hook ${service.hook} not supported`));
  if (!validate(body)) {
    const { message, paths } = describeErrors(validate.errors);
    throw new OperationOutcomeError(outcomes.invalidRequest(`Invalid CDS Hooks request: ${message}`, paths));
  }
  return body;
}

function preconditionFailed(g: GatherResult): ReturnType<typeof outcomes.preconditionFailed> {
  const reasons = g.items
    .filter((i) => g.unavailableRequired.includes(i.key))
    .map((i) => `${i.key} (${i.reason ?? 'unavailable'})`)
    .join('; ');
  return outcomes.preconditionFailed(
    `Required FHIR data could not be obtained from prefetch or fhirServer: ${reasons}`,
    g.unavailableRequired.map((k) => `prefetch.${k}`),
  );
}

function dataSources(g: GatherResult): Record<string, string> {
  return Object.fromEntries(g.items.map((i) => [i.key, i.incomplete ? `${i.source}:incomplete` : i.source]));
}

function serviceBaseUrl(req: Request, config: AppConfig): string {
  return (config.publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? `localhost:${config.port}`}`).replace(/\/+$/, '');
}
