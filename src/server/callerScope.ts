/** The card-memory scope of a request: the verified issuer and tenant, or the unauthenticated scope when auth is off. */
import type { Response } from 'express';
import type { CallerScope } from '../feedback/types.js';
import { verifiedCaller } from '../security/jwt.js';

export function callerScope(res: Response): CallerScope {
  const caller = verifiedCaller(res);
  return { issuer: caller?.issuer.iss ?? '', tenant: caller?.tenant ?? '' };
}
