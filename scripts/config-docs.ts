/**
 * Generates docs/configuration.md from the configuration code itself, so the document cannot drift:
 * keys, types and bounds from the JSON Schema (src/config/schema.ts), descriptions from the JSDoc of
 * the AppConfig types (src/config/types.ts), defaults per mode (src/config/defaults.ts), environment
 * variables from the ENV_VARS table (src/config/load.ts) and threshold ids from the threshold table.
 * test/docs/configuration.test.ts fails when the committed document differs from this output.
 *
 *   npm run docs:config            rewrite docs/configuration.md
 *   npm run docs:config -- --check exit 1 when docs/configuration.md is out of date
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { defaultConfig } from '../src/config/defaults.js';
import { CONFIG_ENV_VARS } from '../src/config/load.js';
import { configSchema } from '../src/config/schema.js';
import type { Mode } from '../src/config/types.js';
import { THRESHOLD_TABLE } from '../src/criteria/thresholds.js';

const MODES: readonly Mode[] = ['demo', 'production', 'test'];
const DOC_PATH = path.join('docs', 'configuration.md');

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  minItems?: number;
  format?: string;
};

interface EnvVar {
  name: string;
  key: string;
  expected: string | undefined;
}

/** One documented configuration key. */
interface KeyRow {
  key: string;
  type: string;
  defaults: Map<Mode, unknown>;
  env: string | undefined;
  description: string;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();

// ---- Descriptions: JSDoc of src/config/types.ts, read from the syntax tree -----------------------

type Member = { doc: string; type: ts.TypeNode | undefined };
type Members = Map<string, Member>;

function readTypeDocs(file: string): { interfaces: Map<string, Members>; source: ts.SourceFile } {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const interfaces = new Map<string, Members>();
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) interfaces.set(statement.name.text, membersOf(statement.members));
  }
  return { interfaces, source };
}

function docOf(node: ts.Node): string {
  const parts: string[] = [];
  for (const doc of ts.getJSDocCommentsAndTags(node)) {
    if (ts.isJSDoc(doc)) parts.push(ts.getTextOfJSDocComment(doc.comment) ?? '');
  }
  return parts.join(' ').trim();
}

function membersOf(members: ts.NodeArray<ts.TypeElement>): Members {
  const out: Members = new Map();
  for (const m of members) {
    if (ts.isPropertySignature(m) && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) {
      out.set(m.name.text, { doc: docOf(m), type: m.type });
    }
  }
  return out;
}

/** Members of a type node: a literal, a local interface, an intersection of those, or an array of one. */
function resolveMembers(type: ts.TypeNode | undefined, interfaces: Map<string, Members>): Members {
  if (!type) return new Map();
  if (ts.isTypeLiteralNode(type)) return membersOf(type.members);
  if (ts.isArrayTypeNode(type)) return resolveMembers(type.elementType, interfaces);
  if (ts.isParenthesizedTypeNode(type)) return resolveMembers(type.type, interfaces);
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) return interfaces.get(type.typeName.text) ?? new Map<string, Member>();
  if (ts.isIntersectionTypeNode(type)) {
    const out: Members = new Map();
    for (const t of type.types) for (const [k, v] of resolveMembers(t, interfaces)) out.set(k, v);
    return out;
  }
  return new Map();
}

// ---- Environment variables: the ENV_VARS table of src/config/load.ts ------------------------------

function readEnvVars(file: string): EnvVar[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  let table: ts.ArrayLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'ENV_VARS' && node.initializer) {
      let init: ts.Expression = node.initializer;
      while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)) init = init.expression;
      if (ts.isArrayLiteralExpression(init)) table = init;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!table) throw new Error(`${file}: ENV_VARS table not found; update scripts/config-docs.ts`);
  const rows: EnvVar[] = [];
  for (const element of table.elements) {
    if (!ts.isArrayLiteralExpression(element)) throw new Error(`${file}: unexpected ENV_VARS entry ${element.getText(source)}`);
    const [name, keyPath, , expected] = element.elements;
    if (!name || !ts.isStringLiteral(name) || !keyPath || !ts.isArrayLiteralExpression(keyPath)) {
      throw new Error(`${file}: unexpected ENV_VARS entry ${element.getText(source)}`);
    }
    const key = keyPath.elements.map((e) => (ts.isStringLiteral(e) ? e.text : e.getText(source))).join('.');
    rows.push({ name: name.text, key, expected: expected && ts.isStringLiteralLike(expected) ? expected.text : undefined });
  }
  return rows;
}

