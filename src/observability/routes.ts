/** The /metrics route. /health and /ready are the server's own (src/server/health.ts), one for every composition. */
import express from 'express';
import { registry } from './metrics.js';

export function metricsRouter(): express.Router {
  const router = express.Router();
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
