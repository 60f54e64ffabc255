/**
 * The one `GET /health` (liveness) and `GET /ready` (readiness) of the service, mounted by createApp in
 * every composition. /health says whether this process can answer hook calls at all: 200 while the card
 * memory (the only store on the request path) is usable, 503 otherwise. It consults nothing else, so a
 * slow dependency never turns it red. /ready lists named checks and fails naming the ones that fail.
 * Both are answered early in the middleware chain and cost no body parsing.
 */
import express from 'express';

/** Named checks, e.g. `{ cardMemory: true, embeddedFhir: false }`. */
export type Readiness = () => Record<string, boolean>;

export interface HealthOptions {
  /** Liveness: false answers 503 on /health. Default always true. */
  live?: () => boolean;
  /** Readiness checks for /ready. Default none (ready). */
  readiness?: Readiness;
}

export function healthRouter(options: HealthOptions = {}): express.Router {
  const live = options.live ?? (() => true);
  const readiness = options.readiness ?? (() => ({}));
  const router = express.Router();
  router.get('/health', (_req, res) => {
    const ok = live();
    res.status(ok ? 200 : 503).set('Cache-Control', 'no-store').json({ status: ok ? 'ok' : 'unavailable' });
  });
  router.get('/ready', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    let checks: Record<string, boolean>;
    try {
      checks = readiness();
    } catch {
      // A check that throws is a check that failed; its message may hold internals, so it stays out.
      res.status(503).json({ status: 'not ready', failing: ['readiness'] });
      return;
    }
    const failing = Object.entries(checks)
      .filter(([, ok]) => !ok)
      .map(([name]) => name);
    if (failing.length > 0) res.status(503).json({ status: 'not ready', failing, checks });
    else res.json({ status: 'ready', checks });
  });
  return router;
}
