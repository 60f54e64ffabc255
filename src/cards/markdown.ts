/**
 * GitHub-Flavored Markdown helpers for card `detail`. CDS clients render it with differing markdown
 * engines, so we emit plain GFM only (no raw HTML) and neutralise every string that came from the EHR:
 * markdown syntax, table pipes, HTML tags and line breaks all become literal text.
 */

/**
 * Punctuation that opens inline markdown or HTML anywhere in a line (CommonMark lets any ASCII punctuation
 * be backslash-escaped). Block syntax (`#`, `-`, `1.`) only counts at a line start, and escaped text never
 * starts a line here, so it is left alone to keep plain-text clients readable.
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]|~]/g;

/** Escapes text from the EHR (or any untrusted source) so it renders literally, on one line. */
export function escapeMarkdown(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- control characters are what this strips
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\s*[\r\n]+\s*/g, ' ')
    // Entities rather than backslashes for HTML: `\<b>` would still look like a tag to HTML-stripping clients.
    // `<` only opens a tag, comment or autolink before a letter, `/`, `!` or `?`; "< 150" stays readable.
    .replace(/&(?=[A-Za-z#])/g, '&amp;')
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;')
    .replace(MARKDOWN_SPECIAL, (ch) => `\\${ch}`)
    // GFM turns bare URLs into links; breaking the scheme separator keeps them literal text.
    .replace(/:\/\//g, '\\://')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\\.`)
    .trim();
}

/** A GFM table; cells are already markdown (escape EHR text before passing it). */
export function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export function bulletList(items: string[]): string {
  return items.map((item) => `- ${item}`).join('\n');
}

export function heading(text: string): string {
  return `#### ${text}`;
}
