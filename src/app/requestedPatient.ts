/**
 * A patient named by the census link (`/app/launch.html?iss=<FHIR base>#patient=<id>`). The id rides in
 * the fragment, which browsers never send to a server, so it stays out of access logs. Such a
 * standalone launch asks for user-level scopes instead of `launch/patient`: the EHR then checks every
 * read against what this user may see, and the app opens the named patient without a picker.
 */
const KEY = 'iechs.requestedPatient';
// FHIR logical id (FHIR R4 datatypes, id): 1-64 of A-Z a-z 0-9 - .
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function requestedPatientFromHash(hash: string): string | undefined {
  const id = new URLSearchParams(hash.replace(/^#/, '')).get('patient');
  return id !== null && FHIR_ID.test(id) ? id : undefined;
}

/** `patient/X.read` becomes `user/X.read`; `launch/patient` is dropped (the patient is already chosen). */
export function userLevelScope(scope: string): string {
  return scope
    .split(/\s+/)
    .filter((s) => s !== '' && s !== 'launch/patient')
    .map((s) => s.replace(/^patient\//, 'user/'))
    .join(' ');
}

/** Kept for the redirect page in this tab only; cleared when there is none, so an old id never lingers. */
export function rememberRequestedPatient(storage: Pick<Storage, 'setItem' | 'removeItem'>, id: string | undefined): void {
  if (id) storage.setItem(KEY, id);
  else storage.removeItem(KEY);
}

/** The patient from the launch context wins; the requested one is used only when the EHR gave none. */
export function takeRequestedPatient(storage: Pick<Storage, 'getItem' | 'removeItem'>, fromLaunch: string | undefined): string | undefined {
  const requested = storage.getItem(KEY) ?? undefined;
  storage.removeItem(KEY);
  return fromLaunch ?? requested;
}
