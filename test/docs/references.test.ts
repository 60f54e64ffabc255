/**
 * Every citation of a document in docs/ resolves: `docs/<file>.md#<anchor>` in code, comments and
 * tests, and relative links between the documents. An anchor is an explicit `<a id="...">` or a
 * heading's GitHub slug. And no text in src/, docs/ or the README points at a file outside the
 * repository (the research notes the team worked from are not shipped with it).
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
  const files = [...sourceFiles(path.join(root, 'src')), ...sourceFiles(path.join(root, 'test')), ...sourceFiles(docsDir), path.join(root, 'eslint.config.js'), path.join(root, 'README.md')];
  for (const file of files) {
    const rel = path.relative(root, file);
    // This file's own examples name made-up documents on purpose.
    if (rel === path.join('test', 'docs', 'references.test.ts')) continue;
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

/**
 * Names of the research notes kept outside the repository, and paths that climb out of it. A name is
 * only a finding when it does not sit inside a path (docs/terminology.md is ours).
 */
const OUTSIDE =
  /(?<![\w/.-])(?:\.\.\/shared\b[\w./-]*|[\w./]*\bshared\/(?:reference|data|tools)\/[\w./-]*|(?:reference\/)?(?:clinical-verification|clinical|DESIGN|cds-hooks-sandbox-client|cds-hooks|terminology|fhir-test-server|smart-on-fhir|code-style-anchors|postgres-in-tests)\.md)/g;

/** Findings in one text: outside names, and markdown links whose relative target is not a file of the repository. */
function outsideReferences(rel: string, text: string): string[] {
  const found: string[] = [];
  const lineOf = (i: number): number => text.slice(0, i).split('\n').length;
  for (const m of text.matchAll(OUTSIDE)) {
    // A markdown link to a sibling document is inside the repository: checked below as a link.
    if ((text[m.index - 1] === '(' || text[m.index - 1] === '[') && rel.endsWith('.md')) continue;
    found.push(`${rel}:${lineOf(m.index)}: ${m[0]}`);
  }
  if (rel.endsWith('.md')) {
    for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      const target = m[1] ?? '';
      if (/^[a-z]+:/i.test(target)) continue;
      const resolved = path.resolve(root, path.dirname(rel), target);
      const inside = !path.relative(root, resolved).startsWith('..');
      if (!inside || !fs.existsSync(resolved)) found.push(`${rel}:${lineOf(m.index)}: link ${target}`);
    }
  }
  return found;
}

test('no text in src/, docs/ or the README refers to a file outside the repository', () => {
  const files = [...sourceFiles(path.join(root, 'src')), ...sourceFiles(docsDir), path.join(root, 'README.md')];
  const found = files.flatMap((file) => outsideReferences(path.relative(root, file), fs.readFileSync(file, 'utf8')));
  expect(found).toEqual([]);
});

test('the outside-reference check finds what it must', () => {
  expect(outsideReferences('src/x.ts', '// see clinical.md §3 and ../shared/reference/terminology.md')).toHaveLength(2);
  expect(outsideReferences('src/x.ts', '// DESIGN.md "Contracts"')).toHaveLength(1);
  expect(outsideReferences('docs/example.md', 'see [notes](../../shared/notes.md)')).toHaveLength(1);
  expect(outsideReferences('docs/example.md', 'see [codes](terminology.md#units) and docs/clinical-basis.md#astct')).toEqual([]);
  expect(outsideReferences('src/x.ts', '// docs/terminology.md#units')).toEqual([]);
});
