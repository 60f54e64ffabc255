/**
 * The CDS Hooks 2.0 response model (A.3) as JSON Schema, plus the invariants cds-resp-1..7 of the
 * 3.0-ballot logical model and this service's own rules (uuids on every card and suggestion, summary
 * under 140 characters, no empty optional fields, no raw HTML in detail). Tests run every response
 * through `checkCdsResponse`; it can also run in development at runtime.
 */
import { ajv } from './ajv.js';

const nonEmptyString = { type: 'string', minLength: 1 } as const;
const absoluteUrl = { type: 'string', format: 'uri', pattern: '^[A-Za-z][A-Za-z0-9+.-]*://' } as const;

const codingSchema = {
  type: 'object',
  required: ['system', 'code'],
  additionalProperties: false,
  properties: { system: nonEmptyString, code: nonEmptyString, display: nonEmptyString },
} as const;

const actionSchema = {
  type: 'object',
  required: ['type', 'description'],
  additionalProperties: false,
  properties: {
    type: { enum: ['create', 'update', 'delete'] },
    description: nonEmptyString,
    resource: { type: 'object', required: ['resourceType'], properties: { resourceType: nonEmptyString } },
    resourceId: { type: 'string', pattern: '^[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}$' },
  },
} as const;

const suggestionSchema = {
  type: 'object',
  required: ['label'],
  additionalProperties: false,
  properties: {
    label: nonEmptyString,
    uuid: nonEmptyString,
    isRecommended: { type: 'boolean' },
    actions: { type: 'array', minItems: 1, items: actionSchema },
    actionSelectionBehavior: { enum: ['all', 'any', 'at-most-one'] },
  },
} as const;

const linkSchema = {
  type: 'object',
  required: ['label', 'url', 'type'],
  additionalProperties: false,
  properties: {
    label: nonEmptyString,
    url: absoluteUrl,
    type: { enum: ['absolute', 'smart'] },
    appContext: nonEmptyString,
    autolaunchable: { type: 'boolean' },
  },
} as const;

const cardSchema = {
  type: 'object',
  required: ['summary', 'indicator', 'source'],
  additionalProperties: false,
  properties: {
    uuid: nonEmptyString,
    summary: { type: 'string', minLength: 1, maxLength: 139 },
    detail: nonEmptyString,
    indicator: { enum: ['info', 'warning', 'critical'] },
    source: {
      type: 'object',
      required: ['label'],
      additionalProperties: false,
      properties: { label: nonEmptyString, url: absoluteUrl, icon: absoluteUrl, topic: { ...codingSchema, required: ['code', 'system'] } },
    },
    suggestions: { type: 'array', minItems: 1, items: suggestionSchema },
    selectionBehavior: { enum: ['at-most-one', 'any'] },
    overrideReasons: { type: 'array', minItems: 1, items: { ...codingSchema, required: ['system', 'code', 'display'] } },
    links: { type: 'array', minItems: 1, items: linkSchema },
    extension: { type: 'object', minProperties: 1 },
  },
} as const;

export const cdsResponseSchema = {
  type: 'object',
  required: ['cards'],
  additionalProperties: false,
  properties: {
    cards: { type: 'array', items: cardSchema },
    systemActions: { type: 'array', minItems: 1, items: actionSchema },
    extension: { type: 'object', minProperties: 1 },
  },
} as const;

const validateShape = ajv.compile(cdsResponseSchema);

export interface ResponseCheckOptions {
  /** Our policy (conformance line 24): every card and suggestion carries a uuid. Default true. */
  requireUuids?: boolean;
}

/** Every problem found (empty = valid). Messages name the JSON path. */
export function checkCdsResponse(body: unknown, options: ResponseCheckOptions = {}): string[] {
  const problems: string[] = [];
  if (!validateShape(body)) {
    for (const e of validateShape.errors ?? []) problems.push(`${e.instancePath || '(root)'} ${e.message ?? 'invalid'}`);
    return problems;
  }
  problems.push(...findEmptyValues(body, ''));
  const response = body as { cards: CardLike[]; systemActions?: ActionLike[] };
  response.cards.forEach((card, i) => problems.push(...checkCard(card, `/cards/${i}`, options.requireUuids ?? true)));
  response.systemActions?.forEach((a, i) => problems.push(...checkAction(a, `/systemActions/${i}`)));
  return problems;
}

interface ActionLike {
  type: string;
  resource?: unknown;
  resourceId?: string;
}
interface CardLike {
  uuid?: string;
  detail?: string;
  suggestions?: { uuid?: string; isRecommended?: boolean; actions?: ActionLike[] }[];
  selectionBehavior?: string;
  links?: { type: string; appContext?: string }[];
}

function checkCard(card: CardLike, at: string, requireUuids: boolean): string[] {
  const p: string[] = [];
  if (requireUuids && !card.uuid) p.push(`${at}/uuid missing (feedback needs it)`);
  if (card.suggestions) {
    // cds-resp-6
    if (!card.selectionBehavior) p.push(`${at}/selectionBehavior required when suggestions are present (cds-resp-6)`);
    // cds-resp-1
    const recommended = card.suggestions.filter((s) => s.isRecommended).length;
    if (card.selectionBehavior === 'at-most-one' && recommended > 1) p.push(`${at}: at-most-one allows one isRecommended (cds-resp-1)`);
    card.suggestions.forEach((s, j) => {
      if (requireUuids && !s.uuid) p.push(`${at}/suggestions/${j}/uuid missing`);
      s.actions?.forEach((a, k) => p.push(...checkAction(a, `${at}/suggestions/${j}/actions/${k}`)));
    });
  }
  // cds-resp-3
  card.links?.forEach((l, j) => {
    if (l.appContext !== undefined && l.type !== 'smart') p.push(`${at}/links/${j}: appContext only on smart links (cds-resp-3)`);
  });
  // Conformance line 29: GFM detail without raw HTML tags.
  if (card.detail && /<\/?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?\/?>/.test(card.detail)) p.push(`${at}/detail contains raw HTML`);
  return p;
}

/** cds-resp-2 (delete uses resourceId, no resource) and create/update carry a full resource (line 26). */
function checkAction(a: ActionLike, at: string): string[] {
  if (a.type === 'delete') return a.resource !== undefined || !a.resourceId ? [`${at}: delete needs resourceId and no resource (cds-resp-2)`] : [];
  return a.resource === undefined ? [`${at}: ${a.type} needs a resource`] : [];
}

/** Conformance line 30: no null and no empty string/array/object anywhere (`cards: []` excepted). */
function findEmptyValues(value: unknown, at: string): string[] {
  if (value === null) return [`${at || '(root)'} is null`];
  if (typeof value === 'string') return value === '' ? [`${at} is an empty string`] : [];
  if (Array.isArray(value)) {
    const own = value.length === 0 && at !== '/cards' ? [`${at} is an empty array`] : [];
    return own.concat(value.flatMap((v, i) => findEmptyValues(v, `${at}/${i}`)));
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const own = entries.length === 0 ? [`${at || '(root)'} is an empty object`] : [];
    return own.concat(entries.flatMap(([k, v]) => findEmptyValues(v, `${at}/${k}`)));
  }
  return [];
}
