/** CDS service definitions (hooks/*.json): loading, validation, schema. */
export { SUPPORTED_HOOKS, HookDefinitionError, defaultHooksDir, loadServiceDefinitions, parseServiceDefinition, prefetchTemplatesOf, projectRoot } from './definitions.js';
export type { ServiceDefinition, SupportedHook } from './definitions.js';
export { hookDefinitionSchema } from './schema.js';
export type { HookDefinition } from './schema.js';
