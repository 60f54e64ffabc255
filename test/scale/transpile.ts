/**
 * Runs the service from its TypeScript sources in real processes without a full `tsc` build: every
 * file under src/ (and the scale test's instance entry) is transpiled on its own (the project compiles
 * with isolatedModules, so that is exact) into node_modules/.cache, where Node still finds the
 * project's packages and the project root (hooks/). Unchanged files are not transpiled again.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Transpiles src/ and `extra` files of `root` into `<root>/node_modules/.cache/iec-hs-scale`; answers that folder. */
export function transpileForNode(root: string, extra: string[]): string {
  const out = path.join(root, 'node_modules', '.cache', 'iec-hs-scale');
  fs.mkdirSync(out, { recursive: true });
  // Package scope stops at node_modules: declare ESM here.
  fs.writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');
  for (const file of [...tsFiles(path.join(root, 'src')), ...extra]) {
    const target = path.join(out, path.relative(root, file)).replace(/\.ts$/, '.js');
    const stale = !fs.existsSync(target) || fs.statSync(target).mtimeMs < fs.statSync(file).mtimeMs;
    if (!stale) continue;
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
  }
  return out;
}