// ---- Types, bounds and defaults from the JSON Schema -----------------------------------------------

function describeType(s: Schema): string {
  if (s.anyOf) return s.anyOf.map(describeType).join(' or ');
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return `one of ${s.enum.map((v) => `\`${String(v)}\``).join(', ')}`;
  const bounds = (): string =>
    s.minimum !== undefined && s.maximum !== undefined
      ? ` ${s.minimum.toLocaleString('en-US')}-${s.maximum.toLocaleString('en-US')}`
      : s.minimum !== undefined
        ? ` >= ${s.minimum}`
        : '';
  switch (s.type) {
    case 'integer':
      return `integer${bounds()}`;
    case 'number':
      return `number${bounds()}`;
    case 'boolean':
      return 'boolean';
    case 'string':
      if (s.format === 'uri') return 'URL (http or https)';
      return s.minLength && s.minLength > 1 ? `string, at least ${s.minLength} characters` : 'string';
    case 'array':
      return `list${s.minItems ? ` (at least ${s.minItems})` : ''} of ${s.items ? describeType(s.items) : 'values'}`;
    case 'object':
      if (s.additionalProperties && typeof s.additionalProperties === 'object') return `map of name to ${describeType(s.additionalProperties)}`;
      return 'object';
    default:
      return 'value';
  }
}

function valueAt(obj: unknown, keyPath: string[]): unknown {
  let cur: unknown = obj;
  for (const k of keyPath) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Absolute default paths (path.resolve at start-up) are shown relative to the working directory. */
function showValue(v: unknown): string {
  if (v === undefined) return '(none)';
  const cwd = process.cwd() + path.sep;
  const text = JSON.stringify(v, (_k, value: unknown) => (typeof value === 'string' && value.startsWith(cwd) ? `./${value.slice(cwd.length).split(path.sep).join('/')}` : value));
  return `\`${text}\``;
}

function showDefaults(defaults: Map<Mode, unknown>): string {
  const shown = MODES.map((m) => [m, showValue(defaults.get(m))] as const);
  const distinct = new Set(shown.map(([, v]) => v));
  if (distinct.size === 1) return shown[0]?.[1] ?? '';
  return shown.map(([m, v]) => `${m}: ${v}`).join('; ');
}

function collectKeys(
  schema: Schema,
  fileSchema: Schema | undefined,
  members: Members,
  interfaces: Map<string, Members>,
  prefix: string[],
  env: Map<string, string>,
  rows: KeyRow[],
): void {
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    if (prefix.length === 0 && name === 'mode') continue; // chosen on the command line
    const keyPath = [...prefix, name];
    const key = keyPath.join('.');
    const member = members.get(name);
    const fileChild = fileSchema?.properties?.[name];
    const requiredInFile = fileSchema?.required?.includes(name) ?? false;
    if (child.type === 'object' && child.properties) {
      if (member?.doc) rows.push({ key, type: 'object (fields below)', defaults: new Map(), env: undefined, description: member.doc });
      collectKeys(child, fileChild, resolveMembers(member?.type, interfaces), interfaces, keyPath, env, rows);
      continue;
    }
    if (child.type === 'array' && child.items?.type === 'object' && child.items.properties) {
      const defaults = new Map(MODES.map((m) => [m, valueAt(defaultConfig(m), keyPath)] as const));
      rows.push({ key, type: 'list of objects (below)', defaults, env: env.get(key), description: member?.doc ?? '' });
      collectKeys(child.items, fileChild?.items, resolveMembers(member?.type, interfaces), interfaces, [...prefix, `${name}[]`], env, rows);
      continue;
    }
    const defaults = new Map(MODES.map((m) => [m, prefix.some((p) => p.endsWith('[]')) ? undefined : valueAt(defaultConfig(m), keyPath)] as const));
    const type = describeType(child) + (requiredInFile ? ', required' : '');
    rows.push({ key, type, defaults, env: env.get(key), description: member?.doc ?? '' });
  }
}

