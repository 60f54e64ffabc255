/**
 * Bundle.link paging for search results. MemoryRepository returns no links at all; clients (and
 * the sandbox) need `self` and `next` as absolute URLs, as HAPI sends them.
 */
import type { Bundle } from 'fhir/r4';
import type { NormalizedSearch } from './searchQuery.js';

/** Adds self / next / previous links and each entry's fullUrl and search mode, in place. */
export function addPageLinks(bundle: Bundle, fhirBase: string, resourceType: string, search: NormalizedSearch): void {
  const pageUrl = (offset: number): string => {
    const q = new URLSearchParams(search.params);
    if (search.count !== undefined) q.set('_count', String(search.count));
    if (offset > 0) q.set('_offset', String(offset));
    const query = q.toString();
    return `${fhirBase}/${resourceType}${query ? `?${query}` : ''}`;
  };
  bundle.link = [{ relation: 'self', url: pageUrl(search.offset) }];
  const { count, offset } = search;
  if (count !== undefined && count > 0) {
    if (bundle.total !== undefined && offset + count < bundle.total) {
      bundle.link.push({ relation: 'next', url: pageUrl(offset + count) });
    }
    if (offset > 0) bundle.link.push({ relation: 'previous', url: pageUrl(Math.max(0, offset - count)) });
  }
  for (const entry of bundle.entry ?? []) {
    const r = entry.resource;
    if (r?.id && !entry.fullUrl) entry.fullUrl = `${fhirBase}/${r.resourceType}/${r.id}`;
    entry.search ??= { mode: 'match' };
  }
}
