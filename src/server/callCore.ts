/**
 * The CPU work of one hook call, from the request bytes to the cards: JSON parse, nesting-depth check,
 * schema validation, data gathering (prefetch first) and the engine. One code path, run on the main
 * thread for small bodies and in a worker thread (requestWorker.ts) for large ones; the parsed body
 * lives only inside this function, so no copy of the prefetch outlives the evaluation.
 */
import type { CdsCard } from '../cards/cdsHooks.js';
import type { CardContext } from '../cards/index.js';
import type { MessagePort } from 'node:worker_threads';
import type { PendingOrder } from '../feedback/types.js';
import type { FhirAccessLimits } from '../config/types.js';
import { gatherPatientData, type GatherResult } from '../fhir/gather.js';
import type { FetchFn, FhirRequestObserver } from '../fhir/http.js';
import type { OutboundUrlPolicy } from '../fhir/urlPolicy.js';
import { SUPPORTED_HOOKS, type SupportedHook } from '../hooks/index.js';
import type { Engine } from './engine.js';
import { bodyText, textWithinJsonDepth } from './jsonText.js';
import { OperationOutcomeError, outcomes, type OutcomeSpec } from '../http/outcomes.js';
import { ajv, describeErrors } from './schemas/ajv.js';
import { hookRequestSchema, type HookRequest } from './schemas/request.js';
import type { RequestLogFields } from './logger.js';

/** Everything the CPU work needs; plain data, so it can be posted to a worker. */
export interface CallTask {
  /** The raw request body (UTF-8 JSON). */
  bytes: Uint8Array;
  service: { id: string; hook: SupportedHook; prefetch?: Record<string, string> };
  /** Evaluation time, ISO 8601. */
  now: string;
  maxJsonDepth: number;
  /** Whether the bytes nest at most maxJsonDepth deep, when the caller has already checked (serviceCall.ts, for worker calls). */
  withinJsonDepth?: boolean;
  fhirLimits: FhirAccessLimits;
  thresholds: Record<string, number>;
  timelineBaseUrl?: string;
  serviceBaseUrl: string;
  smartAppLaunchUrl?: string;
  siteTimeZone?: string;
  thresholdApproval?: { by: string; date: string };
}

/** A task as posted to a worker: the port answers the card-memory lookup from the main thread. */
export interface WorkerTask extends CallTask {
  memoryPort?: MessagePort;
}

/** The request's patient, user and encounter: the card memory's scope below the issuer and tenant. */
export interface PatientIds {
  patientId: string;
  userId?: string;
  encounterId?: string;
}

export type CallLogFields = Pick<RequestLogFields, 'hook' | 'hookInstance' | 'fhirMs' | 'data' | 'partial'>;

export type CallResult =
  | { kind: 'cards'; cards: CdsCard[]; ids: PatientIds; log: CallLogFields }
  | { kind: 'refused'; spec: OutcomeSpec; log: CallLogFields }
  /** The request names data only the FHIR server has: the caller must run it where the transport lives. */
  | { kind: 'needs-fhir' }
  /** The request deadline fired while the FHIR data was being read; nothing left to answer. */
  | { kind: 'abandoned' };

/** Where FHIR reads go and how the cards are made. */
export interface CallIO {
  engine: Engine;
  fetchFor: (fhirServer: string) => FetchFn;
  policy: OutboundUrlPolicy;
  observe?: FhirRequestObserver;
  signal?: AbortSignal;
  /** Lab orders accepted from our suggestions and still pending (card memory); read while the data is gathered. */
  pendingOrders?: (ids: PatientIds) => Promise<PendingOrder[]>;
}

const validators = new Map(SUPPORTED_HOOKS.map((hook) => [hook, ajv.compile<HookRequest>(hookRequestSchema(hook))]));

