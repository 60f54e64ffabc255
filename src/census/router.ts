/**
 * `/census` (static page) and `GET /census.json`. Demo mode: open, and the answer says so. Otherwise
 * every request needs a census session (SMART standalone launch, userAuth.ts) and only patients the
 * signed-in user may read are listed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Mode } from '../config/types.js';
import type { CycleReport } from './cycle.js';
import type { EpisodeStore } from './types.js';
import type { UserAuth } from './userAuth.js';
import { censusRows, type PatientLinkTarget } from './view.js';

export interface CensusRouterDeps {
  mode: Mode;
  store: EpisodeStore;
  /** Where each row links (view.ts patientLink). */
  patientLink: PatientLinkTarget;
  lastCycle: () => CycleReport | undefined;
  intervalMinutes: number;
  /** Present = sign-in required (production). */
  userAuth?: UserAuth;
  publicDir?: string;
}

/** public/ at the repository root (two levels above src/census, three above dist/src/census). */
export function findPublicDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'public', 'census.html'))) return path.join(dir, 'public');
    dir = path.dirname(dir);
  }
  throw new Error('census page public/census.html not found');
}

function outcome(code: string, text: string): Record<string, unknown> {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] };
}

export function createCensusRouter(deps: CensusRouterDeps): express.Router {
  const router = express.Router();
  const publicDir = deps.publicDir ?? findPublicDir();
  const auth = deps.userAuth;

  router.get('/census', (_req, res) => {
    res.set('Cache-Control', 'no-store').sendFile(path.join(publicDir, 'census.html'));
  });
  router.use('/census/static', express.static(path.join(publicDir, 'census'), { index: false, fallthrough: false }));

  if (auth) {
    router.get('/census/login', (req, res) => auth.login(req, res));
    router.get('/census/callback', (req, res) => auth.callback(req, res));
  }

  router.get('/census.json', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const session = auth?.session(req);
    if (auth && !session) {
      res.status(401).json({ ...outcome('login', 'Sign in to see the census'), login: '/census/login' });
      return;
    }
    let rows = censusRows(await deps.store.listPatients(), deps.patientLink);
    if (auth && session) {
      const allowed = await auth.allowed(session, rows.map((r) => r.patientId));
      rows = rows.filter((r) => allowed.has(r.patientId));
    }
    const cycle = deps.lastCycle();
    res.json({
      mode: deps.mode,
      access: auth
        ? 'signed in: only the patients your account may read are listed'
        : 'DEMO MODE: open to anyone who can reach this server; synthetic patients only',
      generatedAt: new Date().toISOString(),
      intervalMinutes: deps.intervalMinutes,
      ...(cycle ? { lastCycle: { startedAt: cycle.startedAt, ms: cycle.ms, discovered: cycle.discovered, evaluated: cycle.evaluated, failed: cycle.failed, incomplete: cycle.incomplete } } : {}),
      patients: rows,
    });
  });
  return router;
}
