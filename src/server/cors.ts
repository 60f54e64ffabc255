/**
 * CORS on every route (conformance line 46): browser clients such as the CDS Hooks sandbox preflight
 * even the discovery GET because they send Authorization. Preflights are answered here, before auth.
 */
import type { RequestHandler } from 'express';

export const CORS_METHODS = 'GET, POST, OPTIONS';
export const CORS_HEADERS = 'Authorization, Content-Type';

export function cors(origins: string[] | '*'): RequestHandler {
  const allowList = origins === '*' ? undefined : new Set(origins);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (allowList === undefined) {
      res.setHeader('Access-Control-Allow-Origin', '*');
    } else {
      res.vary('Origin');
      if (origin && allowList.has(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
    }
    res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', CORS_METHODS);
      res.setHeader('Access-Control-Allow-Headers', CORS_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
