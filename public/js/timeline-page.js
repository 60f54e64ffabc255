// /timeline.html?patient=<id>: the page CDS cards link to; banner plus the IEC-HS timeline charts.
import { getJson, renderBannerFacts } from './patient.js';
import { renderTimeline } from './timeline.js';

const $ = (selector) => document.querySelector(selector);

function showError(text) {
  $('#timeline-status').textContent = text;
  $('#timeline-status').classList.add('service-error');
}

async function main() {
  const patientId = new URLSearchParams(location.search).get('patient');
  if (!patientId) {
    showError('No patient chosen: open this page from a card or the patient list.');
    return;
  }
  $('#back-link').href = `./?patient=${encodeURIComponent(patientId)}`;
  const [timeline, patients] = await Promise.all([
    getJson(`demo/api/timeline/${encodeURIComponent(patientId)}`).catch(() => undefined),
    getJson('demo/api/patients').catch(() => []),
  ]);
  const patient = patients.find((p) => p.id === patientId);
  $('#banner-name').textContent = patient?.name ?? `Patient ${patientId}`;
  $('#banner-description').textContent = patient?.description ?? '';
  if (!timeline) {
    showError('The timeline of this patient could not be loaded.');
    return;
  }
  renderBannerFacts($('#banner-facts'), timeline);
  $('#timeline-status').textContent = '';
  renderTimeline($('#timeline'), timeline);
  if (timeline.issues?.length) {
    const list = $('#data-issues');
    for (const issue of timeline.issues) {
      const li = document.createElement('li');
      li.textContent = `${issue.analyte ? `${issue.analyte}: ` : ''}${issue.reason}`;
      list.append(li);
    }
    $('#data-issues-box').hidden = false;
  }
  document.body.dataset.ready = 'true';
}

main();
