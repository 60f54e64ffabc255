// The demo EHR screen: patient list, patient banner, patient-view cards, order entry (order-select
// cards) and a log of every CDS Hooks exchange. It talks to the service as any CDS client would.
import { CdsClient } from './cds-client.js';
import { renderCards } from './cards.js';
import { OrderPanel, orderSelectContext } from './orders.js';
import { getJson, renderBannerFacts } from './patient.js';
import { APP_LAUNCH_URL, smartLaunchUrl } from './smart-launch.js';

const USER_ID = 'Practitioner/demo-clinician';
const $ = (selector) => document.querySelector(selector);

const exchanges = [];
const client = new CdsClient({ baseUrl: location.origin, fhirBase: `${location.origin}/fhir`, onExchange: logExchange });
let services = [];
let catalog = [];
let orderPanel;
let current;

function logExchange(exchange) {
  exchanges.unshift(exchange);
  exchanges.length = Math.min(exchanges.length, 40);
  const list = $('#exchange-list');
  list.replaceChildren(
    ...exchanges.map((x) => {
      const item = document.createElement('details');
      item.className = 'exchange';
      const summary = document.createElement('summary');
      const status = x.status === undefined ? '' : ` → ${x.status}`;
      summary.textContent = `${x.label}: ${x.method} ${x.url}${status}${x.ms === undefined ? '' : ` (${x.ms} ms)`}`;
      item.append(summary);
      for (const [title, body] of [['Request', x.request], ['Response', x.response]]) {
        if (body === undefined) continue;
        const h = document.createElement('h4');
        h.textContent = title;
        const pre = document.createElement('pre');
        pre.className = 'json';
        pre.textContent = JSON.stringify(body, null, 2);
        item.append(h, pre);
      }
      return item;
    }),
  );
  $('#exchange-count').textContent = String(exchanges.length);
}

function feedbackHandlers(serviceId) {
  const send = async (item) => {
    try {
      return await client.feedback(serviceId, item);
    } catch {
      return 0; // network failure: the card shows "not recorded"
    }
  };
  return {
    onSmartLaunch: (link) => launchSmartApp(link),
    onAccept: (card, suggestion) => send({ card: card.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: suggestion.uuid }] }),
    onOverride: (card, reason, comment) => {
      const item = { card: card.uuid, outcome: 'overridden' };
      if (reason || comment) {
        item.overrideReason = {};
        if (reason) item.overrideReason.reason = { system: reason.system, code: reason.code, display: reason.display };
        if (comment) item.overrideReason.userComment = comment;
      }
      return send(item);
    },
  };
}

/**
 * A `smart` card link, launched as an EHR would (smart-launch.js). The window opens first, inside the
 * click, so popup blockers let it through.
 */
async function launchSmartApp(link) {
  const win = window.open('about:blank', '_blank');
  try {
    const url = await smartLaunchUrl({ url: link.url, patientId: current?.id, appContext: link.appContext });
    if (win) win.location.href = url;
    else window.location.href = url;
  } catch (e) {
    win?.close();
    window.alert(`The SMART app could not be launched: ${e.message}`);
  }
}

// The banner button launches the SMART app for the open patient, as an EHR's app menu would.
$('#smart-app-launch').addEventListener('click', () => launchSmartApp({ url: APP_LAUNCH_URL }));

function errorText(status, body) {
  const issue = body?.issue?.[0];
  return `The service answered HTTP ${status}${issue ? `: ${issue.details?.text ?? issue.diagnostics ?? issue.code}` : ''}.`;
}

