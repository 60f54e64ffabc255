/**
 * Who is in the watch window: members of a configured Group or List, plus everyone with an immune
 * effector cell therapy Procedure or MedicationAdministration (CAR-T administration codes from
 * src/terminology) in the last `lookbackDays`. Reads use the FHIR reader of src/fhir (timeouts, byte cap,
 * budget, same-origin paging, bounded pages). Each patient is then evaluated by the engine, which has the
 * final word on whether they are inside the window.
 */
import type { Bundle, Group, List } from 'fhir/r4';
import type { FhirAccessLimits } from '../config/types.js';
import { createFhirReader, FhirReadError, type FetchFn, type FhirReader } from '../fhir/http.js';
import { isSameOrigin, type OutboundUrlPolicy } from '../fhir/urlPolicy.js';
import { carTAdministrationSearchTokens } from '../terminology/carT.js';
import { tCellEngagerSearchTokens } from '../terminology/tCellEngagers.js';

export interface DiscoveryOptions {
  fhirServer: string;
  population?: string;
  search: boolean;
  lookbackDays: number;
  now: Date;
  fetch: FetchFn;
  limits: FhirAccessLimits;
  policy: OutboundUrlPolicy;
  accessToken?: string;
  /** Whole discovery budget, ms. */
  budgetMs: number;
}

export interface DiscoveryResult {
  patientIds: string[];
  /** Sources that could not be read in full (the cycle still evaluates what was found). */
  incomplete: string[];
}

/** Codes per search request, keeping URLs well under common 8 kB limits. */
const TOKENS_PER_QUERY = 20;
const PAGE_SIZE = 200;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function patientIdOf(reference: string | undefined): string | undefined {
  if (typeof reference !== 'string') return undefined;
  const m = /(?:^|\/)Patient\/([^/]+)(?:\/_history\/[^/]+)?$/.exec(reference);
  const id = m?.[1];
  return id && FHIR_ID.test(id) ? id : undefined;
}

function baseUrl(fhirServer: string, relative: string): URL {
  return new URL(relative, fhirServer.endsWith('/') ? fhirServer : `${fhirServer}/`);
}

async function readPopulation(reader: FhirReader, fhirServer: string, population: string): Promise<string[]> {
  const { status, body } = await reader.getJson(baseUrl(fhirServer, population));
  if (status !== 200) throw new FhirReadError('http', `population ${population.split('/')[0] ?? ''} could not be read (HTTP ${status})`, status);
  const resource = body as Group | List | undefined;
  if (resource?.resourceType === 'Group') return (resource.member ?? []).filter((m) => !m.inactive).map((m) => patientIdOf(m.entity?.reference)).filter((id): id is string => id !== undefined);
  if (resource?.resourceType === 'List') return (resource.entry ?? []).filter((e) => !e.deleted).map((e) => patientIdOf(e.item?.reference)).filter((id): id is string => id !== undefined);
  throw new FhirReadError('http', 'population is neither a Group nor a List');
}

/** Subjects of every match of a search, following `next` links on the server's origin within maxPages. */
async function searchSubjects(reader: FhirReader, fhirServer: string, first: URL): Promise<{ ids: string[]; incomplete?: string }> {
  const ids: string[] = [];
  let url: URL | undefined = first;
  const seen = new Set<string>();
  for (let page = 1; url; page++) {
    const { status, body } = await reader.getJson(url);
    const bundle = body as Bundle | undefined;
    if (status !== 200 || bundle?.resourceType !== 'Bundle') throw new FhirReadError('http', `search failed (HTTP ${status})`, status);
    for (const entry of bundle.entry ?? []) {
      if (entry.search?.mode === 'outcome') continue;
      const r = entry.resource as { subject?: { reference?: string } } | undefined;
      const id = patientIdOf(r?.subject?.reference);
      if (id) ids.push(id);
    }
    const next = bundle.link?.find((l) => l.relation === 'next')?.url;
    if (!next) return { ids };
    const nextUrl = new URL(next, fhirServer);
    if (!isSameOrigin(nextUrl, fhirServer) || seen.has(nextUrl.href)) return { ids, incomplete: 'next link not followed' };
    if (page >= reader.limits.maxPages) return { ids, incomplete: 'truncated at maxPages' };
    seen.add(nextUrl.href);
    url = nextUrl;
  }
  return { ids };
}

export async function discoverPatients(opts: DiscoveryOptions): Promise<DiscoveryResult> {
  const reader = createFhirReader({
    fetch: opts.fetch,
    limits: opts.limits,
    ...(opts.accessToken ? { accessToken: opts.accessToken } : {}),
    policy: opts.policy,
    policyContext: { fhirServer: opts.fhirServer },
    budget: AbortSignal.timeout(opts.budgetMs),
  });
  const found = new Set<string>();
  const incomplete: string[] = [];
  const tasks: Promise<void>[] = [];
  if (opts.population) {
    const population = opts.population;
    tasks.push(
      readPopulation(reader, opts.fhirServer, population).then(
        (ids) => ids.forEach((id) => found.add(id)),
        (e: unknown) => void incomplete.push(`${population.split('/')[0] ?? 'population'}: ${e instanceof Error ? e.message : 'unreadable'}`),
      ),
    );
  }
  if (opts.search) {
    const since = new Date(opts.now.getTime() - opts.lookbackDays * 86_400_000).toISOString().slice(0, 10);
    // The engine watches both exposure classes (cellular therapy and T-cell engagers); so does the census.
    const tokens = [...carTAdministrationSearchTokens(), ...tCellEngagerSearchTokens()];
    for (let i = 0; i < tokens.length; i += TOKENS_PER_QUERY) {
      const code = tokens.slice(i, i + TOKENS_PER_QUERY).join(',');
      for (const [type, dateParam] of [['Procedure', 'date'], ['MedicationAdministration', 'effective-time']] as const) {
        const q = new URLSearchParams({ code, [dateParam]: `ge${since}`, _count: String(PAGE_SIZE) });
        tasks.push(
          searchSubjects(reader, opts.fhirServer, baseUrl(opts.fhirServer, `${type}?${q.toString()}`)).then(
            (r) => {
              r.ids.forEach((id) => found.add(id));
              if (r.incomplete) incomplete.push(`${type} search: ${r.incomplete}`);
            },
            (e: unknown) => void incomplete.push(`${type} search: ${e instanceof Error ? e.message : 'failed'}`),
          ),
        );
      }
    }
  }
  await Promise.all(tasks);
  return { patientIds: [...found].sort(), incomplete };
}
