/**
 * /app/launch.html: the SMART launch URL. EHR launch (`?iss=<FHIR base>&launch=<id>`) or standalone
 * launch (`?iss=<FHIR base>`: the EHR asks the user for the patient; or `?iss=<FHIR base>#patient=<id>`
 * from the census, see src/app/requestedPatient.ts). fhirclient discovers the
 * endpoints from `{iss}/.well-known/smart-configuration`, sends PKCE S256 when advertised, and
 * redirects to the authorization server; index.html finishes the exchange.
 */
import FHIR from 'fhirclient/lib/entry/browser.js';
import { loadLaunchConfig } from './launchConfig.js';
import { rememberRequestedPatient, requestedPatientFromHash, userLevelScope } from './requestedPatient.js';

function show(text: string): void {
  const status = document.getElementById('launch-status');
  if (status) {
    status.textContent = text;
    status.classList.add('app-error');
  }
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  if (!params.get('iss')) {
    show('This page is the SMART launch URL: open it from the EHR (it adds iss and launch), or add ?iss=<FHIR base URL> for a standalone launch.');
    return;
  }
  const config = await loadLaunchConfig();
  const requested = params.get('launch') ? undefined : requestedPatientFromHash(location.hash);
  rememberRequestedPatient(sessionStorage, requested);
  // EHR launch: fhirclient adds `launch` to the scope itself. Standalone: the EHR asks for the patient,
  // unless the census named one; then user-level scopes, so the EHR applies the user's own access.
  const scope = params.get('launch') ? config.scope : requested ? userLevelScope(config.scope) : `launch/patient ${config.scope}`;
  await FHIR.oauth2.authorize({
    clientId: config.clientId,
    scope,
    redirectUri: 'index.html',
    pkceMode: 'ifSupported',
    // SMART asks for at least 122 random bits in `state`; fhirclient's default has about 95.
    stateKey: crypto.randomUUID(),
    // Inside an EHR frame, finish the launch in the same frame.
    completeInTarget: true,
  });
}

main().catch((e: unknown) => show(`Launch failed: ${e instanceof Error ? e.message : String(e)}`));
