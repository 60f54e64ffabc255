/**
 * Hook request -> PatientData. Prefetch first, the FHIR server only for what is missing, exactly as
 * CDS Hooks 2.0 says (conformance lines 10-15):
 *
 * | prefetch value for a key         | what happens                                                   |
 * |----------------------------------|----------------------------------------------------------------|
 * | resource / searchset Bundle      | used as is; Bundle `next` links followed (same origin, bounded) |
 * | `null`                           | "no data": empty, never refetched                               |
 * | key absent, or no `prefetch`     | the template is run against `fhirServer` (bearer token if given)|
 * | OperationOutcome or wrong type   | treated as absent: refetched if possible                        |
 *
 * Keys that still cannot be had are reported: required ones (see dataItems.ts) make the call a 412,
 * optional ones make the answer partial.
 */
import type { Bundle, FhirResource } from 'fhir/r4';
import type { FhirAccessLimits } from '../config/types.js';
import type { PatientData } from '../features/types.js';
import { addResource } from './bundle.js';
import { dataItemPolicy, emptyPatientData } from './dataItems.js';
import { FhirReadError, createFhirReader, type FetchFn, type FhirReader, type FhirRequestObserver } from './http.js';
import { isReadTemplate, substituteTemplate, templateResourceType, type HookContextLike } from './templates.js';
import { isSameOrigin, type OutboundUrlPolicy } from './urlPolicy.js';

export interface GatherInput {
  /** Prefetch templates of the service (key -> template). */
  templates: Record<string, string>;
  context: HookContextLike;
  /** The request's `prefetch` member (absent = nothing prefetched). */
  prefetch?: Record<string, unknown>;
  fhirServer?: string;
  accessToken?: string;
}

export interface GatherDeps {
  fetch: FetchFn;
  limits: FhirAccessLimits;
  policy: OutboundUrlPolicy;
  random?: () => number;
  observe?: FhirRequestObserver;
}

export type ItemSource = 'prefetch' | 'prefetch-null' | 'fhir' | 'unavailable';

/** What happened to one data item; safe to log (no URLs, ids or values). */
export interface ItemReport {
  key: string;
  source: ItemSource;
  required: boolean;
  resources: number;
  pages: number;
  /** Set when not every page/resource could be read (still usable, answer marked partial). */
  incomplete?: string;
  /** Why the item is unavailable. */
  reason?: string;
}

export interface GatherResult {
  data: PatientData;
  /** Items the answer lacks or has only in part (for CardContext.partialData). */
  missing: string[];
  /** Required items that could not be had at all (-> 412). */
  unavailableRequired: string[];
  items: ItemReport[];
}

interface Collected {
  resources: FhirResource[];
  pages: number;
  incomplete?: string;
}

export async function gatherPatientData(input: GatherInput, deps: GatherDeps): Promise<GatherResult> {
  const budget = AbortSignal.timeout(deps.limits.budgetMs);
  const reader = input.fhirServer
    ? createFhirReader({
        fetch: deps.fetch,
        limits: deps.limits,
        ...(input.accessToken ? { accessToken: input.accessToken } : {}),
        policy: deps.policy,
        policyContext: { fhirServer: input.fhirServer },
        budget,
        ...(deps.random ? { random: deps.random } : {}),
        ...(deps.observe ? { observe: deps.observe } : {}),
      })
    : undefined;

  const items = await Promise.all(
    Object.entries(input.templates).map(([key, template]) => gatherItem(key, template, input, reader)),
  );

  const data = emptyPatientData();
  const seen = new Set<string>();
  for (const { collected } of items) {
    for (const r of collected?.resources ?? []) {
      // Only string ids: a template literal on an untrusted object can throw (e.g. {"toString": 0}).
      const identity = typeof r.id === 'string' && r.id ? `${r.resourceType}/${r.id}` : undefined;
      if (identity && seen.has(identity)) continue;
      if (identity) seen.add(identity);
      addResource(data, r);
    }
  }
  const reports = items.map((i) => i.report);
  return {
    data,
    missing: reports.filter((r) => r.source === 'unavailable' || r.incomplete).map((r) => (r.incomplete ? `${r.key} (${r.incomplete})` : r.key)),
    unavailableRequired: reports.filter((r) => r.required && r.source === 'unavailable').map((r) => r.key),
    items: reports,
  };
}

