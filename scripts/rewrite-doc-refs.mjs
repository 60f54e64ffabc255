#!/usr/bin/env node
/**
 * Re-points comments and test titles that cite research notes kept outside the repository
 * (clinical.md §8, DESIGN.md "Contracts", cds-hooks.md B.10, ...) to the documents in docs/, using the
 * table docs/reference-map.tsv (citation <TAB> replacement <TAB> ...).
 *
 *   node scripts/rewrite-doc-refs.mjs            dry run: print every change, write nothing
 *   node scripts/rewrite-doc-refs.mjs --write    apply the changes
 *   node scripts/rewrite-doc-refs.mjs --check    dry run; exit 1 if any outside citation would remain
 *   ... [dir ...]                                folders to scan (default: src test fhir-fixtures bench scripts)
 *
 * All citations are replaced in one pass per file, longest first, so a replacement is never rewritten
 * again (docs/terminology.md must not become docs/docs/terminology.md). A citation already inside a
 * path (docs/terminology.md, shared/reference/x.md) is only matched by the row that spells that path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const write = args.includes('--write');
const check = args.includes('--check');
const dirs = args.filter((a) => !a.startsWith('--'));
const scanDirs = dirs.length > 0 ? dirs : ['src', 'test', 'fhir-fixtures', 'bench', 'scripts'];
const mapFile = path.join(root, 'docs', 'reference-map.tsv');
const self = fileURLToPath(import.meta.url);

/** Rows of the map: [citation, replacement]; the header row and blank lines are skipped. */
function readMap(file) {
  const rows = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (const [i, line] of lines.entries()) {
    if (i === 0 || line.trim() === '') continue;
    const [citation, replacement] = line.split('\t');
    if (citation === undefined || replacement === undefined) throw new Error(`${file}:${i + 1}: expected citation<TAB>replacement`);
    rows.push([citation, replacement]);
  }
  return rows;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function buildMatcher(rows) {
  const byCitation = new Map(rows);
  const alternatives = [...byCitation.keys()]
    .sort((a, b) => b.length - a.length)
    // A citation that starts with a name must not start in the middle of a longer path or word.
    .map((c) => (/^[\w./]/.test(c) ? `(?<![\\w./#-])${escape(c)}` : escape(c)));
  return { regex: new RegExp(alternatives.join('|'), 'g'), byCitation };
}

/** What still points outside the repository after the rewrite (for --check and the summary). */
const OUTSIDE =
  /(?<![\w/-])(?:[\w./]*shared\/[\w./-]*|(?:reference\/)?(?:clinical-verification|clinical|DESIGN|cds-hooks-sandbox-client|cds-hooks|terminology|fhir-test-server|smart-on-fhir|code-style-anchors|postgres-in-tests)\.md)/g;

function* walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') yield* walk(p);
    } else if (/\.(ts|mts|cts|js|mjs|cjs|json)$/.test(entry.name) && p !== self) {
      yield p;
    }
  }
}

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

const { regex, byCitation } = buildMatcher(readMap(mapFile));
let changes = 0;
let changedFiles = 0;
const leftovers = [];
for (const dir of scanDirs) {
  for (const file of walk(path.join(root, dir))) {
    const rel = path.relative(root, file);
    const text = fs.readFileSync(file, 'utf8');
    let count = 0;
    const next = text.replace(regex, (match, offset) => {
      const replacement = byCitation.get(match) ?? match;
      count++;
      if (!write) console.log(`${rel}:${lineOf(text, offset)}: ${JSON.stringify(match)} -> ${JSON.stringify(replacement)}`);
      return replacement;
    });
    // Two citations of the same research file can land on the same anchor: say it once.
    const tidy = next.replace(/(docs\/[\w.-]+\.md(?:#[\w-]+)?)((?:[,;] | and )\1(?![\w#-]))+/g, '$1');
    if (count > 0) {
      changes += count;
      changedFiles++;
      if (write) fs.writeFileSync(file, tidy);
    }
    for (const m of tidy.matchAll(OUTSIDE)) leftovers.push(`${rel}:${lineOf(tidy, m.index)}: ${m[0]}`);
  }
}

console.log(`${write ? 'rewrote' : 'would rewrite'} ${changes} citation(s) in ${changedFiles} file(s)`);
if (leftovers.length > 0) {
  console.log(`${leftovers.length} citation(s) of files outside the repository have no row in docs/reference-map.tsv:`);
  for (const l of leftovers) console.log(`  ${l}`);
}
process.exitCode = check && leftovers.length > 0 ? 1 : 0;
