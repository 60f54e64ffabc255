// ESLint 9 flat configuration. The layer table below is the one docs/architecture.md explains;
// change both together. `npm run lint` runs it, and `npm test` runs that.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * Which src/ folders each src/ folder may import from (besides itself). `typeOnly` folders may be
 * imported with `import type` only. A folder missing from this table is not checked yet; a folder
 * missing from a row's lists is forbidden to that row, so a new folder is kept out of the engine.
 * The table is acyclic on purpose: with it, no folder-level import cycle can exist.
 */
export const LAYERS = {
  // Pure engine: no I/O, nothing from the edges.
  terminology: { may: [], typeOnly: [] },
  features: { may: ['terminology'], typeOnly: [] },
  criteria: { may: ['features', 'terminology'], typeOnly: [] },
  cards: { may: ['criteria', 'features', 'terminology'], typeOnly: [] },
  // Leaves shared by the edges.
  config: { may: ['net'], typeOnly: [] },
  // The one loopback definition: a leaf every edge may read.
  net: { may: [], typeOnly: [] },
  // OperationOutcome bodies and the error type every HTTP edge answers with.
  http: { may: [], typeOnly: [] },
  // Implements the server's observer port, so it sees the server's types and nothing else of it.
  observability: { may: [], typeOnly: ['cards', 'config', 'fhir', 'server'] },
  // Edges.
  fhir: { may: ['net'], typeOnly: ['features', 'config'] },
  hooks: { may: ['fhir'], typeOnly: [] },
  // Stores CDS Hooks cards, so it knows their wire shape; card logic stays in src/cards.
  feedback: { may: ['terminology'], typeOnly: ['cards', 'config', 'security'] },
  security: { may: ['config', 'http'], typeOnly: [] },
  fixtures: { may: ['features', 'terminology', 'fhir'], typeOnly: ['criteria', 'cards'] },
  'embedded-fhir': { may: ['fixtures'], typeOnly: [] },
  // Never demo, embedded-fhir or fixtures: production loads no demo code.
  server: {
    may: ['cards', 'config', 'criteria', 'features', 'feedback', 'fhir', 'hooks', 'http', 'net', 'security', 'terminology'],
    typeOnly: [],
  },
  // Background census of the watched patients: reads FHIR like the server, logs through its logger type,
  // keeps its episodes in feedback's versioned SQL layer (one schema per table).
  census: { may: ['config', 'criteria', 'features', 'feedback', 'fhir', 'hooks', 'security', 'terminology'], typeOnly: ['server'] },
  // The SMART launch and app routes: server-side, shares the security headers.
  smart: { may: ['config', 'http', 'security'], typeOnly: [] },
  // The browser app (bundled for public/): it runs the engine in the page, so it may import the engine layers,
  // and fhir for its pure resource sorting (fhir/bundle.ts); esbuild's no-node-builtins check keeps it browser-safe.
  app: { may: ['cards', 'criteria', 'features', 'fhir', 'terminology'], typeOnly: [] },
  // Composition roots: demo wires the embedded FHIR server and fixtures; cli wires everything.
  demo: {
    may: ['cards', 'config', 'criteria', 'embedded-fhir', 'features', 'feedback', 'fhir', 'fixtures', 'hooks', 'http', 'observability', 'security', 'server', 'terminology'],
    typeOnly: [],
  },
  cli: { may: ['*'], typeOnly: [] },
};

/**
 * import-x/no-cycle skips `import type` edges by design, so a cycle held together by types (a context
 * type declared in an index that imports its renderers) passes it. This rule sees every import of
 * src/: it builds the file graph once per lint run and reports each file that sits on a cycle.
 */
const typeCycleRule = {
  meta: { type: 'problem', schema: [], messages: { cycle: 'Import cycle, type imports included: {{cycle}}' } },
  create(context) {
    return {
      Program(node) {
        const cycle = cycleThrough(context.physicalFilename);
        if (cycle) context.report({ node, messageId: 'cycle', data: { cycle } });
      },
    };
  },
};

let cycleIndex;
function cycleThrough(file) {
  cycleIndex ??= buildCycleIndex(path.join(root, 'src'));
  return cycleIndex.get(path.resolve(file));
}

