/** Schema of one `hooks/*.json` file: the CDS Hooks 2.0 discovery entry of a service, nothing else. */
export const hookDefinitionSchema = {
  $id: 'urn:iec-hs-cds:hook-definition',
  type: 'object',
  required: ['id', 'hook', 'title', 'description'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
    hook: { type: 'string', minLength: 1 },
    title: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1 },
    prefetch: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_-]*$' },
      additionalProperties: { type: 'string', minLength: 1 },
    },
    usageRequirements: { type: 'string', minLength: 1 },
    extension: { type: 'object', minProperties: 1 },
  },
} as const;

export interface HookDefinition {
  id: string;
  hook: string;
  title: string;
  description: string;
  prefetch?: Record<string, string>;
  usageRequirements?: string;
  extension?: Record<string, unknown>;
}
