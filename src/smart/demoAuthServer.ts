/**
 * DEMO ONLY: a minimal SMART App Launch 2.x authorization server for the embedded FHIR server, so the
 * timeline app can be launched end to end on one machine. It approves every request without a login
 * screen and is mounted only by the demo composition (src/cli/demoApp.ts), never by `serve`.
 *
 * - `GET  /fhir/.well-known/smart-configuration`  discovery (fhirclient reads it from `iss`)
 * - `POST /fhir/_services/smart/Launch`          mints a launch id for a patient (the launch API the
 *                                                 CDS Hooks sandbox and the demo EHR page call)
 * - `GET  /smart-demo/authorize`                  auto-approves; 302 back with `code` and `state`
 * - `POST /smart-demo/token`                      code (+ PKCE S256 verifier) -> bearer token with `patient`
 *
 * Tokens are random strings kept in memory; the embedded FHIR server does not check them (it holds
 * synthetic fixtures only). Everything here is bounded: ids expire and each map has a size cap.
 */
import { createHash, randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';

export const DEMO_AUTHORIZE_PATH = '/smart-demo/authorize';
export const DEMO_TOKEN_PATH = '/smart-demo/token';

/** Scopes the demo grants, at most (SMART v2 syntax plus the v1 spellings apps still send). */
const GRANTABLE = /^(launch|launch\/patient|openid|fhirUser|online_access|(patient|user)\/(\*|[A-Z][A-Za-z]+)\.(read|[cruds]+))$/;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const LAUNCH_TTL_MS = 60 * 60_000;
const CODE_TTL_MS = 2 * 60_000;
const TOKEN_TTL_S = 3600;
const MAX_ENTRIES = 10_000;

interface LaunchContext {
  patient: string;
  appContext?: string;
  expires: number;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  launch?: LaunchContext;
  codeChallenge?: string;
  expires: number;
}

export interface DemoAuthServerOptions {
  /** Patient chosen for a standalone launch (no `launch` parameter); the demo has no patient picker. */
  defaultPatient?: () => Promise<string | undefined>;
  /** Clock for expiry (tests). */
  now?: () => number;
}

function randomId(): string {
  return randomBytes(24).toString('base64url');
}

/** Map with a time-to-live per entry and a size cap (oldest first out). */
class ExpiringMap<T extends { expires: number }> {
  private readonly map = new Map<string, T>();
  constructor(private readonly now: () => number) {}
  set(key: string, value: T): void {
    if (this.map.size >= MAX_ENTRIES) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
  }
  get(key: string): T | undefined {
    const value = this.map.get(key);
    if (value && value.expires < this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return value;
  }
  take(key: string): T | undefined {
    const value = this.get(key);
    this.map.delete(key);
    return value;
  }
}

/** Origin + path the client reached us on (the demo binds to loopback; the Host header names the port). */
function baseOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

function param(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 2048 ? value : undefined;
}

/** The granted scope: what was asked for, less anything the demo does not grant. */
function grantedScope(requested: string): string {
  return requested
    .split(/\s+/)
    .filter((s) => GRANTABLE.test(s))
    .join(' ');
}

export function smartConfiguration(base: string): Record<string, unknown> {
  return {
    issuer: `${base}/fhir`,
    authorization_endpoint: `${base}${DEMO_AUTHORIZE_PATH}`,
    token_endpoint: `${base}${DEMO_TOKEN_PATH}`,
    grant_types_supported: ['authorization_code'],
    token_endpoint_auth_methods_supported: ['none'],
    scopes_supported: ['openid', 'fhirUser', 'launch', 'launch/patient', 'patient/*.rs', 'patient/*.read', 'user/*.rs', 'user/*.read', 'online_access'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: ['launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient', 'context-standalone-patient', 'permission-patient', 'permission-v1', 'permission-v2'],
    // Not part of SMART: says to anyone reading discovery what this is.
    'x-demo-only': 'Demo authorization server: approves every request, synthetic data only. Never mounted in production.',
  };
}

export function createDemoAuthServer(options: DemoAuthServerOptions = {}): Router {
  const now = options.now ?? Date.now;
  const launches = new ExpiringMap<LaunchContext>(now);
  const codes = new ExpiringMap<PendingCode>(now);
  const router = express.Router();

  // Discovery is open to every origin (SMART App Launch, conformance); the app CORS covers it already.
  router.get('/fhir/.well-known/smart-configuration', (req, res) => {
    res.set('Cache-Control', 'no-store').json(smartConfiguration(baseOf(req)));
  });

  router.post('/fhir/_services/smart/Launch', express.json({ limit: 16_384 }), (req, res) => {
    const body = (req.body ?? {}) as { parameters?: { patient?: unknown; appContext?: unknown } };
    const patient = param(body.parameters?.patient);
    if (!patient || !FHIR_ID.test(patient)) {
      oauthError(res, 400, 'invalid_request', 'parameters.patient must be a FHIR id');
      return;
    }
    const appContext = param(body.parameters?.appContext);
    const id = randomId();
    // Reusable until it expires: a CDS client mints it before the click, and a user may click twice.
    launches.set(id, { patient, ...(appContext ? { appContext } : {}), expires: now() + LAUNCH_TTL_MS });
    res.status(200).set('Cache-Control', 'no-store').json({ launch_id: id });
  });

  router.get(DEMO_AUTHORIZE_PATH, async (req, res) => {
    const q = req.query;
    const redirectUri = param(q.redirect_uri);
    let redirect: URL;
    try {
      if (!redirectUri) throw new Error('missing');
      redirect = new URL(redirectUri);
      // Demo: the app is served by this same server; refuse to send codes anywhere else.
      if (redirect.origin !== new URL(baseOf(req)).origin) throw new Error('foreign');
    } catch {
      oauthError(res, 400, 'invalid_request', 'redirect_uri must be an absolute URL on this server');
      return;
    }
    const back = (fields: Record<string, string>): void => {
      for (const [k, v] of Object.entries(fields)) redirect.searchParams.set(k, v);
      res.redirect(302, redirect.toString());
    };
    const state = param(q.state);
    const clientId = param(q.client_id);
    if (q.response_type !== 'code' || !state || !clientId) {
      back({ error: 'invalid_request', error_description: 'response_type=code, client_id and state are required', ...(state ? { state } : {}) });
      return;
    }
    const aud = param(q.aud);
    if (aud !== `${baseOf(req)}/fhir`) {
      back({ error: 'invalid_request', error_description: 'aud must be this server\'s FHIR base', state });
      return;
    }
    const challenge = param(q.code_challenge);
    if (challenge && q.code_challenge_method !== 'S256') {
      back({ error: 'invalid_request', error_description: 'only S256 PKCE is supported', state });
      return;
    }
    const launchId = param(q.launch);
    let launch = launchId ? launches.get(launchId) : undefined;
    if (launchId && !launch) {
      back({ error: 'invalid_request', error_description: 'unknown or expired launch', state });
      return;
    }
    // A standalone launch that asks for `launch/patient` gets the demo patient; one with user-level
    // scopes (the census names the patient) gets no patient context, as an EHR would answer.
    if (!launch && /(^|\s)launch\/patient(\s|$)/.test(param(q.scope) ?? '')) {
      const patient = await options.defaultPatient?.();
      if (patient) launch = { patient, expires: now() + LAUNCH_TTL_MS };
    }
    const code = randomId();
    codes.set(code, {
      clientId,
      redirectUri,
      scope: grantedScope(param(q.scope) ?? ''),
      ...(launch ? { launch } : {}),
      ...(challenge ? { codeChallenge: challenge } : {}),
      expires: now() + CODE_TTL_MS,
    });
    back({ code, state });
  });

  router.post(DEMO_TOKEN_PATH, express.urlencoded({ extended: false, limit: 16_384 }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.grant_type !== 'authorization_code') {
      oauthError(res, 400, 'unsupported_grant_type', 'only authorization_code');
      return;
    }
    const code = param(body.code);
    // Single use: taken out of the map whatever happens next.
    const pending = code ? codes.take(code) : undefined;
    if (!pending) {
      oauthError(res, 400, 'invalid_grant', 'unknown, used or expired code');
      return;
    }
    if (body.redirect_uri !== pending.redirectUri || body.client_id !== pending.clientId) {
      oauthError(res, 400, 'invalid_grant', 'redirect_uri or client_id does not match the authorization request');
      return;
    }
    if (pending.codeChallenge) {
      const verifier = param(body.code_verifier);
      const computed = verifier ? createHash('sha256').update(verifier).digest('base64url') : undefined;
      if (computed !== pending.codeChallenge) {
        oauthError(res, 400, 'invalid_grant', 'PKCE code_verifier does not match');
        return;
      }
    }
    res
      .status(200)
      .set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' })
      .json({
        access_token: randomId(),
        token_type: 'Bearer',
        expires_in: TOKEN_TTL_S,
        scope: pending.scope,
        need_patient_banner: true,
        ...(pending.launch ? { patient: pending.launch.patient } : {}),
        ...(pending.launch?.appContext ? { appContext: pending.launch.appContext } : {}),
      });
  });

  return router;
}
