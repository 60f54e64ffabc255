/**
 * Browser libraries the demo page loads, served from node_modules (no CDN, no build step). Only the
 * files listed here are reachable; each is resolved once, at router creation.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

interface VendorFile {
  pkg: string;
  /** Path inside the package directory. */
  file: string;
}

/** URL name under /vendor/ -> package file. (Chart.js is bundled into the SMART app, which draws the timeline.) */
const VENDOR_FILES: Record<string, VendorFile> = {
  'marked.esm.js': { pkg: 'marked', file: 'lib/marked.esm.js' },
  'purify.es.mjs': { pkg: 'dompurify', file: 'dist/purify.es.mjs' },
};

const require = createRequire(import.meta.url);

/** Packages' `exports` hide package.json, so walk up from the entry point to the directory that owns it. */
function packageDir(pkg: string): string {
  let dir = path.dirname(require.resolve(pkg));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === pkg) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package directory of ${pkg} not found`);
    dir = parent;
  }
}

/** URL name -> absolute file path, for every vendor file. Throws at start-up if a package is missing. */
export function resolveVendorFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, { pkg, file }] of Object.entries(VENDOR_FILES)) {
    const full = path.join(packageDir(pkg), file);
    if (!fs.existsSync(full)) throw new Error(`vendor file missing: ${pkg}/${file}`);
    files.set(name, full);
  }
  return files;
}
