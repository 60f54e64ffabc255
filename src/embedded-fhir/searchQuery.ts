/**
 * Normalizes a FHIR search query before it reaches Medplum's MemoryRepository, closing the gaps of
 * @medplum/fhir-router 4.5.2 that would otherwise return wrong answers silently:
 * - a bare id on a reference parameter (`patient=abc`, what every CDS Hooks prefetch template sends)
 *   matches nothing in 4.5.2; it is rewritten to `Patient/abc` (or to every target type of the
 *   parameter, OR-ed: `subject=abc` -> `subject=Patient/abc,Group/abc,...`);
 * - a type modifier (`subject:Patient=abc`) is folded into the value the same way;
 * - unknown parameters, unsupported parameter types (quantity, number, composite) and modifiers
 *   (`:text`, `:in`, ...) return 0 hits in 4.5.2; here they are refused with a 400, as HAPI does,
 *   so a typo in a prefetch template fails loudly instead of looking like "no data";
 * - `_count` / `_offset` are checked and the paging policy applied.
 */
import { searchParamsOf } from './definitions.js';

/** How many results a page holds. */
export interface PagingPolicy {
  /**
   * Page size when the client sends no `_count`. Undefined (the default) returns every match, so a
   * client that never follows `next` (the sandbox sends prefetch as one POST _search) still gets all
   * labs. HAPI's JPA starter uses 20.
   */
  defaultPageSize?: number;
  /** Upper bound applied to `_count` (HAPI's JPA starter uses 200). Undefined: no cap. */
  maxPageSize?: number;
}

export interface NormalizedSearch {
  /** The query to run, in the client's order, with `_count`/`_offset` as decided. */
  params: URLSearchParams;
  /** Page size in force, if any. */
  count?: number;
  offset: number;
}

/** A search the embedded server refuses to run (answered with 400 and this text). */
export class SearchRejected extends Error {}

/** Result-control parameters passed to the router unchanged. */
const CONTROL_PARAMS = new Set(['_include', '_summary', '_total', '_elements', '_format', '_pretty']);
/** Parameter types MemoryRepository can match (read in @medplum/core match.ts). */
export const MATCHABLE_TYPES: ReadonlySet<string> = new Set(['reference', 'string', 'uri', 'token', 'date']);
/** Modifiers that the matcher honours; anything else silently degrades to equality. */
const HONOURED_MODIFIERS = new Set(['', 'missing', 'not', 'exact', 'contains']);

export function normalizeSearch(
  resourceType: string,
  query: Iterable<[string, string]>,
  paging: PagingPolicy,
): NormalizedSearch {
  const defs = searchParamsOf(resourceType);
  if (!defs) throw new SearchRejected(`Unknown resource type '${resourceType}'`);
  const out = new URLSearchParams();
  let count: number | undefined;
  let offset = 0;

  for (const [key, value] of query) {
    const colon = key.indexOf(':');
    const code = colon < 0 ? key : key.slice(0, colon);
    const modifier = colon < 0 ? '' : key.slice(colon + 1);

    if (code === '_count') {
      count = nonNegativeInteger(key, value);
      continue;
    }
    if (code === '_offset') {
      offset = nonNegativeInteger(key, value);
      continue;
    }
    if (code === '_sort') {
      for (const field of value.split(',')) {
        if (!defs[field.replace(/^-/, '')]) throw new SearchRejected(`Unknown sort parameter '${field}'`);
      }
      out.append(key, value);
      continue;
    }
    if (CONTROL_PARAMS.has(code)) {
      out.append(key, value);
      continue;
    }
    if (code === '_has' || key.includes('.')) {
      throw new SearchRejected(`'${key}': _has and chained search are not supported by the embedded FHIR server`);
    }
    const param = defs[code];
    if (!param) throw new SearchRejected(`Unknown search parameter '${code}' for resource type ${resourceType}`);
    if (!MATCHABLE_TYPES.has(param.type)) {
      throw new SearchRejected(`Search parameter '${code}' (type ${param.type}) is not supported by the embedded FHIR server`);
    }
    if (param.type === 'reference' && modifier !== '' && !HONOURED_MODIFIERS.has(modifier)) {
      // A type modifier: `subject:Patient=abc` means `subject=Patient/abc`.
      if (!param.target?.includes(modifier as never)) {
        throw new SearchRejected(`'${key}': ${modifier} is not a target type of '${code}'`);
      }
      out.append(code, qualifyReferences(value, [modifier]));
      continue;
    }
    if (!HONOURED_MODIFIERS.has(modifier)) {
      throw new SearchRejected(`Modifier ':${modifier}' is not supported by the embedded FHIR server`);
    }
    if (param.type === 'reference' && modifier !== 'missing') {
      out.append(key, qualifyReferences(value, param.target ?? []));
      continue;
    }
    out.append(key, value);
  }

  if (count === undefined) count = paging.defaultPageSize;
  if (count !== undefined && paging.maxPageSize !== undefined) count = Math.min(count, paging.maxPageSize);
  return count === undefined ? { params: out, offset } : { params: out, count, offset };
}

/**
 * Turns each bare id of a comma-separated reference value into `Type/id` for every target type
 * (an OR list). `Type/id` values are kept if Type is a target (else refused); values with a scheme
 * (absolute URLs, `urn:uuid:`) are kept as they are.
 */
export function qualifyReferences(value: string, targets: readonly string[]): string {
  if (targets.length === 0) return value;
  return value
    .split(',')
    .flatMap((part) => {
      if (part === '' || part.includes(':')) return [part];
      const slash = part.indexOf('/');
      if (slash < 0) return targets.map((t) => `${t}/${part}`);
      // Needed for exactness: the indexed expressions dropped `.where(resolve() is X)`.
      if (!targets.includes(part.slice(0, slash))) {
        throw new SearchRejected(`'${part}' is not a reference to ${targets.join(' or ')}`);
      }
      return [part];
    })
    .join(',');
}

function nonNegativeInteger(key: string, value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new SearchRejected(`${key} must be a non-negative integer, got '${value}'`);
  return Number(value);
}
