/**
 * The benchmark's baseline: a bare express app that parses the same JSON body with the same limit and
 * sends it back (`/echo`), or answers `{"cards":[]}` after parsing (`/parse`). Started as a child process
 * so it gets its own event loop, like the service.
 */
import express from 'express';
import { answerEventLoopDelay } from './eventLoopDelay.js';

const app = express();
app.use(express.json({ limit: '50mb', type: ['application/json', 'application/fhir+json'] }));
app.post('/echo', (req, res) => {
  res.json(req.body);
});
app.post('/parse', (_req, res) => {
  res.json({ cards: [] });
});
app.get('/health', (_req, res) => {
  res.json({ status: 'ok' });
});
answerEventLoopDelay();
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.send?.({ port: address.port });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
