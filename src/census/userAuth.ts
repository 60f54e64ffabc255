/**
 * Census sign-in for production: a SMART standalone launch (authorization code + PKCE S256) against the
 * EHR's authorization server, run by this server so the user's token never reaches the page. The census
 * then lists only patients the user may see, checked with the user's own token (a read of
 * Patient/<id>, cached briefly). Sessions live in memory, behind an HttpOnly cookie.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/types.js';
import { createFhirReader, type FetchFn } from '../fhir/http.js';
import { defaultUrlPolicy } from '../fhir/urlPolicy.js';
import { insecureLoopbackAllowed } from '../security/fhirServerGuard.js';
import { discoverTokenEndpoint } from './backendAuth.js';
import type { GuardedFetch } from './outbound.js';

export const SESSION_COOKIE = 'iec_hs_census';
const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 1_000;
const MAX_SESSIONS = 10_000;
/** How long a positive or negative access check is reused. */
const ACCESS_TTL_MS = 5 * 60_000;
const ACCESS_CHECK_CONCURRENCY = 8;
export const USER_SCOPE = 'openid fhirUser user/Patient.rs';

interface Session {
  token: string;
  expiresAt: number;
  access: Map<string, { ok: boolean; at: number }>;
}

export interface UserAuthOptions {
  config: AppConfig;
  fhirServer: string;
  clientId: string;
  /** Public origin of this service (the redirect URI is `{publicBaseUrl}/census/callback`). */
  publicBaseUrl: string;
  fetchFor: (target: string) => GuardedFetch;
  /** FHIR reader transport bound to fhirServer. */
  fhirFetch: FetchFn;
  now?: () => number;
}

const b64url = (buf: Buffer): string => buf.toString('base64url');

function cookieValue(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function createUserAuth(opts: UserAuthOptions) {
  const now = opts.now ?? Date.now;
  const pending = new Map<string, { verifier: string; at: number }>();
  const sessions = new Map<string, Session>();
  const redirectUri = `${opts.publicBaseUrl.replace(/\/+$/, '')}/census/callback`;
  const secureCookie = redirectUri.startsWith('https:');
  let endpoints: Promise<{ tokenEndpoint: string; authorizationEndpoint?: string }> | undefined;

  const discover = () => {
    endpoints ??= discoverTokenEndpoint(opts.fhirServer, opts.fetchFor).catch((e: unknown) => {
      endpoints = undefined;
      throw e;
    });
    return endpoints;
  };

  function prune(): void {
    const t = now();
    for (const [k, v] of pending) if (t - v.at > PENDING_TTL_MS) pending.delete(k);
    for (const [k, v] of sessions) if (t >= v.expiresAt) sessions.delete(k);
  }

  function session(req: Request): Session | undefined {
    const id = cookieValue(req, SESSION_COOKIE);
    const s = id ? sessions.get(id) : undefined;
    return s && now() < s.expiresAt ? s : undefined;
  }

  return {
    session,

    async login(_req: Request, res: Response): Promise<void> {
      prune();
      if (pending.size >= MAX_PENDING) {
        res.status(503).json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'throttled', diagnostics: 'Too many sign-ins in progress' }] });
        return;
      }
      const { authorizationEndpoint } = await discover();
      if (!authorizationEndpoint) throw new Error('SMART configuration has no authorization_endpoint');
      const state = b64url(randomBytes(32));
      const verifier = b64url(randomBytes(32));
      pending.set(state, { verifier, at: now() });
      const url = new URL(authorizationEndpoint);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: opts.clientId,
        redirect_uri: redirectUri,
        scope: USER_SCOPE,
        state,
        aud: opts.fhirServer,
        code_challenge: b64url(createHash('sha256').update(verifier).digest()),
        code_challenge_method: 'S256',
      }).toString();
      res.redirect(302, url.href);
    },

    async callback(req: Request, res: Response): Promise<void> {
      const state = typeof req.query.state === 'string' ? req.query.state : '';
      const code = typeof req.query.code === 'string' ? req.query.code : '';
      const entry = pending.get(state);
      pending.delete(state);
      if (!entry || !code || now() - entry.at > PENDING_TTL_MS) {
        res.status(400).json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'security', diagnostics: 'Sign-in state is unknown or expired; start again at /census/login' }] });
        return;
      }
      const { tokenEndpoint } = await discover();
      const tokenRes = await opts.fetchFor(tokenEndpoint)(tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: entry.verifier, client_id: opts.clientId }).toString(),
      });
      const body = (await tokenRes.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
      if (tokenRes.status !== 200 || typeof body.access_token !== 'string') {
        res.status(401).json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: 'The authorization server did not issue a token' }] });
        return;
      }
      prune();
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value ?? '');
      const id = b64url(randomBytes(32));
      const lifetimeS = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
      sessions.set(id, { token: body.access_token, expiresAt: now() + lifetimeS * 1000, access: new Map() });
      res.setHeader(
        'Set-Cookie',
        `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(lifetimeS)}${secureCookie ? '; Secure' : ''}`,
      );
      res.redirect(302, '/census');
    },

    /** The subset of `patientIds` this session's user may read (Patient/<id> answers 200 with their token). */
    async allowed(s: Session, patientIds: readonly string[]): Promise<Set<string>> {
      const reader = createFhirReader({
        fetch: opts.fhirFetch,
        limits: opts.config.fhir,
        accessToken: s.token,
        policy: defaultUrlPolicy({ allowInsecureLoopback: insecureLoopbackAllowed(opts.config) }),
        policyContext: { fhirServer: opts.fhirServer },
        budget: AbortSignal.timeout(opts.config.fhir.budgetMs),
      });
      const out = new Set<string>();
      const t = now();
      const todo = patientIds.filter((id) => {
        const hit = s.access.get(id);
        if (hit && t - hit.at < ACCESS_TTL_MS) {
          if (hit.ok) out.add(id);
          return false;
        }
        return true;
      });
      let next = 0;
      const base = opts.fhirServer.replace(/\/+$/, '');
      const worker = async (): Promise<void> => {
        for (let i = next++; i < todo.length; i = next++) {
          const id = todo[i];
          if (id === undefined) continue;
          // Any failure (403, 404, timeout) means "not shown": the census fails closed.
          const ok = await reader.getJson(new URL(`${base}/Patient/${encodeURIComponent(id)}`)).then(
            (r) => r.status === 200 && (r.body as { resourceType?: unknown } | undefined)?.resourceType === 'Patient',
            () => false,
          );
          s.access.set(id, { ok, at: now() });
          if (ok) out.add(id);
        }
      };
      await Promise.all(Array.from({ length: Math.min(ACCESS_CHECK_CONCURRENCY, todo.length) }, worker));
      return out;
    },
  };
}

export type UserAuth = ReturnType<typeof createUserAuth>;
