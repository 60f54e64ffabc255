// Prefetch as a CDS client computes it (CDS Hooks 2.0 "Prefetch templates"): substitute the tokens,
// run each template against the FHIR server, and send what came back. A read that finds nothing is
// `null`; a template that cannot be resolved, or a query that fails, is left out (the key is missing).

const TOKEN = /\{\{\s*([^{}]+?)\s*\}\}/g;

/** The four user tokens, derived from `userId` ("Practitioner/123" -> userPractitionerId = "123"). */
export function userTokens(userId) {
  const match = /^(Practitioner|PractitionerRole|Patient|RelatedPerson)\/([^/]+)$/.exec(userId ?? '');
  return match ? { [`user${match[1]}Id`]: match[2] } : {};
}

/** The query with every token replaced (values URL-encoded), or undefined if any token is unknown. */
export function resolveTemplate(template, context) {
  const user = userTokens(context.userId);
  let unresolved = false;
  const query = template.replace(TOKEN, (_, token) => {
    let value;
    if (token.startsWith('context.')) {
      value = context[token.slice('context.'.length)];
      // 2.0 allows only first-level primitive context fields as tokens.
      if (!['string', 'number', 'boolean'].includes(typeof value)) value = undefined;
    } else {
      value = Object.hasOwn(user, token) ? user[token] : undefined;
    }
    if (value === undefined) unresolved = true;
    return unresolved ? '' : encodeURIComponent(String(value));
  });
  return unresolved ? undefined : query;
}

/** `Type/id` (an instance read) rather than `Type?params` (a search). */
export function isRead(query) {
  return /^[A-Za-z]+\/[^/?]+$/.test(query);
}

/**
 * Runs every template of a service against `fhirBase`. Returns { prefetch, log } where log holds one
 * entry per template: { key, url, status, result: 'resource' | 'bundle' | 'null' | 'omitted', why? }.
 */
export async function runPrefetch(templates, context, fhirBase, fetchFn = fetch) {
  const prefetch = {};
  const entries = await Promise.all(
    Object.entries(templates ?? {}).map(async ([key, template]) => {
      const query = resolveTemplate(template, context);
      if (query === undefined) return { key, template, result: 'omitted', why: 'unresolved token' };
      const url = `${fhirBase}/${query}`;
      let response;
      try {
        response = await fetchFn(url, { headers: { Accept: 'application/fhir+json' } });
      } catch {
        return { key, url, result: 'omitted', why: 'network error' };
      }
      const read = isRead(query);
      if (read && (response.status === 404 || response.status === 410)) {
        prefetch[key] = null;
        return { key, url, status: response.status, result: 'null' };
      }
      if (!response.ok) return { key, url, status: response.status, result: 'omitted', why: `HTTP ${response.status}` };
      let body;
      try {
        body = await response.json();
      } catch {
        return { key, url, status: response.status, result: 'omitted', why: 'not JSON' };
      }
      if (!read && body?.resourceType !== 'Bundle') return { key, url, status: response.status, result: 'omitted', why: 'search did not return a Bundle' };
      prefetch[key] = body;
      return { key, url, status: response.status, result: read ? 'resource' : 'bundle' };
    }),
  );
  return { prefetch, log: entries };
}
