/**
 * Project rules the type checker does not enforce: the FHIR layer and the service definitions do not
 * depend on the HTTP server; the command line imports its commands statically (a computed specifier
 * hides a missing module until run time), the demo by one literal dynamic import; one metrics observer; tests run in a zone that is not UTC.
 */
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve('src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
}

test.each(['fhir', 'hooks'])('src/%s imports nothing from src/server', (layer) => {
  const offending = sources(path.join(SRC, layer)).flatMap((file) =>
    importsOf(file)
      .filter((spec) => path.resolve(path.dirname(file), spec).startsWith(path.join(SRC, 'server')))
      .map((spec) => `${path.relative(SRC, file)} -> ${spec}`),
  );
  expect(offending).toEqual([]);
});

test('src/cli/main.ts imports its commands statically, the demo by a literal dynamic import only', () => {
  const text = fs.readFileSync(path.join(SRC, 'cli', 'main.ts'), 'utf8');
  // The one dynamic import keeps demo code out of `serve`; its specifier is a literal, so the type
  // checker still resolves it (a computed specifier would hide a missing module until run time).
  const dynamic = [...text.matchAll(/\bimport\s*\(\s*([^)]*)\)/g)].map((m) => m[1]);
  expect(dynamic).toEqual(["'./demoApp.js'"]);
  expect(importsOf(path.join(SRC, 'cli', 'main.ts'))).toEqual(expect.arrayContaining(['./evaluate.js', './report.js', './runtime.js']));
});

test('one metrics observer (src/observability), no copy elsewhere', () => {
  const definitions = sources(SRC).filter((file) => /export function metricsObserver\b/.test(fs.readFileSync(file, 'utf8')));
  expect(definitions.map((f) => path.relative(SRC, f))).toEqual([path.join('observability', 'observer.ts')]);
});

test('npm test and npm run test:unit run jest in a non-UTC zone (day arithmetic must not lean on the machine zone)', () => {
  const { scripts } = JSON.parse(fs.readFileSync(path.resolve('package.json'), 'utf8')) as { scripts: Record<string, string> };
  for (const name of ['test', 'test:unit']) expect(scripts[name]).toMatch(/\bTZ=America\/New_York node .*jest/);
});
