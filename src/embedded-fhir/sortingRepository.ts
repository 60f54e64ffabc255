/**
 * MemoryRepository with an index by patient and a faster, correct `_sort`.
 *
 * Index: MemoryRepository 4.5.2 answers every search by evaluating the filters on every stored resource
 * of the type, so `Observation?patient=X` cost grew with the whole population (a census cycle over
 * 1,000 synthetic patients took over 20 minutes). Here each resource's `patient` and `subject`
 * reference values are indexed when it is written; a search with an equality filter on one of them
 * visits only the resources carrying one of the searched references (plus the few whose references
 * could not be read as strings). The usual matcher then still applies every filter, the indexed one
 * included, so the answer is the same as a full scan. `visited` counts the resources examined.
 *
 * Identifier: without StructureDefinitions (src/embedded-fhir/definitions.ts) the matcher cannot see
 * that a value is an Identifier and `identifier=system|value` matched nothing; here it is matched
 * with the FHIR token rules (system|value, |value, value; case-insensitive as Medplum's tokens), which
 * conditional create (`If-None-Exist: identifier=...`) relies on.
 *
 * Sort: the shipped comparator re-evaluates the FHIRPath expression of both resources on every
 * comparison (~150 ms for 3,000 Observations), compares dates as JSON strings (wrong across time-zone
 * offsets) and applies several sort rules one after another (the last wins). Here each key is computed
 * once per resource, dates compare as instants, the first rule is primary, and resources without a
 * value sort last.
 */
import { evalFhirPath, globalSchema, matchesSearchRequest, Operator, parseFhirPath } from '@medplum/core';
import type { Filter, FhirPathAtom, SearchRequest, SortRule, WithId } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Resource } from '@medplum/fhirtypes';

type SortKey = number | string | undefined;

/** Reference search parameters indexed per type, when the type defines them. */
const INDEXED_CODES = ['patient', 'subject'] as const;

interface TypeIndex {
  /** `${code}\u0000${reference}` -> ids. */
  byRef: Map<string, Set<string>>;
  /** code -> ids with a value that is not a reference string (always visited). */
  unreadable: Map<string, Set<string>>;
  /** id -> where it was filed (to unfile on update and delete). */
  keysOf: Map<string, Filed[]>;
}

interface Filed {
  map: Map<string, Set<string>>;
  key: string;
}

export class SortingMemoryRepository extends MemoryRepository {
  /** Resources examined by searches since start (a cost measure that does not depend on the machine). */
  visited = 0;
  private readonly indexes = new Map<string, TypeIndex>();

