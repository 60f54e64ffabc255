/**
 * The one citation table (src/criteria/publications.ts) and docs/clinical-basis.md say the same: each
 * publication's section holds its DOI as a doi.org link (or, without a DOI, its URL), and every DOI a
 * section gives under **Publication.** is in the table.
 */
import fs from 'node:fs';
import { PUBLICATIONS, type Publication } from '../../src/criteria/publications.js';
import { SOURCES } from '../../src/criteria/sources.js';

const DOC = 'docs/clinical-basis.md';
const text = fs.readFileSync(DOC, 'utf8');
const table: [string, Publication][] = Object.entries(PUBLICATIONS);

/** The text of a section: from its `<a id>` to the next one. */
function section(anchor: string): string {
  const start = text.indexOf(`<a id="${anchor}"></a>`);
  if (start < 0) throw new Error(`${DOC} has no anchor #${anchor}`);
  const next = text.indexOf('<a id="', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

describe('citation table vs docs/clinical-basis.md', () => {
  test.each(table)('%s: its section cites the same DOI or URL', (_id, p) => {
    const [file, anchor = ''] = p.doc.split('#');
    expect(file).toBe(DOC);
    const body = section(anchor);
    expect(body).toContain('**Publication.**');
    if (p.doi) {
      expect(p.url).toBe(`https://doi.org/${p.doi}`);
      expect(body).toContain(`doi:[${p.doi}](https://doi.org/${p.doi})`);
    } else if (p.url) {
      expect(body).toContain(p.url);
    }
  });

  test('every DOI a **Publication.** paragraph gives is in the table', () => {
    const paragraphs = text.split(/\n\s*\n/).filter((para) => para.startsWith('**Publication.**'));
    expect(paragraphs.length).toBeGreaterThanOrEqual(table.length);
    const known = new Set(table.map(([, p]) => p.doi).filter((d) => d !== undefined));
    const cited = paragraphs.flatMap((para) => [...para.matchAll(/doi:\[([^\]]+)\]/g)].map((m) => m[1]));
    expect(cited.length).toBeGreaterThan(0);
    for (const doi of cited) expect({ doi, inTable: known.has(doi ?? '') }).toEqual({ doi, inTable: true });
  });

  test('every criteria set cites a publication of the table', () => {
    const urls = new Set(table.map(([, p]) => p.url));
    for (const source of Object.values(SOURCES)) expect(urls.has(source.url)).toBe(true);
  });
});
