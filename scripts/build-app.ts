/**
 * Bundles the SMART timeline app (src/app) for the browser with esbuild: the pure engine
 * (src/features, src/criteria, src/terminology with ucum-lhc and its unit table), fhirclient and
 * Chart.js into static files under dist/app, served at /app. `npm run build` runs it; no CDN at run time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/** The repository root: the nearest directory above this file with a package.json (scripts/ or dist/scripts/). */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above scripts/build-app');
    dir = parent;
  }
  return dir;
}

const ROOT = findRoot();

export interface BuiltApp {
  outdir: string;
  /** Output file -> bytes. */
  files: Record<string, number>;
}

/** Node built-ins must never reach the browser bundle: fail the build instead of shimming them. */
const noNodeBuiltins: esbuild.Plugin = {
  name: 'no-node-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:|fs$|path$|crypto$|http$|https$|url$|stream$|os$|zlib$)/ }, (args) => ({
      errors: [{ text: `node built-in "${args.path}" imported by ${args.importer} would not run in the browser` }],
    }));
  },
};

export async function buildApp(outdir = path.join(ROOT, 'dist', 'app')): Promise<BuiltApp> {
  // Built next to the target, then renamed file by file: a server reading dist/app meanwhile (tests
  // run in parallel) never sees a half-written bundle.
  const staging = `${outdir}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { launch: 'src/app/launch.ts', app: 'src/app/main.ts' },
    outdir: staging,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [noNodeBuiltins],
  });
  fs.mkdirSync(outdir, { recursive: true });
  const files: Record<string, number> = {};
  for (const [file, info] of Object.entries(result.metafile.outputs)) {
    const name = path.relative(staging, path.resolve(ROOT, file));
    fs.renameSync(path.join(staging, name), path.join(outdir, name));
    files[name] = info.bytes;
  }
  fs.rmSync(staging, { recursive: true, force: true });
  return { outdir, files };
}

const invokedDirectly = process.argv[1] !== undefined && /build-app\.(js|ts)$/.test(process.argv[1]);
if (invokedDirectly) {
  buildApp().then(
    ({ outdir, files }) => {
      for (const [file, bytes] of Object.entries(files)) if (file.endsWith('.js')) process.stdout.write(`${path.join(path.relative(ROOT, outdir), file)}  ${(bytes / 1024).toFixed(0)} KiB\n`);
    },
    (e: unknown) => {
      process.stderr.write(`app bundle failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
