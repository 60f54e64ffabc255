/**
 * Request bytes -> JSON text, and the nesting-depth check done before the text is parsed.
 * Both sit on the hot path of every hook call; measured with `node --cpu-prof` on the 4 MiB bench body
 * (one run, busy 2-core machine): UTF-8 decoding 20-28 ms against 4-7 ms for the same ASCII bytes read as
 * Latin-1, and walking the parsed value for its depth 12-15 ms against 6 ms for this scan of the text.
 * The scan has two forms: on the text (the fastest, for calls evaluated on the event loop, which decode
 * the text anyway) and on the bytes (for calls handed to a worker: the event loop, idle while the worker
 * is busy, checks the bytes, so the worker, the bottleneck of the heavy load, does not).
 */
import { isAscii } from 'node:buffer';

/**
 * The body as a string. Pure ASCII (what FHIR JSON almost always is: non-ASCII text travels as \u
 * escapes or not at all) is read as Latin-1, which for bytes below 0x80 is the same string and skips
 * UTF-8 validation; anything else is decoded as UTF-8 (invalid sequences become U+FFFD, as before).
 */
export function bodyText(bytes: Uint8Array): string {
  // A view, not a copy; a UTF-8 byte order mark is dropped as body-parser does.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset + bom, bytes.byteLength - bom);
  return view.toString(isAscii(view) ? 'latin1' : 'utf8');
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * True when no object or array in the JSON `text` opens deeper than `maxDepth` (a scalar is depth 0,
 * `{}` is 1): for valid JSON the same answer as walking the parsed value (withinJsonDepth in
 * src/security/hardening.ts). Brackets inside strings do not count; strings are skipped with indexOf.
 * Stops at the first level too deep. Linear: each backslash run is looked at once, before the quote it
 * precedes.
 */
export function textWithinJsonDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = i;
      for (;;) {
        end = text.indexOf('"', end + 1);
        // An unterminated string: no bracket follows, and JSON.parse will refuse the text.
        if (end < 0) return true;
        let backslashes = 0;
        for (let k = end - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return false;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return true;
}

/**
 * The answer of textWithinJsonDepth(bodyText(bytes), maxDepth), read from the UTF-8 bytes: the
 * structural characters are ASCII, and no byte of a multi-byte sequence (or of an invalid one, which
 * decodes to U+FFFD) is below 0x80. A byte loop, because TypedArray indexOf costs more per string than
 * String indexOf: on the 4 MiB bench body 6.3 ms against 5.0 ms for the text scan (one run, 2-core VM).
 */
export function bytesWithinJsonDepth(bytes: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      // Inside a string a backslash escapes the next byte; the first unescaped quote ends it.
      for (i++; i < n; i++) {
        const d = bytes[i];
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return false;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return true;
}