/** The whole document, as it must be committed. */
export function renderConfigurationDoc(root = process.cwd()): string {
  const { interfaces } = readTypeDocs(path.join(root, 'src', 'config', 'types.ts'));
  const envVars = readEnvVars(path.join(root, 'src', 'config', 'load.ts'));
  const missing = CONFIG_ENV_VARS.filter((n) => n !== 'CONFIG_FILE' && !envVars.some((e) => e.name === n));
  if (missing.length > 0) throw new Error(`environment variables not found in ENV_VARS: ${missing.join(', ')}`);
  const envByKey = new Map(envVars.map((e) => [e.key, e.name]));
  const rows: KeyRow[] = [];
  collectKeys(configSchema(true), configSchema(false), interfaces.get('AppConfig') ?? new Map<string, Member>(), interfaces, [], envByKey, rows);

  const out: string[] = [];
  out.push('# Configuration');
  out.push('');
  out.push('<!-- Generated by `npm run docs:config` from src/config and src/criteria/thresholds.ts. Do not edit by hand. -->');
  out.push('');
  out.push('The service starts from safe defaults for its mode (`demo`, `production` or `test`, chosen on the');
  out.push('command line), layers one JSON file on top (`CONFIG_FILE`), then the environment variables below.');
  out.push('Objects merge field by field; lists and values replace. Every field of the file is optional, an');
  out.push('unknown field is refused (a typo never falls back to a default silently), and a production');
  out.push('configuration that is unsafe is refused at start-up with the list of reasons.');
  out.push('');
  out.push('<a id="environment"></a>');
  out.push('## Environment variables');
  out.push('');
  out.push('| variable | sets | expected |');
  out.push('|---|---|---|');
  out.push('| `CONFIG_FILE` | (the JSON configuration file to read) | a path |');
  for (const e of envVars) out.push(`| \`${e.name}\` | [\`${e.key}\`](#keys) | ${cell(e.expected ?? describeType(schemaAt(e.key)))} |`);
  out.push('');
  out.push('<a id="keys"></a>');
  out.push('## Configuration keys');
  out.push('');
  out.push('`[]` marks the fields of each entry of a list. Defaults that differ per mode are given per mode.');
  out.push('');
  out.push('| key | type | default | environment | description |');
  out.push('|---|---|---|---|---|');
  for (const r of rows) {
    out.push(`| \`${r.key}\` | ${cell(r.type)} | ${cell(showDefaults(r.defaults))} | ${r.env ? `\`${r.env}\`` : ''} | ${cell(r.description)} |`);
  }
  out.push('');
  out.push('<a id="thresholds"></a>');
  out.push('## Clinical thresholds (`thresholds`)');
  out.push('');
  out.push('`thresholds` overrides any row of the threshold table by id, for example');
  out.push('`{"thresholds": {"watch.windowDays": 60}}`. An unknown id, a value that is not a finite number or a');
  out.push('value outside the row\'s bounds stops the service at start-up. `local` rows are rules of this');
  out.push('service where no published number exists; `verified` says whether the number was read in its');
  out.push('source. See [clinical-basis.md](clinical-basis.md) for the publications.');
  out.push('');
  out.push('| id | default | unit | bounds | kind | verified | description |');
  out.push('|---|---|---|---|---|---|---|');
  for (const row of THRESHOLD_TABLE as readonly { id: string; value: number; unit: string; kind: string; verified: boolean; min?: number; max?: number; description: string }[]) {
    const bounds = row.min !== undefined || row.max !== undefined ? `${row.min ?? ''}-${row.max ?? ''}` : '';
    out.push(`| \`${row.id}\` | ${row.value} | ${cell(row.unit)} | ${bounds} | ${row.kind} | ${row.verified ? 'yes' : 'no'} | ${cell(row.description)} |`);
  }
  out.push('');
  return out.join('\n');

  function schemaAt(key: string): Schema {
    let s: Schema | undefined = configSchema(true);
    for (const k of key.split('.')) s = s?.properties?.[k];
    return s ?? {};
  }
}

function main(): number {
  const text = renderConfigurationDoc();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(DOC_PATH) ? fs.readFileSync(DOC_PATH, 'utf8') : '';
    if (current !== text) {
      console.error(`${DOC_PATH} is out of date: run npm run docs:config`);
      return 1;
    }
    console.log(`${DOC_PATH} is up to date`);
    return 0;
  }
  fs.writeFileSync(DOC_PATH, text);
  console.log(`wrote ${DOC_PATH}`);
  return 0;
}

const invoked = process.argv[1];
if (invoked && import.meta.url === pathToFileURL(path.resolve(invoked)).href) {
  process.exitCode = main();
}
