/** Media types the CDS routes parse as JSON (the nesting-depth limit is src/security/hardening.ts jsonDepthLimit). */
export const JSON_MEDIA_TYPES = ['application/json', 'application/fhir+json', 'application/json+fhir'];