  /** MemoryRepository's own store (private in its typings; @medplum/fhir-router is pinned at 4.5.2). */
  private get stored(): Map<string, Map<string, Resource>> {
    const resources = (this as unknown as { resources?: unknown }).resources;
    if (!(resources instanceof Map)) throw new Error('MemoryRepository internals changed: resources map not found');
    return resources as Map<string, Map<string, Resource>>;
  }

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    const created = await super.createResource(resource);
    this.unfile(created.resourceType, created.id);
    this.file(created);
    return created;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    this.unfile(resourceType, id);
  }

  override clear(): void {
    super.clear();
    this.indexes.clear();
  }

  override async search<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const { sortRules, count, offset } = request;
    const identifierFilters = (request.filters ?? []).filter((f) => f.code === 'identifier' && f.operator === Operator.EQUALS);
    const rest: SearchRequest<T> = { ...request, filters: (request.filters ?? []).filter((f) => !identifierFilters.includes(f)) };
    const matches: Resource[] = [];
    for (const resource of this.candidates(request)) {
      this.visited++;
      if (matchesSearchRequest(resource, rest) && identifierFilters.every((f) => matchesIdentifier(resource, f))) matches.push(resource);
    }
    let ordered = matches;
    if (sortRules?.length) {
      const keyed = matches.map((resource) => ({ resource, keys: sortRules.map((rule) => sortKey(resource, rule)) }));
      keyed.sort((a, b) => {
        for (let i = 0; i < sortRules.length; i++) {
          const order = compareKeys(a.keys[i], b.keys[i], sortRules[i]?.descending === true);
          if (order !== 0) return order;
        }
        return 0;
      });
      ordered = keyed.map((k) => k.resource);
    }
    const start = offset ?? 0;
    const page = ordered.slice(start, count === undefined ? undefined : start + count);
    const entry = page.map((resource) => ({ resource: JSON.parse(JSON.stringify(resource)) as WithId<T> }));
    return { resourceType: 'Bundle', type: 'searchset', ...(entry.length ? { entry } : {}), total: matches.length };
  }

  /** The resources a search must examine: the index's when it has an equality filter on an indexed reference, else all of the type. */
  private *candidates(request: SearchRequest): Iterable<Resource> {
    const all = this.stored.get(request.resourceType);
    if (!all) return;
    const index = this.indexes.get(request.resourceType);
    const filter = index ? (request.filters ?? []).find((f) => f.operator === Operator.EQUALS && (INDEXED_CODES as readonly string[]).includes(f.code) && f.value !== '') : undefined;
    if (!index || !filter) {
      yield* all.values();
      return;
    }
    const ids = new Set(index.unreadable.get(filter.code));
    for (const value of filter.value.split(',')) for (const id of index.byRef.get(`${filter.code}\u0000${value}`) ?? []) ids.add(id);
    for (const id of ids) {
      const resource = all.get(id);
      if (resource) yield resource;
    }
  }

  private file(resource: WithId<Resource>): void {
    const params = globalSchema.types[resource.resourceType]?.searchParams;
    if (!params) return;
    let index = this.indexes.get(resource.resourceType);
    if (!index) {
      index = { byRef: new Map(), unreadable: new Map(), keysOf: new Map() };
      this.indexes.set(resource.resourceType, index);
    }
    const filed: Filed[] = [];
    for (const code of INDEXED_CODES) {
      const expression = params[code]?.expression;
      if (!expression) continue;
      for (const value of evalFhirPath(compiled(expression), resource)) {
        const ref = typeof value === 'string' ? value : (value as { reference?: unknown } | null)?.reference;
        const entry: Filed = typeof ref === 'string' ? { map: index.byRef, key: `${code}\u0000${ref}` } : { map: index.unreadable, key: code };
        let ids = entry.map.get(entry.key);
        if (!ids) {
          ids = new Set();
          entry.map.set(entry.key, ids);
        }
        ids.add(resource.id);
        filed.push(entry);
      }
    }
    index.keysOf.set(resource.id, filed);
  }

  private unfile(resourceType: string, id: string): void {
    const index = this.indexes.get(resourceType);
    for (const { map, key } of index?.keysOf.get(id) ?? []) map.get(key)?.delete(id);
    index?.keysOf.delete(id);
  }
}

/** FHIR token matching of `identifier=[system]|[value]` on Resource.identifier. */
function matchesIdentifier(resource: Resource, filter: Filter): boolean {
  const identifiers = (resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
  const lower = (s: string | undefined): string | undefined => s?.toLowerCase();
  const hit = filter.value.split(',').some((wanted) => {
    const bar = wanted.indexOf('|');
    if (bar < 0) return identifiers.some((i) => lower(i.value) === wanted.toLowerCase());
    const system = wanted.slice(0, bar).toLowerCase();
    const value = wanted.slice(bar + 1).toLowerCase();
    if (!system && !value) return false;
    return identifiers.some((i) => (system ? lower(i.system) === system : !i.system) && (!value || lower(i.value) === value));
  });
  return hit;
}

function sortKey(resource: Resource, rule: SortRule): SortKey {
  const param = globalSchema.types[resource.resourceType]?.searchParams?.[rule.code];
  if (!param?.expression) return undefined;
  const values = evalFhirPath(compiled(param.expression), resource);
  if (values.length === 0) return undefined;
  if (param.type !== 'date') return JSON.stringify(values);
  const instants = values.map(earliestInstant).filter((t): t is number => t !== undefined);
  return instants.length ? Math.min(...instants) : undefined;
}

const atoms = new Map<string, FhirPathAtom>();
/** Parsed once per expression: parsing is a third of the cost of an evaluation. */
function compiled(expression: string): FhirPathAtom {
  let atom = atoms.get(expression);
  if (!atom) {
    atom = parseFhirPath(expression);
    atoms.set(expression, atom);
  }
  return atom;
}

/** Earliest instant of a date, dateTime, instant or Period value (partial dates start at their first day). */
function earliestInstant(value: unknown): number | undefined {
  const text = typeof value === 'string' ? value : (value as { start?: string } | null)?.start;
  if (!text) return undefined;
  const padded = /^\d{4}$/.test(text) ? `${text}-01-01` : /^\d{4}-\d{2}$/.test(text) ? `${text}-01` : text;
  const ms = Date.parse(padded.length === 10 ? `${padded}T00:00:00Z` : padded);
  return Number.isNaN(ms) ? undefined : ms;
}

function compareKeys(a: SortKey, b: SortKey, descending: boolean): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const order = a < b ? -1 : 1;
  return descending ? -order : order;
}
