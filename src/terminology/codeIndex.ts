/**
 * A (system, code) -> entry index, built once at module load, so each Coding is matched with two Map
 * lookups. Codes are stored normalized (see `normalizeCode`), so "D89.831" and "D89831" both match.
 */
import type { Coding } from 'fhir/r4';
import { normalizeCode, systemKeyOf, type SystemKey } from './systems.js';

export class CodeIndex<T> {
  private readonly bySystem = new Map<SystemKey, Map<string, T>>();

  constructor(rows: Iterable<readonly [SystemKey, string, T]>) {
    for (const [system, code, entry] of rows) {
      let codes = this.bySystem.get(system);
      if (!codes) this.bySystem.set(system, (codes = new Map<string, T>()));
      const key = normalizeCode(system, code);
      if (codes.has(key)) throw new Error(`duplicate code ${system}|${code} in a code set`);
      codes.set(key, entry);
    }
  }

  get(system: SystemKey, code: string): T | undefined {
    return this.bySystem.get(system)?.get(normalizeCode(system, code));
  }

  /** The entry for one Coding, tolerating system URI variants; undefined when absent or unknown. */
  match(coding: Coding | undefined): T | undefined {
    if (!coding || typeof coding.code !== 'string') return undefined;
    const key = systemKeyOf(coding.system);
    return key ? this.get(key, coding.code) : undefined;
  }

  /** ICD-10 style prefix match: the longest indexed prefix (at least 3 characters) of the code. */
  matchPrefix(coding: Coding | undefined): T | undefined {
    if (!coding || typeof coding.code !== 'string') return undefined;
    const key = systemKeyOf(coding.system);
    const codes = key ? this.bySystem.get(key) : undefined;
    if (!codes || !key) return undefined;
    const code = normalizeCode(key, coding.code);
    for (let len = code.length; len >= 3; len--) {
      const hit = codes.get(len === code.length ? code : code.slice(0, len));
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
}
