/**
 * Loads `hooks/*.json` (one declarative file per CDS service) at start-up. A broken file stops start-up
 * with a message naming the file and the field. Neutral ground: the server builds discovery and its
 * routes from these definitions, and the FHIR layer runs their prefetch templates (command line).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { REQUIRED_DATA_ITEMS, isSupportedResourceType } from '../fhir/dataItems.js';
import { checkPrefetchTemplate, isReadTemplate, templateResourceType } from '../fhir/templates.js';
import { hookDefinitionSchema, type HookDefinition } from './schema.js';

/** Hooks this server knows how to answer (request validation and card pipeline exist for them). */
export const SUPPORTED_HOOKS = ['patient-view', 'order-select'] as const;
export type SupportedHook = (typeof SUPPORTED_HOOKS)[number];

export interface ServiceDefinition extends HookDefinition {
  hook: SupportedHook;
  /** File it came from (for messages). */
  file: string;
}

export class HookDefinitionError extends Error {
  constructor(file: string, field: string, problem: string) {
    super(`Invalid CDS service definition ${file}: ${field}: ${problem}`);
    this.name = 'HookDefinitionError';
  }
}

const validateDefinition = new Ajv({ allErrors: true, strict: true }).compile<HookDefinition>(hookDefinitionSchema);

/** The repository root (holds package.json and hooks/), found from this module's location so src/ and dist/ both work. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'hooks'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export function defaultHooksDir(): string {
  return path.join(projectRoot(), 'hooks');
}

/** Reads and checks every `*.json` in `dir`, sorted by file name. Throws HookDefinitionError on the first problem. */
export function loadServiceDefinitions(dir: string): ServiceDefinition[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const services = files.map((f) => parseServiceDefinition(path.join(dir, f)));
  const seen = new Set<string>();
  for (const s of services) {
    const key = `${s.id} ${s.hook}`;
    if (seen.has(key)) throw new HookDefinitionError(s.file, '/id', `duplicate service id "${s.id}" for hook ${s.hook}`);
    seen.add(key);
  }
  return services;
}

/** `/title: must be string` style text of the first few schema errors. */
function describeErrors(errors: ErrorObject[] | null | undefined): string {
  const lines = (errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message ?? 'is invalid'}`);
  return [...new Set(lines)].slice(0, 5).join('; ');
}

export function parseServiceDefinition(file: string, text = fs.readFileSync(file, 'utf8')): ServiceDefinition {
  const name = path.basename(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new HookDefinitionError(name, '(file)', `not valid JSON (${(e as Error).message})`);
  }
  if (!validateDefinition(json)) {
    const first = validateDefinition.errors?.[0];
    const missing = first?.keyword === 'required' ? `/${String((first.params as { missingProperty: string }).missingProperty)}` : '';
    const extra = first?.keyword === 'additionalProperties' ? `/${String((first.params as { additionalProperty: string }).additionalProperty)}` : '';
    throw new HookDefinitionError(name, `${first?.instancePath ?? ''}${missing}${extra}` || '(root)', describeErrors(validateDefinition.errors));
  }
  const def = json;
  if (!(SUPPORTED_HOOKS as readonly string[]).includes(def.hook)) {
    throw new HookDefinitionError(name, '/hook', `hook "${def.hook}" is not supported (supported: ${SUPPORTED_HOOKS.join(', ')})`);
  }
  for (const [key, template] of Object.entries(def.prefetch ?? {})) {
    const problems = checkPrefetchTemplate(template, def.hook);
    if (problems.length > 0) throw new HookDefinitionError(name, `/prefetch/${key}`, problems.join('; '));
    const type = templateResourceType(template);
    if (!isSupportedResourceType(type)) throw new HookDefinitionError(name, `/prefetch/${key}`, `resource type ${type} is not used by this service`);
    if ((type === 'Patient') !== isReadTemplate(template)) {
      throw new HookDefinitionError(name, `/prefetch/${key}`, 'Patient must be an instance read, every other type a search');
    }
  }
  for (const key of REQUIRED_DATA_ITEMS) {
    if (!def.prefetch?.[key]) throw new HookDefinitionError(name, `/prefetch/${key}`, 'required data item has no template');
  }
  return { ...def, hook: def.hook as SupportedHook, file: name };
}

/** The prefetch templates of one service (default the surveillance service), for callers that fetch a patient themselves. */
export function prefetchTemplatesOf(serviceId = 'iec-hs-surveillance', dir = defaultHooksDir()): Record<string, string> {
  const service = loadServiceDefinitions(dir).find((s) => s.id === serviceId);
  if (!service) throw new Error(`No service ${serviceId} in ${dir}`);
  return { ...(service.prefetch ?? {}) };
}
