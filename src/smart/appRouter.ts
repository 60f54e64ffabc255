/**
 * Serves the SMART on FHIR timeline app at /app in every mode: its pages and stylesheet (public/app),
 * the browser bundle `npm run build` writes (dist/app), and /app/config.json with the launch settings
 * (client id, scopes, the site's threshold overrides and time zone; no patient data). The app reads
 * patient data from the EHR's FHIR server with the user's own token: nothing of it passes through here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { CONTENT_SECURITY_POLICY } from '../security/hardening.js';

export interface SmartAppLaunchConfig {
  /** OAuth client id the app is registered under at the EHR. */
  clientId: string;
  /** Scopes the app asks for (space separated). */
  scope: string;
  /** Threshold overrides by id (AppConfig.thresholds), so the app judges as the service does. */
  thresholds: Record<string, number>;
  /** Site IANA time zone for times and day numbers, when configured. */
  timeZone?: string;
}

export const DEFAULT_CLIENT_ID = 'iec-hs-timeline';

/** Read-only access to what the surveillance service reads, SMART v2 syntax. */
export const DEFAULT_SCOPE = [
  'openid',
  'fhirUser',
  'patient/Patient.rs',
  'patient/Observation.rs',
  'patient/Condition.rs',
  'patient/Procedure.rs',
  'patient/MedicationAdministration.rs',
  'patient/MedicationRequest.rs',
  'patient/DiagnosticReport.rs',
].join(' ');

export interface SmartAppRouterOptions {
  launch: SmartAppLaunchConfig;
  /** Pages and stylesheet; default `<repo>/public/app`. */
  pagesDir?: string;
  /** Built bundle; default `<repo>/dist/app`. */
  bundleDir?: string;
}

/** The repository root: the directory above src/ (sources) or dist/src/ (built). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'public', 'app', 'launch.html'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error('public/app/launch.html not found');
}

export function defaultBundleDir(): string {
  return path.join(repoRoot(), 'dist', 'app');
}

/**
 * CSP of the app's pages: the service's policy, except that the app fetches from the EHR's FHIR and
 * token endpoints (any https origin; loopback in the demo is same-origin) and may be framed by the
 * EHR, which is how many EHRs show SMART apps. The app has no state-changing actions to clickjack.
 */
export function appContentSecurityPolicy(): string {
  const directives: Record<string, string[]> = {
    ...CONTENT_SECURITY_POLICY,
    connectSrc: ["'self'", 'https:'],
    frameAncestors: ["'self'", 'https:'],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
    .join('; ');
}

export function createSmartAppRouter(options: SmartAppRouterOptions): Router {
  const root = options.pagesDir && options.bundleDir ? undefined : repoRoot();
  const pagesDir = options.pagesDir ?? path.join(root ?? '', 'public', 'app');
  const bundleDir = options.bundleDir ?? path.join(root ?? '', 'dist', 'app');
  const csp = appContentSecurityPolicy();
  const config = JSON.stringify(options.launch);
  const router = express.Router();

  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    next();
  });
  router.get('/config.json', (_req, res) => {
    res.status(200).type('application/json').set('Cache-Control', 'no-cache').send(config);
  });
  router.get('/', (req, res) => res.redirect(302, `${req.baseUrl}/index.html`));
  router.use(express.static(pagesDir, { index: false, fallthrough: true, maxAge: 0 }));
  router.use(express.static(bundleDir, { index: false, fallthrough: true, maxAge: 0 }));
  return router;
}
