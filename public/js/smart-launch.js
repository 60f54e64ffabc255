// An EHR launch of the SMART timeline app, as the demo EHR does it: ask the demo FHIR server's launch
// service for a launch id bound to the patient, then open the app's launch URL with `iss` and `launch`.

/** The app's launch URL on this origin (the app is served at /app by the same process). */
export const APP_LAUNCH_URL = `${location.origin}/app/launch.html`;

/** Resolves to the launch URL with `iss` and `launch` set; rejects when the launch service refuses. */
export async function smartLaunchUrl({ url = APP_LAUNCH_URL, patientId, appContext }) {
  const fhirBase = `${location.origin}/fhir`;
  const response = await fetch(`${fhirBase}/_services/smart/Launch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ launchUrl: url, parameters: { patient: patientId, ...(appContext ? { appContext } : {}) } }),
  });
  const { launch_id: launch } = await response.json();
  if (!response.ok || !launch) throw new Error(`launch service answered HTTP ${response.status}`);
  const target = new URL(url);
  target.searchParams.set('iss', fhirBase);
  target.searchParams.set('launch', launch);
  return target.toString();
}
