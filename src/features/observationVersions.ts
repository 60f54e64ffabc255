/**
 * One version per result. An amended/corrected result may arrive as another version of the same
 * resource (same id) or as a new resource carrying the same business identifier; the latest version
 * wins, and when the latest is entered-in-error or cancelled the whole result is dropped (a retraction
 * must not resurrect the earlier value).
 *
 * "Latest" is a total order, so the winner never depends on input order: meta.lastUpdated, then
 * issued, then meta.versionId (numeric), then status (a retraction beats corrected/amended, which
 * beat final, which beats preliminary), then the id, then the content. A missing key ranks below any
 * present one. lastUpdated/issued come first because versionIds of two different resources (linked
 * by identifier) are not comparable; for versions of one resource, servers advance both together.
 */
import type { Observation } from 'fhir/r4';
import { isObject } from './fhir.js';
import { parseFhirTime } from './time.js';

const STATUS_RANK: Readonly<Record<string, number>> = {
  'entered-in-error': 4,
  cancelled: 4,
  corrected: 3,
  amended: 3,
  final: 2,
  preliminary: 1,
};

function numericVersion(o: Observation): number {
  const v = o.meta?.versionId;
  const n = typeof v === 'string' && v.length > 0 ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : -Infinity;
}

function timeOf(value: unknown): number {
  return parseFhirTime(value)?.epochMs ?? -Infinity;
}

function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a > b ? 1 : -1;
}

/** > 0 when `a` is the later version. Transitive: a lexicographic order over the keys above. */
export function compareVersions(a: Observation, b: Observation): number {
  return (
    compareNumbers(timeOf(a.meta?.lastUpdated), timeOf(b.meta?.lastUpdated)) ||
    compareNumbers(timeOf(a.issued), timeOf(b.issued)) ||
    compareNumbers(numericVersion(a), numericVersion(b)) ||
    compareNumbers(STATUS_RANK[a.status] ?? 0, STATUS_RANK[b.status] ?? 0) ||
    compareContent(a, b)
  );
}

/** Last resort, deterministic: the id, then (same id, same metadata) the serialized content. */
function compareContent(a: Observation, b: Observation): number {
  if (a.id !== b.id) return String(a.id) < String(b.id) ? -1 : 1;
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

/**
 * Groups of versions as a union-find over input indices (typed arrays, one allocation per call, not
 * one object per Observation): a group is named by its root index; `parent[i] === i` marks a root.
 */
interface Groups {
  parent: Int32Array;
  /** Latest version so far, valid at roots. */
  winner: Int32Array;
}

function root(groups: Groups, i: number): number {
  let g = i;
  for (let p = groups.parent[g] ?? g; p !== g; p = groups.parent[g] ?? g) g = p;
  return g;
}

interface IdentifierEntry {
  system: string;
  measured: string;
  group: number;
}

const NO_GROUP = -1;

/**
 * Indices of the latest version of each distinct result (input order irrelevant). Versions share the
 * resource id, or a business identifier (system|value) *and* what was measured (`measured[i]`, e.g.
 * the analyte), because some EHRs put the order's accession number on every result of a panel.
 * Lookups use the id/value strings as they are (no key concatenation on the hot path).
 */
export function latestVersions(observations: readonly Observation[], measured: readonly string[]): number[] {
  const n = observations.length;
  const unique = ownVersionsOnly(observations);
  if (unique) return unique;
  const byId = new Map<string, number>();
  const byIdentifier = new Map<string, IdentifierEntry[]>();
  const groups: Groups = { parent: new Int32Array(n).fill(NO_GROUP), winner: new Int32Array(n) };
  for (let i = 0; i < n; i++) {
    const o = observations[i];
    if (!o) continue;
    const id = typeof o.id === 'string' && o.id.length > 0 ? o.id : undefined;
    const identifiers = Array.isArray(o.identifier) && o.identifier.length > 0 ? o.identifier : undefined;
    let group = id === undefined ? NO_GROUP : join(groups, NO_GROUP, byId.get(id), observations);
    if (identifiers) {
      for (const idf of identifiers) {
        const value = identifierValue(idf);
        const entries = value === undefined ? undefined : byIdentifier.get(value);
        if (!entries) continue;
        const system = identifierSystem(idf);
        for (const e of entries) if (e.system === system && e.measured === measured[i]) group = join(groups, group, e.group, observations);
      }
    }
    if (group === NO_GROUP) {
      group = i;
      groups.parent[i] = i;
      groups.winner[i] = i;
    } else if (isNewer(o, observations[groups.winner[group] ?? group])) {
      groups.winner[group] = i;
    }
    if (id !== undefined) byId.set(id, group);
    if (identifiers) {
      for (const idf of identifiers) {
        const value = identifierValue(idf);
        if (value === undefined) continue;
        const entry: IdentifierEntry = { system: identifierSystem(idf), measured: measured[i] ?? '', group };
        const entries = byIdentifier.get(value);
        if (entries) entries.push(entry);
        else byIdentifier.set(value, [entry]);
      }
    }
  }
  // Groups in order of creation (= index of their first version), as before.
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (groups.parent[i] === i) out.push(groups.winner[i] ?? i);
  return out;
}

/**
 * The common feed: every Observation has its own id and no business identifier, so each is its own
 * latest version. The indices (the same answer as the grouping below) or undefined when versions may
 * be linked. One Set insert per Observation instead of a Map lookup, a Map insert and group bookkeeping.
 */
function ownVersionsOnly(observations: readonly Observation[]): number[] | undefined {
  const ids = new Set<string>();
  const out: number[] = [];
  for (let i = 0; i < observations.length; i++) {
    const o = observations[i];
    if (!o) continue;
    if (typeof o.id !== 'string' || o.id.length === 0 || (Array.isArray(o.identifier) && o.identifier.length > 0)) return undefined;
    const before = ids.size;
    ids.add(o.id);
    if (ids.size === before) return undefined;
    out.push(i);
  }
  return out;
}

/** `a` is a later version than the current winner (or there is none). */
function isNewer(a: Observation, winner: Observation | undefined): boolean {
  return winner === undefined || compareVersions(a, winner) > 0;
}

function identifierValue(idf: unknown): string | undefined {
  const value = isObject(idf) ? (idf as { value?: unknown }).value : undefined;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function identifierSystem(idf: unknown): string {
  const system = (idf as { system?: unknown }).system;
  return typeof system === 'string' ? system : '';
}

/** Join `found`'s group into `group` (merging two groups if this version links them). */
function join(groups: Groups, group: number, found: number | undefined, observations: readonly Observation[]): number {
  if (found === undefined) return group;
  const r = root(groups, found);
  if (group === NO_GROUP || r === group) return r;
  const candidate = observations[groups.winner[r] ?? r];
  if (candidate && isNewer(candidate, observations[groups.winner[group] ?? group])) groups.winner[group] = groups.winner[r] ?? r;
  groups.parent[r] = group;
  return group;
}
