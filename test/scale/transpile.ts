/**
 * Runs the service from its TypeScript sources in real processes without a full `tsc` build: the
 * instance entry and the files it imports are transpiled one by one (the project compiles
 * with isolatedModules, so that is exact) into node_modules/.cache, where Node still finds the
 * project's packages and the project root (hooks/). Unchanged files are not transpiled again.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Relative module specifiers of a transpiled file (static and dynamic imports, re-exports). */
function relativeImports(js: string): string[] {
  return [...js.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)].flatMap((m) => (m[1] ? [m[1]] : []));
}

/**
 * Transpiles `entries` and every project file they import (relative imports, followed from the
 * transpiled output, so type-only imports are not followed) into `<root>/node_modules/.cache/iec-hs-scale`;
 * answers that folder.
 */
export function transpileForNode(root: string, entries: string[]): string {
  const out = path.join(root, 'node_modules', '.cache', 'iec-hs-scale');
  fs.mkdirSync(out, { recursive: true });
  // Package scope stops at node_modules: declare ESM here.
  fs.writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');
  const queue = [...entries];
  const seen = new Set<string>();
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const target = path.join(out, path.relative(root, file)).replace(/\.ts$/, '.js');
    let js: string;
    if (fs.existsSync(target) && fs.statSync(target).mtimeMs >= fs.statSync(file).mtimeMs) {
      js = fs.readFileSync(target, 'utf8');
    } else {
      js = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, js);
    }
    for (const specifier of relativeImports(js)) {
      const resolved = path.resolve(path.dirname(file), specifier);
      const source = resolved.replace(/\.js$/, '.ts');
      if (source.endsWith('.ts') && fs.existsSync(source)) queue.push(source);
    }
  }
  return out;
}
