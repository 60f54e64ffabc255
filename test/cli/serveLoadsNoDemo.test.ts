/**
 * `serve` loads no demo code: the static import graph of the command line entry (src/cli/main.ts)
 * reaches no file of src/demo, src/embedded-fhir or src/fixtures. The demo is loaded with a dynamic
 * import in demo mode only (docs/architecture.md#import-rules).
 */
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve('src');
const DEMO_ONLY = ['demo', 'embedded-fhir', 'fixtures'].map((d) => path.join(root, d) + path.sep);

/** Static `import ... from './x.js'` and `export ... from` edges; `import type` and `import()` are not loads at start-up. */
function staticImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'(\.{1,2}\/[^']+)'/gm)) {
    if (m[2] || !m[3]) continue;
    const base = path.resolve(path.dirname(file), m[3]);
    const target = [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')].find((t) => fs.existsSync(t));
    if (target) out.push(target);
  }
  return out;
}

function reachable(entry: string): Map<string, string> {
  const via = new Map<string, string>([[entry, '']]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const next of staticImports(file)) {
      if (!via.has(next)) {
        via.set(next, file);
        queue.push(next);
      }
    }
  }
  return via;
}

test('the command line entry statically loads no demo, embedded FHIR or fixture module', () => {
  const via = reachable(path.join(root, 'cli', 'main.ts'));
  const demo = [...via.keys()].filter((f) => DEMO_ONLY.some((d) => f.startsWith(d)));
  expect(demo.map((f) => `${path.relative(root, f)} (imported by ${path.relative(root, via.get(f) ?? '')})`)).toEqual([]);
});

test('the check sees a static import of demo code', () => {
  const via = reachable(path.join(root, 'cli', 'demoApp.ts'));
  expect([...via.keys()].some((f) => DEMO_ONLY.some((d) => f.startsWith(d)))).toBe(true);
});
