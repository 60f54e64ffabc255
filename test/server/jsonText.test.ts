/**
 * The hot-path JSON helpers (src/server/jsonText.ts): the text depth scan gives the answer of walking
 * the parsed value for any JSON, brackets and escaped quotes inside strings included; the byte scan
 * (worker calls) gives the text scan's answer for any bytes, JSON or not; the ASCII fast path decodes
 * to the same string as UTF-8.
 */
import fc from 'fast-check';
import { withinJsonDepth } from '../../src/security/hardening.js';
import { bodyText, bytesWithinJsonDepth, textWithinJsonDepth } from '../../src/server/jsonText.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

test.each([
  ['scalar', '1', 0, true],
  ['empty object at 0', '{}', 0, false],
  ['empty object at 1', '{}', 1, true],
  ['array in object, at the limit', '{"a":[1,{"b":2}]}', 3, true],
  ['array in object, one over', '{"a":[1,{"b":2}]}', 2, false],
  ['brackets inside a string do not count', '{"a":"[[[[{{{{"}', 1, true],
  ['an escaped quote does not end the string', '{"a":"x\\"[[[["}', 1, true],
  ['an escaped backslash before the closing quote ends it', '{"a":"x\\\\","b":[[1]]}', 2, false],
  ['three backslashes then a quote: still inside', '{"a":"\\\\\\"[[","b":1}', 1, true],
  ['unterminated string', '{"a":"[[[', 1, true],
])('%s', (_name, text, max, expected) => {
  expect(textWithinJsonDepth(text, max)).toBe(expected);
  expect(bytesWithinJsonDepth(utf8(text), max)).toBe(expected);
});

test('for any JSON value and limit, the text scan agrees with walking the parsed value', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, max) => {
      expect(textWithinJsonDepth(JSON.stringify(value), max)).toBe(withinJsonDepth(value, max));
      expect(textWithinJsonDepth(JSON.stringify(value, null, 2), max)).toBe(withinJsonDepth(value, max));
      expect(bytesWithinJsonDepth(utf8(JSON.stringify(value)), max)).toBe(withinJsonDepth(value, max));
    }),
    { numRuns: 2000 },
  );
});

test('for any bytes, valid JSON or UTF-8 or not, the byte scan agrees with the text scan of the decoded body', () => {
  // Mostly the bytes that matter (quotes, backslashes, brackets), with multi-byte and invalid UTF-8 among them.
  const byte = fc.oneof(fc.constantFrom(0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x61), fc.integer({ min: 0, max: 255 }));
  fc.assert(
    fc.property(fc.array(byte, { maxLength: 60 }), fc.integer({ min: 0, max: 6 }), (values, max) => {
      const bytes = Uint8Array.from(values);
      expect(bytesWithinJsonDepth(bytes, max)).toBe(textWithinJsonDepth(bodyText(bytes), max));
    }),
    { numRuns: 5000 },
  );
});

test('ASCII and non-ASCII bodies decode as UTF-8 would; a byte order mark is dropped', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      expect(bodyText(utf8(s))).toBe(new TextDecoder().decode(utf8(s)));
    }),
    { numRuns: 500 },
  );
  expect(bodyText(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('{}');
  // Invalid UTF-8 is replaced, not read as Latin-1.
  expect(bodyText(new Uint8Array([0x22, 0xe9, 0x22]))).toBe('"\ufffd"');
  // A view into a larger buffer reads only its own bytes.
  const big = utf8('xx{"a":1}yy');
  expect(bodyText(big.subarray(2, 9))).toBe('{"a":1}');
});
