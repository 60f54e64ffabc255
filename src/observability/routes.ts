/** /metrics, /health (liveness) and /ready (readiness) routes. */
import express from 'express';
import { registry } from './metrics.js';

/** Named checks, e.g. `{ fixturesLoaded: true, schemasCompiled: true, feedbackStore: false }`. */
export type Readiness = () => Record<string, boolean>;

export function metricsRouter(): express.Router {
  const router = express.Router();
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}

export function healthRouter(readiness: Readiness): express.Router {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
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
    const failing = Object.entries(checks).filter(([, ok]) => !ok).map(([name]) => name);
    if (failing.length > 0) res.status(503).json({ status: 'not ready', failing, checks });
    else res.json({ status: 'ready', checks });
  });
  return router;
}