/** Calls every discovered service for `hook` and renders their cards into `container`. */
async function fireHook(hook, context, container, emptyText) {
  const targets = services.filter((s) => s.hook === hook);
  container.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted loading', textContent: 'Asking the CDS service…' }));
  container.setAttribute('aria-busy', 'true');
  const results = await Promise.all(targets.map(async (service) => ({ service, result: await client.call(service, hook, context).catch((e) => ({ status: 0, cards: [], body: { issue: [{ diagnostics: String(e) }] } })) })));
  if (context.patientId !== current?.id) return; // the user moved on
  container.replaceChildren();
  container.removeAttribute('aria-busy');
  for (const { service, result } of results) {
    const box = document.createElement('div');
    box.className = 'service-cards';
    box.dataset.service = service.id;
    if (result.status !== 200) {
      const error = document.createElement('p');
      error.className = 'service-error';
      error.textContent = errorText(result.status, result.body);
      box.append(error);
    } else {
      renderCards(box, result.cards, feedbackHandlers(service.id), emptyText);
    }
    container.append(box);
  }
  if (targets.length === 0) container.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: `No ${hook} service was discovered.` }));
}

function renderBanner(patient, timeline) {
  $('#banner-name').textContent = patient.name;
  $('#banner-description').textContent = patient.description;
  renderBannerFacts($('#banner-facts'), timeline);
}

async function selectPatient(patient) {
  current = patient;
  history.replaceState(null, '', `?patient=${encodeURIComponent(patient.id)}`);
  for (const button of document.querySelectorAll('#patient-list button')) {
    button.setAttribute('aria-current', button.dataset.patient === patient.id ? 'true' : 'false');
  }
  $('#workspace').hidden = false;
  $('#placeholder').hidden = true;
  renderBanner(patient, undefined);
  orderPanel?.reset();
  $('#order-cards').replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'Tick an order to see the service’s advice on it.' }));
  getJson(`demo/api/timeline/${encodeURIComponent(patient.id)}`)
    .then((timeline) => current?.id === patient.id && renderBanner(patient, timeline))
    .catch(() => {});
  await fireHook('patient-view', { userId: USER_ID, patientId: patient.id }, $('#patient-view-cards'), 'No decision support cards for this patient.');
}

async function ordersChanged({ all, added }) {
  if (!current) return;
  const container = $('#order-cards');
  if (all.length === 0) {
    container.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'No draft orders.' }));
    return;
  }
  const { selections, draftOrders } = orderSelectContext(catalog, all, added.length > 0 ? added : all, current.id);
  await fireHook('order-select', { userId: USER_ID, patientId: current.id, selections, draftOrders }, container, 'No advice on these orders.');
}

function renderPatientList(patients) {
  const list = $('#patient-list');
  list.replaceChildren(
    ...patients.map((patient) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.patient = patient.id;
      const name = document.createElement('span');
      name.className = 'patient-name';
      name.textContent = patient.name;
      const description = document.createElement('span');
      description.className = 'patient-description';
      description.textContent = patient.description;
      button.title = patient.description;
      button.append(name, description);
      button.addEventListener('click', () => selectPatient(patient));
      li.append(button);
      return li;
    }),
  );
}

async function main() {
  const [patients, discovered, catalogBody] = await Promise.all([
    getJson('demo/api/patients').catch(() => []),
    client.discover().catch((e) => {
      $('#service-status').textContent = String(e.message ?? e);
      return [];
    }),
    getJson('demo/api/order-catalog').catch(() => ({ items: [] })),
  ]);
  services = discovered;
  catalog = catalogBody.items;
  if (services.length > 0) $('#service-status').textContent = `${services.length} CDS services discovered: ${services.map((s) => `${s.id} (${s.hook})`).join(', ')}`;
  orderPanel = new OrderPanel($('#order-panel'), catalog, ordersChanged);
  if (patients.length === 0) $('#patient-list').replaceChildren(Object.assign(document.createElement('li'), { className: 'muted', textContent: 'No fixture patients found.' }));
  else renderPatientList(patients);
  const wanted = new URLSearchParams(location.search).get('patient');
  const initial = patients.find((p) => p.id === wanted);
  if (initial) await selectPatient(initial);
}

main();
