/**
 * The server's view of the CDS service definitions: loading lives in src/hooks (shared with the FHIR
 * layer); here the discovery entry is built from a definition.
 */
import { sourceAttributesExtension } from '../cards/index.js';
import type { HookDefinition, ServiceDefinition } from '../hooks/index.js';

/**
 * The discovery entry: spec fields only, optional ones omitted when absent (conformance line 5), plus
 * the ONC HTI-1 source attributes as a namespaced `extension` (reference docs/cds-hooks-conformance.md#source-attributes).
 */
export function discoveryEntry(def: ServiceDefinition): HookDefinition {
  const { file: _file, ...entry } = def;
  const extension = { ...entry.extension, ...sourceAttributesExtension(def.id) };
  return Object.keys(extension).length > 0 ? { ...entry, extension } : entry;
}
