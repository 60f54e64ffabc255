/**
 * CDS Hooks 2.0 prefetch templates: the checks a template must pass to be published (conformance
 * lines 3-4) and the token substitution a CDS client performs (line 16), so the service's own FHIR
 * queries are exactly what the client would have prefetched.
 *
 * 2.0 allows only `{{context.<first-level primitive field marked "Prefetch Token = Yes">}}` and the four
 * user tokens; FHIRPath tokens and `today()` are 3.0-ballot features a 2.0 client ignores.
 */

/** Context fields each supported hook marks "Prefetch Token = Yes" (HL7 hook library 1.0). */
export const PREFETCH_CONTEXT_TOKENS: Record<string, readonly string[]> = {
  'patient-view': ['userId', 'patientId', 'encounterId'],
  'order-select': ['userId', 'patientId', 'encounterId'],
};

const USER_TOKENS = {
  userPractitionerId: 'Practitioner',
  userPractitionerRoleId: 'PractitionerRole',
  userPatientId: 'Patient',
  userRelatedPersonId: 'RelatedPerson',
} as const;
type UserToken = keyof typeof USER_TOKENS;

const TOKEN_RE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const TYPE_RE = /^[A-Z][A-Za-z]+$/;
/** Search parameters with a leading underscore allowed by the restricted subset. */
const ALLOWED_SPECIAL_PARAMS = new Set(['_count', '_sort']);

/** Problems with one template (empty = publishable). */
export function checkPrefetchTemplate(template: string, hook: string): string[] {
  const problems: string[] = [];
  const allowedContext = PREFETCH_CONTEXT_TOKENS[hook] ?? [];
  for (const m of template.matchAll(TOKEN_RE)) {
    const token = m[1] ?? '';
    if (token.startsWith('context.')) {
      const field = token.slice('context.'.length);
      if (!allowedContext.includes(field)) problems.push(`token {{${token}}} is not a prefetch token of hook ${hook}`);
    } else if (!(token in USER_TOKENS)) {
      problems.push(`token {{${token}}} is not a CDS Hooks 2.0 prefetch token`);
    }
  }
  if (/\{\{|\}\}/.test(template.replace(TOKEN_RE, ''))) problems.push('unbalanced {{ }}');
  if (/^[a-z]+:\/\//i.test(template) || template.startsWith('/')) problems.push('must be a relative FHIR URL');

  const [path = '', query] = splitOnce(template, '?');
  const segments = path.split('/');
  const type = segments[0] ?? '';
  if (!TYPE_RE.test(type)) problems.push(`"${type}" is not a FHIR resource type`);
  if (segments.length === 2) {
    if (query !== undefined) problems.push('an instance read takes no search parameters');
    if (!segments[1]) problems.push('instance read without an id');
  } else if (segments.length !== 1) {
    problems.push('only instance reads (Type/id) and type-level searches (Type?...) are allowed');
  }
  for (const pair of query ? query.split('&') : []) {
    const [rawName = '', value] = splitOnce(pair, '=');
    const [name = '', modifier] = splitOnce(rawName, ':');
    if (!value) problems.push(`parameter "${rawName}" has no value`);
    if (name.startsWith('_') && !ALLOWED_SPECIAL_PARAMS.has(name)) problems.push(`parameter ${name} is outside the restricted query subset`);
    if (name.includes('.')) problems.push(`chained parameter ${name} is outside the restricted query subset`);
    if (modifier !== undefined && modifier !== 'in') problems.push(`modifier :${modifier} is outside the restricted query subset`);
  }
  return problems;
}

export interface HookContextLike {
  userId?: unknown;
  [field: string]: unknown;
}

/**
 * Resolves a template against a hook context the way a CDS client does. Returns undefined when a token
 * cannot be resolved (the client then skips that prefetch key, so the service must fetch or do without).
 * Values are URL-encoded.
 */
export function substituteTemplate(template: string, context: HookContextLike): string | undefined {
  let unresolved = false;
  const out = template.replace(TOKEN_RE, (_whole, token: string) => {
    const value = resolveToken(token, context);
    if (value === undefined) {
      unresolved = true;
      return '';
    }
    return encodeURIComponent(value);
  });
  return unresolved ? undefined : out;
}

function resolveToken(token: string, context: HookContextLike): string | undefined {
  if (token.startsWith('context.')) {
    const value = context[token.slice('context.'.length)];
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  }
  if (token in USER_TOKENS) {
    const userId = context.userId;
    if (typeof userId !== 'string') return undefined;
    const [type, id] = splitOnce(userId, '/');
    return type === USER_TOKENS[token as UserToken] && id ? id : undefined;
  }
  return undefined;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + sep.length)];
}

/** Resource type a template reads or searches (`Observation?...` -> `Observation`). */
export function templateResourceType(template: string): string {
  return template.split(/[/?]/, 1)[0] ?? '';
}

/** True when the template is an instance read (`Type/id`), false for a search. */
export function isReadTemplate(template: string): boolean {
  return !template.includes('?') && template.split('/').length === 2;
}