async function gatherItem(
  key: string,
  template: string,
  input: GatherInput,
  reader: FhirReader | undefined,
): Promise<{ report: ItemReport; collected?: Collected }> {
  const type = templateResourceType(template);
  const isRead = isReadTemplate(template);
  const base: Pick<ItemReport, 'key' | 'required'> = { key, required: dataItemPolicy(key) === 'required' };
  const hasKey = input.prefetch !== undefined && Object.prototype.hasOwnProperty.call(input.prefetch, key);
  const value = hasKey ? input.prefetch?.[key] : undefined;

  if (hasKey && value === null) return { report: { ...base, source: 'prefetch-null', resources: 0, pages: 0 } };

  if (isUsablePrefetch(value, type, isRead)) {
    try {
      const collected = isRead
        ? { resources: [value as FhirResource], pages: 1 }
        : await collectSearchset(value as Bundle, type, reader, input.fhirServer);
      return { report: { ...base, source: 'prefetch', resources: collected.resources.length, pages: collected.pages, ...incompleteOf(collected) }, collected };
    } catch (e) {
      return unavailable(base, e);
    }
  }

  // Absent, OperationOutcome or wrong shape: run the template ourselves.
  if (!reader || !input.fhirServer) return unavailable(base, 'no prefetch and no fhirServer');
  const relative = substituteTemplate(template, input.context);
  if (relative === undefined) return unavailable(base, 'template token cannot be resolved from context');
  try {
    const url = new URL(relative, input.fhirServer.endsWith('/') ? input.fhirServer : `${input.fhirServer}/`);
    const collected = isRead ? await readOne(url, type, reader) : await search(url, type, reader, input.fhirServer);
    return { report: { ...base, source: 'fhir', resources: collected.resources.length, pages: collected.pages, ...incompleteOf(collected) }, collected };
  } catch (e) {
    return unavailable(base, e);
  }
}

function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function incompleteOf(c: Collected): { incomplete?: string } {
  return c.incomplete ? { incomplete: c.incomplete } : {};
}

function unavailable(base: Pick<ItemReport, 'key' | 'required'>, why: unknown): { report: ItemReport } {
  const reason = typeof why === 'string' ? why : why instanceof FhirReadError ? why.message : 'FHIR data could not be read';
  return { report: { ...base, source: 'unavailable', resources: 0, pages: 0, reason } };
}

function isUsablePrefetch(value: unknown, type: string, isRead: boolean): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const rt = (value as { resourceType?: unknown }).resourceType;
  if (isRead) return rt === type;
  return rt === 'Bundle';
}

async function readOne(url: URL, type: string, reader: FhirReader): Promise<Collected> {
  const { status, body } = await reader.getJson(url);
  // A read that finds nothing is "no data", as a client would have sent `null`.
  if (status === 404 || status === 410) return { resources: [], pages: 1 };
  if (status !== 200 || (body as { resourceType?: unknown } | undefined)?.resourceType !== type) {
    throw new FhirReadError('http', `FHIR read failed (HTTP ${status})`, status);
  }
  return { resources: [body as FhirResource], pages: 1 };
}

async function search(url: URL, type: string, reader: FhirReader, fhirServer: string): Promise<Collected> {
  return collectSearchset(await fetchBundle(url, reader), type, reader, fhirServer);
}

async function fetchBundle(url: URL, reader: FhirReader): Promise<Bundle> {
  const { status, body } = await reader.getJson(url);
  if (status !== 200 || (body as { resourceType?: unknown } | undefined)?.resourceType !== 'Bundle') {
    throw new FhirReadError('http', `FHIR search failed (HTTP ${status})`, status);
  }
  return body as Bundle;
}

/**
 * Entries of `type` from a searchset Bundle and its `next` pages. Pages are followed only on the
 * fhirServer's origin, at most `maxPages` in all, and at most `maxResources` are kept; hitting a limit
 * keeps what was read and marks the item incomplete.
 */
async function collectSearchset(first: Bundle, type: string, reader: FhirReader | undefined, fhirServer: string | undefined): Promise<Collected> {
  const resources: FhirResource[] = [];
  const visited = new Set<string>();
  const limits = reader?.limits;
  let bundle = first;
  for (let pages = 1; ; pages++) {
    // Prefetch and server Bundles are untrusted JSON: odd entries are skipped, never allowed to throw.
    for (const entry of arrayOf(bundle.entry)) {
      if (!isObject(entry)) continue;
      const r = entry.resource;
      if (!isObject(r) || r.resourceType !== type || (isObject(entry.search) && entry.search.mode === 'outcome')) continue;
      if (limits && resources.length >= limits.maxResources) return { resources, pages, incomplete: 'truncated' };
      resources.push(r as unknown as FhirResource);
    }
    const link = arrayOf(bundle.link).find((l) => isObject(l) && l.relation === 'next');
    const next = isObject(link) ? link.url : undefined;
    if (next === undefined || next === null || next === '') return { resources, pages };
    if (typeof next !== 'string') return { resources, pages, incomplete: 'invalid next link' };
    if (!reader || !fhirServer || !limits) return { resources, pages, incomplete: 'more pages, no fhirServer to read them' };
    let nextUrl: URL;
    try {
      nextUrl = new URL(next, fhirServer);
    } catch {
      return { resources, pages, incomplete: 'invalid next link' };
    }
    if (!isSameOrigin(nextUrl, fhirServer)) return { resources, pages, incomplete: 'next link on another origin not followed' };
    if (visited.has(nextUrl.href)) return { resources, pages };
    if (pages >= limits.maxPages) return { resources, pages, incomplete: 'truncated' };
    visited.add(nextUrl.href);
    try {
      bundle = await fetchBundle(nextUrl, reader);
    } catch {
      return { resources, pages, incomplete: 'a later page could not be read' };
    }
  }
}
