/** JWS algorithms for CDS client tokens (spec: never `none`, never HMAC; ES384 and RS384 recommended). */

/** Asymmetric algorithms an issuer may be configured with. HMAC and `none` are never among them. */
export const SUPPORTED_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const;

/** Used when an issuer lists no algorithms. */
export const DEFAULT_ALGORITHMS = ['ES384', 'RS384'] as const;