function buildCycleIndex(dir) {
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) files.push(p);
    }
  };
  walk(dir);
  const spec = /\b(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?'(\.{1,2}\/[^']+)'|\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;
  const edges = new Map();
  for (const f of files) {
    const out = new Set();
    for (const m of fs.readFileSync(f, 'utf8').matchAll(spec)) {
      const base = path.resolve(path.dirname(f), m[1] ?? m[2]);
      const target = [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')].find((t) => fs.existsSync(t));
      if (target) out.add(target);
    }
    edges.set(f, out);
  }
  // Tarjan's strongly connected components; every component of two or more files is a cycle.
  const index = new Map(), low = new Map(), stack = [], onStack = new Set(), result = new Map();
  let counter = 0;
  const visit = (v) => {
    index.set(v, counter); low.set(v, counter); counter++; stack.push(v); onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do { w = stack.pop(); onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1) {
        const names = component.map((c) => path.relative(root, c)).sort().join(', ');
        for (const c of component) result.set(c, names);
      }
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return result;
}

const srcFolders = fs
  .readdirSync(path.join(root, 'src'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'types')
  .map((d) => d.name);

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** no-restricted-imports patterns for one folder: relative imports that climb into a forbidden folder. */
function layerPatterns(folder, { may, typeOnly }) {
  if (may.includes('*')) return [];
  const allowed = new Set([folder, ...may]);
  const patterns = [];
  for (const other of srcFolders) {
    if (allowed.has(other)) continue;
    const only = typeOnly.includes(other);
    patterns.push({
      // A .json under ../hooks/ is the service definitions folder at the root, not src/hooks.
      regex: `^(\\.\\./)+${escape(other)}(/|$)(?!.*\\.json$)`,
      allowTypeImports: only,
      message: only
        ? `src/${folder} may import src/${other} for types only (docs/architecture.md#import-rules).`
        : `src/${folder} may not import src/${other} (docs/architecture.md#import-rules).`,
    });
  }
  return patterns;
}

const layerBlocks = Object.entries(LAYERS).map(([folder, rule]) => ({
  name: `layers/${folder}`,
  files: [`src/${folder}/**/*.ts`],
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', { patterns: layerPatterns(folder, rule) }],
  },
}));

export default tseslint.config(
  {
    name: 'ignores',
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'public/vendor/**', 'data/**', 'test-artifacts/**'],
  },
  {
    name: 'typescript',
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX, local: { rules: { 'no-type-cycle': typeCycleRule } } },
    settings: {
      // Without these import-x does not parse the .ts files it follows, and no-cycle sees nothing.
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      // Express needs all four parameters of an error handler, and rest siblings drop a field on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Async methods that implement a Promise interface over a synchronous driver (better-sqlite3) or
      // an in-memory fake are correct without await; the floating-promise rules still guard callers.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    name: 'type-cycles',
    files: ['src/**/*.ts'],
    rules: { 'local/no-type-cycle': 'error' },
  },
  ...layerBlocks,
  {
    name: 'tests',
    files: ['test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      // Jest's expect(...).rejects and mocks trip these without being bugs.
      '@typescript-eslint/unbound-method': 'off',
      'jest/unbound-method': 'error',
      // Tests read untyped JSON: supertest and fetch bodies are `any`, as are fixture resources parsed
      // from disk, so member access on them is the point of the test, and a wrong guess fails it.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // In a test, `x!` on a value the test built or just checked is itself an assertion: if it is wrong
      // the test fails with a TypeError. src/ keeps the rule.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Table-driven tests pick the assertion that applies to each fixed row with an `if`.
      'jest/no-conditional-expect': 'off',
      // Helpers that assert: expect*/assert* helpers, fast-check properties, supertest's .expect(...).
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'assert*', 'fc.assert', 'request.**.expect', 'refusedWith', 'runCase', 'bothPaths'] }],
      // Whole-suite invariants (every card a file built, a loaded server) are checked once, in before/afterAll.
      'jest/no-standalone-expect': ['error', { additionalTestBlockFunctions: ['afterAll', 'beforeAll'] }],
    },
  },
  {
    // Shared contract suites: modules that export a describe-builder for several backends.
    name: 'test-contracts',
    files: ['test/**/contract.ts'],
    rules: { 'jest/no-export': 'off' },
  },
  {
    name: 'javascript',
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [js.configs.recommended, tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'browser',
    files: ['public/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
