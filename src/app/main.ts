/**
 * /app/index.html: the SMART redirect page and the app. Finishes the OAuth exchange (fhirclient
 * checks `state`, sends the PKCE verifier), reads the patient's data from the EHR's FHIR server with
 * that token, and runs the pure engine here in the browser: features -> criteria. Clinician-entered
 * findings re-run the evaluation in the page; nothing is stored or sent.
 */
import type { Patient } from 'fhir/r4';
import FHIR from 'fhirclient/lib/entry/browser.js';
import { evaluate } from '../criteria/index.js';
import { resolveThresholds } from '../criteria/thresholds.js';
import { buildTimeline, type TimelineOptions } from '../features/index.js';
import { CLINICIAN_FINDINGS, withClinicianFindings, type ClinicianFindingId } from './clinicianFindings.js';
import { byId, h } from './dom.js';
import { loadPatientData } from './fhirData.js';
import { resolveTimeZone, timeFormat } from './format.js';
import { loadLaunchConfig } from './launchConfig.js';
import { takeRequestedPatient } from './requestedPatient.js';
import { renderBanner, renderCharts, renderCriteria, renderCtcae, renderEvidence, renderIssues, renderVerdict, type RenderedCharts } from './render.js';

function status(text: string, error = false): void {
  const el = byId('app-status');
  el.textContent = text;
  el.classList.toggle('app-error', error);
}

function patientName(patient: Patient | undefined, id: string): string {
  const name = patient?.name?.[0];
  const text = name?.text ?? [name?.given?.join(' '), name?.family].filter(Boolean).join(' ');
  return text || `Patient ${id}`;
}

function findingsForm(onChange: (entered: Set<ClinicianFindingId>) => void): HTMLElement {
  const entered = new Set<ClinicianFindingId>();
  const fieldset = h(
    'fieldset',
    { className: 'findings' },
    h('legend', { text: 'Clinician-entered findings' }),
    h('p', { className: 'findings-note', text: 'Not in structured data? Tick what you have found. Used only in this page to re-score HScore and HLH-2004: never stored, never sent anywhere, gone when you close the page.' }),
  );
  for (const f of CLINICIAN_FINDINGS) {
    const input = h('input', { type: 'checkbox', id: `finding-${f.id}`, name: f.id, 'data-finding': f.id });
    input.addEventListener('change', () => {
      if (input.checked) entered.add(f.id);
      else entered.delete(f.id);
      onChange(new Set(entered));
    });
    fieldset.append(h('div', { className: 'finding' }, input, h('label', { for: `finding-${f.id}` }, h('strong', { text: f.label }), ` (${f.hint})`)));
  }
  return fieldset;
}

async function main(): Promise<void> {
  status('Completing the SMART launch…');
  const client = await FHIR.oauth2.ready();
  const config = await loadLaunchConfig();
  const fromLaunch = client.patient.id;
  const patientId = takeRequestedPatient(sessionStorage, fromLaunch === null || fromLaunch === undefined ? undefined : String(fromLaunch));
  if (!patientId) throw new Error('the EHR did not give a patient context');
  status('Reading the record from the EHR’s FHIR server…');
  const loaded = await loadPatientData(client, String(patientId));
  const thresholds = resolveThresholds(config.thresholds);
  // `timeZone` (the site's, as the service counts days) is read by the engine once it supports it.
  const options: TimelineOptions & { timeZone?: string } = { now: new Date().toISOString(), ...(config.timeZone ? { timeZone: config.timeZone } : {}) };
  const base = buildTimeline(loaded.data, options);
  const time = timeFormat(resolveTimeZone(config.timeZone, base.timeZone));
  document.title = `IEC-HS timeline · ${patientName(loaded.data.patient, String(patientId))}`;
  renderBanner(byId('banner'), base, patientName(loaded.data.patient, String(patientId)), time);
  renderIssues(byId('issues'), base, loaded.notRead);

  let charts: RenderedCharts | undefined;
  const render = (entered: Set<ClinicianFindingId>): void => {
    const evaluation = evaluate(withClinicianFindings(base, entered), { thresholds: config.thresholds });
    renderVerdict(byId('verdict'), evaluation);
    renderCriteria(byId('criteria'), evaluation, time);
    renderCtcae(byId('ctcae'), evaluation, time);
    renderEvidence(byId('evidence'), evaluation, time);
    charts?.destroy();
    charts = renderCharts(byId('charts'), byId('chart-legend'), evaluation, thresholds, time);
    byId('clinician-active').hidden = entered.size === 0;
  };
  byId('findings-box').replaceChildren(findingsForm(render));
  byId('toggle-tables').addEventListener('click', (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    const show = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(show));
    button.textContent = show ? 'Hide data tables' : 'Show data tables';
    document.body.classList.toggle('show-tables', show);
  });
  render(new Set());
  status(`Read ${loaded.data.observations.length} observations with your EHR sign-in (${loaded.requests} FHIR requests); evaluated in this browser.`);
  document.body.dataset.ready = 'true';
}

main().catch((e: unknown) => {
  status(`The app could not load: ${e instanceof Error ? e.message : String(e)}`, true);
  document.body.dataset.ready = 'error';
});