export async function runServiceCall(task: CallTask, io: CallIO): Promise<CallResult> {
  const log: CallLogFields = {};
  try {
    const request = validateRequest(parseBody(task), task.service);
    log.hook = request.hook;
    log.hookInstance = request.hookInstance.slice(0, 100);

    const ids: PatientIds = {
      patientId: request.context.patientId,
      ...(request.context.userId ? { userId: request.context.userId } : {}),
      ...(request.context.encounterId ? { encounterId: request.context.encounterId } : {}),
    };
    const pending = io.pendingOrders ? io.pendingOrders(ids) : Promise.resolve([]);
    // Settled here so a rejection is never unhandled while the FHIR data is being read.
    pending.catch(() => undefined);
    const fhirStarted = Date.now();
    const gathered = await gatherPatientData(
      {
        templates: task.service.prefetch ?? {},
        context: request.context,
        ...(request.prefetch ? { prefetch: request.prefetch } : {}),
        ...(request.fhirServer ? { fhirServer: request.fhirServer } : {}),
        ...(request.fhirAuthorization ? { accessToken: request.fhirAuthorization.access_token } : {}),
      },
      {
        fetch: request.fhirServer ? io.fetchFor(request.fhirServer) : unusedFetch,
        limits: task.fhirLimits,
        policy: io.policy,
        ...(io.observe ? { observe: io.observe } : {}),
      },
    );
    if (needsFhir.has(io.policy)) return { kind: 'needs-fhir' };
    log.fhirMs = Date.now() - fhirStarted;
    log.data = dataSources(gathered);
    log.partial = gathered.missing.length > 0;
    if (io.signal?.aborted) return { kind: 'abandoned' };
    if (gathered.unavailableRequired.length > 0) return { kind: 'refused', spec: preconditionFailed(gathered), log };

    const pendingOrders = await pending;
    const ctx: CardContext = {
      serviceId: task.service.id,
      patientId: request.context.patientId,
      now: task.now,
      ...(task.timelineBaseUrl ? { timelineBaseUrl: task.timelineBaseUrl } : {}),
      serviceBaseUrl: task.serviceBaseUrl,
      ...(task.smartAppLaunchUrl ? { smartAppLaunchUrl: task.smartAppLaunchUrl } : {}),
      ...(task.siteTimeZone ? { siteTimeZone: task.siteTimeZone } : {}),
      ...(task.thresholdApproval ? { thresholdApproval: task.thresholdApproval } : {}),
      thresholds: task.thresholds,
      ...(gathered.missing.length > 0 ? { partialData: { missing: gathered.missing } } : {}),
      ...(pendingOrders.length > 0 ? { pendingOrders } : {}),
    };
    const cards =
      task.service.hook === 'order-select'
        ? io.engine({
            hook: 'order-select',
            data: gathered.data,
            ctx: { ...ctx, selections: request.context.selections ?? [], draftOrders: request.context.draftOrders ?? { resourceType: 'Bundle', type: 'collection' } },
          })
        : io.engine({ hook: 'patient-view', data: gathered.data, ctx });
    return { kind: 'cards', cards, ids, log };
  } catch (e) {
    if (e instanceof OperationOutcomeError) return { kind: 'refused', spec: e.spec, log };
    throw e;
  }
}

/**
 * A policy that lets no FHIR read through and remembers that one was wanted: a worker has no
 * transport (the security guard's pinned fetch, the tests' stubs live on the main thread), so a
 * request that needs the FHIR server is handed back to the main thread instead.
 */
export function refuseFhirPolicy(): OutboundUrlPolicy {
  const policy: OutboundUrlPolicy = () => {
    needsFhir.add(policy);
    return { allowed: false, reason: 'no FHIR transport in this thread' };
  };
  return policy;
}
const needsFhir = new WeakSet<OutboundUrlPolicy>();

const unusedFetch: FetchFn = () => Promise.reject(new Error('no fhirServer'));

/** JSON text -> value, as body-parser's strict mode does it: empty is `{}`, only an object or array at the top. */
function parseBody({ bytes, maxJsonDepth: maxDepth, withinJsonDepth }: CallTask): unknown {
  const text = bodyText(bytes);
  if (text.length === 0) return {};
  // JSON whitespace (RFC 8259): space, tab, line feed, carriage return.
  // eslint-disable-next-line no-control-regex
  const first = /^[\x20\x09\x0a\x0d]*(.)/s.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw new OperationOutcomeError(outcomes.malformedJson());
  // The depth is read from the text before parsing; a body that is both too deep and not JSON is
  // refused as malformed, as when the parsed value was walked.
  const deep = !(withinJsonDepth ?? textWithinJsonDepth(text, maxDepth));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OperationOutcomeError(outcomes.malformedJson());
  }
  if (deep) throw new OperationOutcomeError(outcomes.tooDeep(maxDepth));
  return value;
}

function validateRequest(body: unknown, service: CallTask['service']): HookRequest {
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

function preconditionFailed(g: GatherResult): OutcomeSpec {
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
