// /timeline.html?patient=<id>: the address cards without a SMART link and the census point to. The
// timeline itself is the SMART app (one chart implementation, src/app): this page launches it for the
// patient in the same tab, as the EHR's app menu would.
import { smartLaunchUrl } from './smart-launch.js';

const status = document.querySelector('#timeline-status');

function showError(text) {
  status.textContent = text;
  status.classList.add('service-error');
}

async function main() {
  const patientId = new URLSearchParams(location.search).get('patient');
  if (!patientId) {
    showError('No patient chosen: open this page from a card or the patient list.');
    return;
  }
  document.querySelector('#back-link').href = `./?patient=${encodeURIComponent(patientId)}`;
  try {
    location.replace(await smartLaunchUrl({ patientId }));
  } catch (e) {
    showError(`The timeline app could not be launched: ${e.message}`);
  }
}

main();
