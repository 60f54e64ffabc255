/**
 * The demo-only SMART authorization server (src/smart/demoAuthServer.ts) over real HTTP: discovery,
 * launch ids, authorize redirects, and the token exchange with PKCE S256, including the refusals.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createDemoAuthServer } from '../../src/smart/demoAuthServer.js';

let server: http.Server;
let base: string;
let clock = Date.parse('2026-03-01T12:00:00Z');

beforeAll(async () => {
  const app = express();
  app.use(createDemoAuthServer({ now: () => clock, defaultPatient: async () => 'standalone-patient' }));
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function launchId(patient: string, appContext?: string): Promise<string> {
  const res = await fetch(`${base}/fhir/_services/smart/Launch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ launchUrl: `${base}/app/launch.html`, parameters: { patient, ...(appContext ? { appContext } : {}) } }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { launch_id: string }).launch_id;
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function authorize(params: Record<string, string>): Promise<URL> {
  const res = await fetch(`${base}/smart-demo/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

function authorizeParams(extra: Record<string, string>): Record<string, string> {
  return { response_type: 'code', client_id: 'iec-hs-timeline', redirect_uri: `${base}/app/index.html`, scope: 'launch openid patient/Observation.rs system/*.cruds', state: crypto.randomUUID(), aud: `${base}/fhir`, ...extra };
}

async function token(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/smart-demo/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('demo SMART authorization server', () => {
  test('discovery lists both endpoints, S256 only, and says it is demo-only', async () => {
    const body = (await (await fetch(`${base}/fhir/.well-known/smart-configuration`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      authorization_endpoint: `${base}/smart-demo/authorize`,
      token_endpoint: `${base}/smart-demo/token`,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code'],
    });
    expect(body.capabilities).toEqual(expect.arrayContaining(['launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient']));
    expect(String(body['x-demo-only'])).toMatch(/demo/i);
  });

  test('EHR launch: code bound to the launch patient and appContext; PKCE checked; code single use', async () => {
    const launch = await launchId('patient-a', '{"card":"x"}');
    const { verifier, challenge } = pkce();
    const params = authorizeParams({ launch, code_challenge: challenge, code_challenge_method: 'S256' });
    const back = await authorize(params);
    expect(back.origin + back.pathname).toBe(`${base}/app/index.html`);
    expect(back.searchParams.get('state')).toBe(params.state);
    const code = back.searchParams.get('code') ?? '';
    expect(code).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const form = { grant_type: 'authorization_code', code, redirect_uri: params.redirect_uri ?? '', client_id: 'iec-hs-timeline' };
    const wrong = await token({ ...form, code_verifier: pkce().verifier });
    expect(wrong).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });

    // The failed attempt used the code up: a second try, even with the right verifier, is refused.
    expect((await token({ ...form, code_verifier: verifier })).status).toBe(400);

    const again = await authorize({ ...params, state: crypto.randomUUID() });
    const ok = await token({ ...form, code: again.searchParams.get('code') ?? '', code_verifier: verifier });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', patient: 'patient-a', appContext: '{"card":"x"}', expires_in: 3600 });
    // Only read scopes of the patient compartment and identity scopes are granted.
    expect(String(ok.body.scope).split(' ')).toEqual(['launch', 'openid', 'patient/Observation.rs']);
  });

  test('standalone launch (no launch id) asking for launch/patient gets the demo patient', async () => {
    const { verifier, challenge } = pkce();
    const params = authorizeParams({ code_challenge: challenge, code_challenge_method: 'S256', scope: 'launch/patient openid patient/*.rs' });
    const back = await authorize(params);
    const res = await token({ grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', redirect_uri: params.redirect_uri ?? '', client_id: 'iec-hs-timeline', code_verifier: verifier });
    expect(res.body.patient).toBe('standalone-patient');
  });

  test('standalone launch with user-level scopes (the census names the patient) gets no patient context', async () => {
    const { verifier, challenge } = pkce();
    const params = authorizeParams({ code_challenge: challenge, code_challenge_method: 'S256', scope: 'openid user/*.rs' });
    const back = await authorize(params);
    const res = await token({ grant_type: 'authorization_code', code: back.searchParams.get('code') ?? '', redirect_uri: params.redirect_uri ?? '', client_id: 'iec-hs-timeline', code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.body.patient).toBeUndefined();
    expect(res.body.scope).toBe('openid user/*.rs');
  });

  test('refusals: foreign redirect_uri, wrong aud, plain PKCE, unknown launch, expired code, bad patient id', async () => {
    const foreign = await fetch(`${base}/smart-demo/authorize?${new URLSearchParams(authorizeParams({ redirect_uri: 'https://evil.example/cb' }))}`, { redirect: 'manual' });
    expect(foreign.status).toBe(400);
    expect((await authorize(authorizeParams({ aud: 'https://other.example/fhir' }))).searchParams.get('error')).toBe('invalid_request');
    expect((await authorize(authorizeParams({ code_challenge: 'x', code_challenge_method: 'plain' }))).searchParams.get('error')).toBe('invalid_request');
    expect((await authorize(authorizeParams({ launch: 'nope' }))).searchParams.get('error_description')).toMatch(/launch/);

    const params = authorizeParams({});
    const code = (await authorize(params)).searchParams.get('code') ?? '';
    clock += 3 * 60_000; // codes live 2 minutes
    expect((await token({ grant_type: 'authorization_code', code, redirect_uri: params.redirect_uri ?? '', client_id: 'iec-hs-timeline' })).status).toBe(400);

    const bad = await fetch(`${base}/fhir/_services/smart/Launch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ parameters: { patient: '../x' } }) });
    expect(bad.status).toBe(400);
  });
});
