/**
 * Embedded FHIR R4 server: @medplum/fhir-router 4.5.2 + MemoryRepository behind an express 5
 * Router, for tests and the demo (never for patient data: in memory, not validated, transactions
 * not atomic). The wrapper adds what the router lacks (docs/architecture.md#embedded-fhir):
 * /metadata, bare-id reference search, POST _search with URL + form parameters, Bundle.link paging
 * with absolute URLs, both FHIR JSON media types, a large body limit for transactions, and 4xx
 * OperationOutcomes for bad input.
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { getStatus } from '@medplum/core';
import { FhirRouter } from '@medplum/fhir-router';
import type { HttpMethod } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome } from 'fhir/r4';
import { assertNoFailures, outcomeText, summarizeTransaction, TransactionError } from '../fixtures/transaction.js';
import type { TransactionSummary } from '../fixtures/transaction.js';
import { buildCapabilityStatement } from './capabilityStatement.js';
import { indexFhirDefinitions } from './definitions.js';
import { addPageLinks } from './paging.js';
import { normalizeSearch, SearchRejected } from './searchQuery.js';
import { SortingMemoryRepository } from './sortingRepository.js';
import type { PagingPolicy } from './searchQuery.js';

export type { PagingPolicy } from './searchQuery.js';
export type { TransactionSummary } from '../fixtures/transaction.js';

export interface EmbeddedFhirOptions extends PagingPolicy {
  /** Largest request body accepted (transactions of thousands of entries). Default 100mb. */
  bodyLimit?: string;
}

export interface EmbeddedFhir {
  /** Mount with `app.use('/fhir', fhir.router)` BEFORE any app-wide body parser with a smaller limit. */
  router: express.Router;
  repo: SortingMemoryRepository;
  /** Applies a transaction or batch Bundle in process; throws TransactionError if any entry failed. */
  loadBundle(bundle: Bundle): Promise<TransactionSummary>;
  /** True once the definitions are indexed and the router accepts requests. */
  readonly ready: boolean;
  /** Milliseconds this call took (the one-time indexing included the first time). */
  startupMs: number;
}

/** Request media types parsed as FHIR JSON (`application/json+fhir` is what the sandbox sends). */
const FHIR_JSON_TYPES = ['application/fhir+json', 'application/json+fhir', 'application/json', 'application/json-patch+json'];
const FHIR_JSON = 'application/fhir+json';

export async function createEmbeddedFhir(options: EmbeddedFhirOptions = {}): Promise<EmbeddedFhir> {
  const started = performance.now();
  indexFhirDefinitions();
  const fhirRouter = new FhirRouter();
  const repo = new SortingMemoryRepository();
  const paging: PagingPolicy = {
    ...(options.defaultPageSize !== undefined ? { defaultPageSize: options.defaultPageSize } : {}),
    ...(options.maxPageSize !== undefined ? { maxPageSize: options.maxPageSize } : {}),
  };
  const limit = options.bodyLimit ?? '100mb';

  const dispatch = async (method: HttpMethod, url: string, body: unknown, req?: Request) => {
    const [outcome, resource] = await fhirRouter.handleRequest(
      { method, url, pathname: '', body, params: {}, query: {}, ...(req ? { headers: req.headers } : {}) },
      repo,
    );
    return { outcome, resource };
  };

  const router = express.Router();
  router.use(express.json({ type: FHIR_JSON_TYPES, limit }));
  router.use(express.urlencoded({ extended: false, limit, parameterLimit: 10_000 }));

  router.get('/metadata', (req, res) => {
    send(res, 200, buildCapabilityStatement(fhirBaseOf(req), new Date().toISOString()));
  });

  router.use(async (req: Request, res: Response) => {
    const url = new URL(req.url, 'http://embedded.invalid');
    const segments = url.pathname.split('/').filter(Boolean);
    const method = req.method.toUpperCase() as HttpMethod;
    const isGetSearch = method === 'GET' && segments.length === 1;
    const isPostSearch = method === 'POST' && segments.length === 2 && segments[1] === '_search';

    if (isGetSearch || isPostSearch) {
      const type = segments[0] as string;
      const query = [...url.searchParams.entries()];
      if (isPostSearch) query.push(...formEntries(req.body));
      let normalized;
      try {
        normalized = normalizeSearch(type, query, paging);
      } catch (err) {
        if (err instanceof SearchRejected) return send(res, 400, outcome('error', 'not-supported', err.message));
        throw err;
      }
      const routed = new URLSearchParams(normalized.params);
      if (normalized.count !== undefined) routed.set('_count', String(normalized.count));
      if (normalized.offset > 0) routed.set('_offset', String(normalized.offset));
      const { outcome: oo, resource } = await dispatch('GET', `${type}?${routed}`, undefined, req);
      if (resource?.resourceType === 'Bundle') addPageLinks(resource as Bundle, fhirBaseOf(req), type, normalized);
      return send(res, getStatus(oo), resource ?? oo);
    }

    const needsBody = method === 'PUT' || method === 'PATCH' || (method === 'POST' && !isPostSearch);
    if (needsBody && (req.body === undefined || typeof req.body !== 'object')) {
      return send(res, 415, outcome('error', 'not-supported', `Send a FHIR JSON body (Content-Type: ${FHIR_JSON})`));
    }
    const { outcome: oo, resource } = await dispatch(method, req.url.replace(/^\//, ''), req.body, req);
    const status = getStatus(oo);
    if (status === 201 && resource?.id) {
      res.location(`${fhirBaseOf(req)}/${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId ?? '1'}`);
    }
    return send(res, status, resource ?? oo);
  });

  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed') return send(res, 400, outcome('error', 'structure', 'Request body is not valid JSON'));
    if (type === 'entity.too.large') return send(res, 413, outcome('error', 'too-costly', `Request body exceeds ${limit}`));
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return send(res, status, outcome('error', 'invalid', 'The request could not be read'));
    }
    return send(res, 500, outcome('fatal', 'exception', 'Internal error in the embedded FHIR server'));
  });

  const loadBundle = async (bundle: Bundle): Promise<TransactionSummary> => {
    const { outcome: oo, resource } = await dispatch('POST', '', bundle);
    if (resource?.resourceType !== 'Bundle') throw new TransactionError(`Transaction refused: ${outcomeText(oo)}`);
    return assertNoFailures(summarizeTransaction(bundle, resource as Bundle));
  };

  return { router, repo, loadBundle, ready: true, startupMs: Math.round(performance.now() - started) };
}

/** Absolute base URL of the router as the client reached it (what `next` links and Location use). */
function fhirBaseOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
}

function formEntries(body: unknown): [string, string][] {
  if (body === undefined || body === null || typeof body !== 'object') return [];
  const entries: [string, string][] = [];
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    for (const v of Array.isArray(value) ? value : [value]) entries.push([key, String(v)]);
  }
  return entries;
}

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type(FHIR_JSON).send(JSON.stringify(body));
}

function outcome(severity: 'error' | 'fatal', code: string, text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code: code, details: { text } }] };
}

