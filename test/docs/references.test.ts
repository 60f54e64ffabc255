/**
 * Every citation of a document in docs/ resolves: `docs/<file>.md#<anchor>` in code, comments and
 * tests, relative links between the documents, and the replacements in docs/reference-map.tsv.
 * An anchor is an explicit `<a id="...">` or a heading's GitHub slug.
 */
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve('.');
const docsDir = path.join(root, 'docs');

function anchorsOf(file: string): Set<string> {
  const text = fs.readFileSync(file, 'utf8');
  const ids = new Set<string>();
  for (const m of text.matchAll(/<a id="([^"]+)"><\/a>/g)) if (m[1]) ids.add(m[1]);
  for (const m of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = (m[1] ?? '').trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    ids.add(slug);
  }
  return ids;
}

function* sourceFiles(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(p);
    else if (/\.(ts|js|mjs|json|md|tsv)$/.test(entry.name)) yield p;
  }
}

/** [where, target file (relative to the repository), anchor or ''] */
function citations(): [string, string, string][] {
  const out: [string, string, string][] = [];
  const files = [...sourceFiles(path.join(root, 'src')), ...sourceFiles(path.join(root, 'test')), ...sourceFiles(docsDir), path.join(root, 'eslint.config.js')];
  for (const file of files) {
    const rel = path.relative(root, file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?<![\w/])docs\/([\w-]+\.md)(?:#([\w-]+))?/g)) out.push([rel, `docs/${m[1] ?? ''}`, m[2] ?? '']);
    if (file.endsWith('.md') && path.dirname(file) === docsDir) {
      for (const m of text.matchAll(/\]\(([\w-]+\.md)(?:#([\w-]+))?\)/g)) out.push([rel, `docs/${m[1] ?? ''}`, m[2] ?? '']);
      for (const m of text.matchAll(/\]\(#([\w-]+)\)/g)) out.push([rel, rel, m[1] ?? '']);
    }
  }
  return out;
}

test('every docs/ citation names an existing document and anchor', () => {
  const cache = new Map<string, Set<string> | null>();
  const broken: string[] = [];
  for (const [where, target, anchor] of citations()) {
    if (!cache.has(target)) {
      const file = path.join(root, target);
      cache.set(target, fs.existsSync(file) ? anchorsOf(file) : null);
    }
    const anchors = cache.get(target);
    if (anchors === null || anchors === undefined) broken.push(`${where}: ${target} does not exist`);
    else if (anchor && !anchors.has(anchor)) broken.push(`${where}: ${target}#${anchor} has no such anchor`);
  }
  expect(broken).toEqual([]);
});

test('the checker sees anchors and slugs', () => {
  const ids = anchorsOf(path.join(docsDir, 'clinical-basis.md'));
  expect(ids.has('astct')).toBe(true);
  expect(ids.has('no-such-anchor')).toBe(false);
});
