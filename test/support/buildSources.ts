/**
 * Compiles every module of src/ to JavaScript for tests that run the real CLI in a child process or
 * a worker thread (node 20 cannot load TypeScript). esbuild strips the types file by file, keeping
 * the folder layout and the import specifiers exactly as tsc would write them (tsconfig.json has
 * isolatedModules on, so each file compiles alone), in about a second where a `tsc` emit takes
 * 15-20 CPU-seconds. Types are checked by `npm run typecheck`, not here.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

/** Every .ts module under dir (declaration files emit nothing). */
function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));
}

/** Writes `<outDir>/src/**.js` for `<root>/src/**.ts`; outDir is emptied first. */
export async function buildSources(root: string, outDir: string): Promise<void> {
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: sourceFiles(path.join(root, 'src')),
    outbase: root,
    outdir: outDir,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: path.join(root, 'tsconfig.json'),
    logLevel: 'warning',
  });
}
