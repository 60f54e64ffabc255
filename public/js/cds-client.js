// A minimal CDS Hooks 2.0 client: discovery, service calls with client-computed prefetch, feedback.
import { runPrefetch } from './prefetch.js';

/** crypto.randomUUID exists only in secure contexts (https, localhost); a demo opened over a LAN address is not one. */
function newHookInstance() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class CdsClient {
  /**
   * @param {object} options
   * @param {string} options.baseUrl   where /cds-services lives
   * @param {string} options.fhirBase  the EHR's FHIR server (sent as fhirServer)
   * @param {(exchange: object) => void} [options.onExchange] sees every HTTP exchange (for the inspector)
   * @param {typeof fetch} [options.fetchFn]
   */
  constructor({ baseUrl, fhirBase, onExchange = () => {}, fetchFn = (...a) => fetch(...a) }) {
    this.baseUrl = baseUrl;
    this.fhirBase = fhirBase;
    this.onExchange = onExchange;
    this.fetchFn = fetchFn;
  }

  async #json(label, url, init = {}) {
    const started = performance.now();
    const response = await this.fetchFn(url, init);
    const text = await response.text();
    let body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    this.onExchange({
      label,
      method: init.method ?? 'GET',
      url,
      status: response.status,
      ms: Math.round(performance.now() - started),
      request: init.body ? JSON.parse(init.body) : undefined,
      response: body,
    });
    return { status: response.status, ok: response.ok, body };
  }

  async discover() {
    const { ok, status, body } = await this.#json('Discovery', `${this.baseUrl}/cds-services`, { headers: { Accept: 'application/json' } });
    if (!ok || !Array.isArray(body?.services)) throw new Error(`Discovery failed (HTTP ${status})`);
    return body.services;
  }

  /** Calls one service for `hook`; returns { status, cards, body }. */
  async call(service, hook, context) {
    const { prefetch, log } = await runPrefetch(service.prefetch, context, this.fhirBase, this.fetchFn);
    this.onExchange({ label: `Prefetch for ${service.id} (${log.length} templates)`, method: 'FHIR', url: this.fhirBase, response: log });
    const request = { hookInstance: newHookInstance(), hook, fhirServer: this.fhirBase, context };
    if (Object.keys(prefetch).length > 0) request.prefetch = prefetch;
    const { status, ok, body } = await this.#json(`${hook} → ${service.id}`, `${this.baseUrl}/cds-services/${encodeURIComponent(service.id)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(request),
    });
    return { status, cards: ok && Array.isArray(body?.cards) ? body.cards : [], body };
  }

  /** Posts one feedback item; returns the HTTP status. */
  async feedback(serviceId, item) {
    const payload = { feedback: [{ ...item, outcomeTimestamp: new Date().toISOString() }] };
    const { status } = await this.#json(`Feedback → ${serviceId}`, `${this.baseUrl}/cds-services/${encodeURIComponent(serviceId)}/feedback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
    });
    return status;
  }
}
