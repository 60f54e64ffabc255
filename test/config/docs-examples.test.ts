/** The example configurations in docs/security.md load as documented (first: production, second: demo). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { Mode } from '../../src/config/types.js';

const doc = fs.readFileSync(path.resolve('docs', 'security.md'), 'utf8');
const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

test('docs/security.md holds the two example configurations', () => {
  expect(examples).toHaveLength(2);
});

test.each<[string, number, Mode]>([
  ['Epic-style issuer', 0, 'production'],
  ['sandbox-style issuer', 1, 'demo'],
])('%s example loads in %s mode', (_label, index, mode) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iec-hs-doc-')), 'config.json');
  fs.writeFileSync(file, examples[index] ?? '');
  // Production also needs the card-memory key, which the documentation puts in the environment.
  const config = loadConfig({ mode, file, env: mode === 'production' ? { FEEDBACK_HMAC_KEY: 'x'.repeat(64) } : {} });
  expect(config.auth.required).toBe(true);
  expect(config.auth.issuers).toHaveLength(1);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

test('the sandbox example is refused in production', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iec-hs-doc-')), 'config.json');
  fs.writeFileSync(file, examples[1] ?? '');
  expect(() => loadConfig({ mode: 'production', file, env: {} })).toThrow(/sandbox's private key is public/);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});
