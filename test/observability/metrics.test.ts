import express from 'express';
import request from 'supertest';
import {
  countCards,
  countFeedback,
  metrics,
  metricsObserver,
  metricsRouter,
  observeFhirCall,
  observeRequest,
  registerServiceIds,
  safeLabel,
} from '../../src/observability/index.js';

async function counterValue(counter: { get(): Promise<{ values: { labels: object; value: number }[] }> }, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, val]) => (v.labels as Record<string, unknown>)[k] === val));
  return hit?.value ?? 0;
}

function app(): express.Express {
  const a = express();
  a.use(metricsRouter());
  return a;
}

describe('metrics helpers', () => {
  it('counts cards per indicator in one call', async () => {
    const before = await counterValue(metrics.cards, { service: 'iec-hs-surveillance', indicator: 'warning' });
    countCards('iec-hs-surveillance', [{ indicator: 'warning' }, { indicator: 'info' }, { indicator: 'warning' }]);
    expect(await counterValue(metrics.cards, { service: 'iec-hs-surveillance', indicator: 'warning' })).toBe(before + 2);
  });

  it('counts FHIR errors by reason and observes the call', async () => {
    const before = await counterValue(metrics.fhirErrors, { reason: 'timeout' });
    observeFhirCall('error', 2.0, 'timeout');
    observeFhirCall('ok', 0.01);
    expect(await counterValue(metrics.fhirErrors, { reason: 'timeout' })).toBe(before + 1);
  });

  it('exposes every named metric on /metrics in Prometheus text format', async () => {
    observeRequest('iec-hs-surveillance', 200, 0.042);
    countFeedback('iec-hs-surveillance', 'accepted');
    const res = await request(app()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    for (const name of [
      'cds_request_duration_seconds_bucket{le="0.05",service="iec-hs-surveillance",status="200"}',
      'cds_cards_total{service="iec-hs-surveillance",indicator="warning"}',
      'cds_fhir_request_duration_seconds_count{outcome="error"}',
      'cds_fhir_errors_total{reason="timeout"}',
      'cds_feedback_total{service="iec-hs-surveillance",outcome="accepted"}',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(res.text).toContain(name);
    }
  });
});

describe('label safety', () => {
  it.each([
    ['iec-hs-surveillance', 'iec-hs-surveillance'],
    ['Patient/123', 'other'],
    ['../../etc', 'other'],
    ['x'.repeat(80), 'other'],
    ['', 'other'],
  ])('before registration %j -> %j (shape check)', (input, expected) => {
    expect(safeLabel(input)).toBe(expected);
  });

  it('after registration only registered ids (and discovery/unknown) pass', async () => {
    registerServiceIds(['iec-hs-surveillance', 'iec-hs-order-select']);
    expect(safeLabel('iec-hs-order-select')).toBe('iec-hs-order-select');
    expect(safeLabel('discovery')).toBe('discovery');
    // A kebab-case patient id has the shape of a service id; registration is what keeps it out.
    expect(safeLabel('iec-hs-classic-patient')).toBe('other');
    countFeedback('iec-hs-classic-patient', 'overridden');
    const res = await request(app()).get('/metrics').expect(200);
    expect(res.text).not.toContain('iec-hs-classic-patient');
    expect(res.text).toContain('cds_feedback_total{service="other",outcome="overridden"} 1');
  });

  it('an out-of-range status becomes "other"', async () => {
    observeRequest('iec-hs-surveillance', 42, 0.01);
    const res = await request(app()).get('/metrics').expect(200);
    expect(res.text).toContain('cds_request_duration_seconds_count{service="iec-hs-surveillance",status="other"} 1');
  });
});

describe('metricsObserver (the server observer seam)', () => {
  it.each([
    [{ ok: false, seconds: 0.1, status: 503, error: 'http' as const }, 'http_5xx'],
    [{ ok: false, seconds: 0.1, status: 404 }, 'http_4xx'],
    [{ ok: false, seconds: 2, error: 'timeout' as const }, 'timeout'],
    [{ ok: false, seconds: 0.01, error: 'too-large' as const }, 'too-large'],
    [{ ok: false, seconds: 0.01 }, 'network'],
  ])('a failed FHIR request %j counts as reason %s', async (event, reason) => {
    const before = await counterValue(metrics.fhirErrors, { reason });
    metricsObserver().fhirRequest?.(event);
    expect(await counterValue(metrics.fhirErrors, { reason })).toBe(before + 1);
  });

  it('counts cards only for successful calls, and feedback by outcome', async () => {
    registerServiceIds(['iec-hs-surveillance', 'iec-hs-order-select']);
    const observer = metricsObserver();
    const labels = { service: 'iec-hs-order-select', indicator: 'critical' };
    const before = await counterValue(metrics.cards, labels);
    observer.serviceCall?.({ serviceId: 'iec-hs-order-select', status: 200, seconds: 0.02, cards: [{ indicator: 'critical', summary: 's', source: { label: 'l' } }] });
    observer.serviceCall?.({ serviceId: 'iec-hs-order-select', status: 412, seconds: 0.02, cards: [{ indicator: 'critical', summary: 's', source: { label: 'l' } }] });
    expect(await counterValue(metrics.cards, labels)).toBe(before + 1);
    const fbBefore = await counterValue(metrics.feedback, { service: 'iec-hs-order-select', outcome: 'accepted' });
    observer.feedback?.({ serviceId: 'iec-hs-order-select', outcome: 'accepted' });
    expect(await counterValue(metrics.feedback, { service: 'iec-hs-order-select', outcome: 'accepted' })).toBe(fbBefore + 1);
  });
});
