/**
 * Scenario descriptions -> the files committed under fhir-fixtures/ (one transaction Bundle per
 * scenario plus manifest.json), as strings. No I/O here, so tests can regenerate in memory and
 * compare byte for byte.
 */
import type { Manifest } from '../../src/fixtures/manifest.js';
import { buildScenario } from './scenario.js';
import { SCENARIOS } from './scenarios/index.js';

/** The "now" every scenario is written for; loaders shift all dates by (load time - ANCHOR). */
export const ANCHOR = '2026-06-15T14:00:00Z';

export const MANIFEST_FILE = 'manifest.json';

export interface GeneratedFile {
  /** File name inside fhir-fixtures/. */
  name: string;
  content: string;
}

const toJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export function generateFixtures(): { manifest: Manifest; files: GeneratedFile[] } {
  const ids = new Set<string>();
  const built = SCENARIOS.map((spec, index) => {
    if (ids.has(spec.id)) throw new Error(`duplicate scenario id ${spec.id}`);
    ids.add(spec.id);
    return buildScenario(spec, ANCHOR, index + 1);
  });
  const manifest: Manifest = { anchor: ANCHOR, scenarios: built.map((b) => b.scenario) };
  const files: GeneratedFile[] = built.map((b) => ({ name: b.scenario.file, content: toJson(b.bundle) }));
  files.push({ name: MANIFEST_FILE, content: toJson(manifest) });
  return { manifest, files };
}
