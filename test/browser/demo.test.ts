/**
 * The demo page in a real browser against the real composed app: pick the classic IEC-HS patient,
 * see the warning card, accept a suggestion (feedback recorded), dismiss with a reason, fire
 * order-select, open the timeline from the card and see the charts. Screenshots go to test-artifacts/.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Scenario } from '../../src/fixtures/manifest.js';
import { buildApp } from '../../scripts/build-app.js';
import { openBrowser, screenshot, type BrowserSession } from './chromium.js';
import { startDemoApp, type DemoApp } from './demoApp.js';

let demo: DemoApp;
let browser: BrowserSession;

/** The demo's main patient: the classic IEC-HS scenario (else the first whose card flags IEC-HS). */
function mainScenario(scenarios: Scenario[]): Scenario {
  const iecHs = scenarios.filter((s) => s.expect['iec-hs-surveillance'].iecHs);
  const found = iecHs.find((s) => /classic/i.test(s.id)) ?? iecHs[0];
  if (!found) throw new Error('fhir-fixtures/manifest.json has no scenario with an IEC-HS card');
  return found;
}

beforeAll(async () => {
  await buildApp(); // /timeline.html launches the SMART app, served from dist/app
  demo = await startDemoApp();
  browser = await openBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

describe('demo page in Chromium', () => {
  it('patient-view: IEC-HS card, accept a suggestion, feedback recorded, dismiss with a reason', async () => {
    const { page } = browser;
    const scenario = mainScenario(demo.manifest.scenarios);
    await page.goto(`${demo.baseUrl}/`);
    await page.click(`button[data-patient="${scenario.patientId}"]`);

    // The IEC-HS card is warning or critical (severity follows organ dysfunction); the manifest says which.
    const expected = scenario.expect['iec-hs-surveillance'].indicators.filter((i) => i !== 'info');
    const warning = page.locator(expected.map((i) => `#patient-view-cards .cds-card--${i}`).join(', '), { hasText: 'IEC-HS' }).first();
    await warning.waitFor({ timeout: 20_000 });
    expect(await warning.locator('.card-summary').textContent()).toContain('IEC-HS');
    // The detail is rendered markdown, not raw text.
    expect(await warning.locator('.card-detail').innerHTML()).toMatch(/<(table|p|ul|strong)/);

    // A suggestion shows the draft ServiceRequest it would create, then accepting posts feedback.
    await warning.locator('button.suggestion').first().click();
    const preview = warning.locator('.suggestion-preview pre.json').first();
    const resource = JSON.parse((await preview.textContent()) ?? '{}') as { resourceType?: string; status?: string; code?: { coding?: { system?: string }[] } };
    expect(resource).toMatchObject({ resourceType: 'ServiceRequest', status: 'draft' });
    expect(resource.code?.coding?.[0]?.system).toBe('http://loinc.org');
    await screenshot(page, 'demo-1-suggestion-preview');
    await warning.getByRole('button', { name: 'Accept suggestion' }).click();
    await warning.locator('.feedback-status--ok').waitFor();
    expect(await warning.locator('.feedback-status').textContent()).toBe('Feedback recorded (HTTP 200)');
    await screenshot(page, 'demo-2-feedback-recorded');

    // The server counted it (metrics carry the service id, never the patient).
    const metrics = await (await fetch(`${demo.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/cds_feedback_total\{service="iec-hs-surveillance",outcome="accepted"\} 1/);
    expect(metrics).not.toContain(scenario.patientId);

    // Dismiss another card (or this one) with one of its override reasons.
    const dismissable = page.locator('#patient-view-cards .cds-card:has(.override-form select)').first();
    if ((await dismissable.count()) > 0) {
      await dismissable.getByRole('button', { name: 'Dismiss…' }).click();
      await dismissable.locator('.override-form select').selectOption({ index: 1 });
      await dismissable.getByRole('button', { name: 'Dismiss card' }).click();
      // Only a 2xx answer marks the card dismissed.
      await page.locator('#patient-view-cards .cds-card--dismissed').waitFor();
      const after = await (await fetch(`${demo.baseUrl}/metrics`)).text();
      expect(after).toMatch(/cds_feedback_total\{service="iec-hs-surveillance",outcome="overridden"\} 1/);
    }
  }, 60_000);

  it('order-select: choosing tocilizumab fires order-select and shows its cards', async () => {
    const { page } = browser;
    const exchanges = page.waitForResponse((r) => r.url().endsWith('/cds-services/iec-hs-order-select') && r.request().method() === 'POST');
    await page.check('input[data-order="tocilizumab"]');
    const response = await exchanges;
    expect(response.status()).toBe(200);
    const sent = response.request().postDataJSON() as {
      hook: string;
      hookInstance: string;
      fhirServer: string;
      prefetch?: Record<string, unknown>;
      context: { userId: string; selections: string[]; draftOrders: { entry: unknown[] } };
    };
    expect(sent.hook).toBe('order-select');
    expect(sent.hookInstance).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sent.fhirServer).toBe(`${demo.baseUrl}/fhir`);
    expect(sent.context.userId).toBe('Practitioner/demo-clinician');
    // The client ran the service's prefetch templates against the embedded FHIR server.
    expect(sent.prefetch?.patient).toMatchObject({ resourceType: 'Patient' });
    expect(sent.prefetch?.labs).toMatchObject({ resourceType: 'Bundle' });
    expect(sent.context.selections).toEqual(['MedicationRequest/draft-tocilizumab']);
    await page.locator('#order-cards .service-cards').waitFor();
    await screenshot(page, 'demo-3-order-select');
  }, 30_000);

  it('the demo timeline page launches the SMART app, which draws every panel (cards link to it: smartApp.test.ts)', async () => {
    const { context } = browser;
    const timelinePage = await context.newPage();
    await timelinePage.goto(`${demo.baseUrl}/timeline.html?patient=${encodeURIComponent(mainScenario(demo.manifest.scenarios).patientId)}`);
    await timelinePage.waitForURL('**/app/index.html*', { timeout: 20_000 });
    await timelinePage.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
    expect(new URL(timelinePage.url()).pathname).toBe('/app/index.html');
    // Ferritin, fibrinogen and platelets are charted for the IEC-HS patient.
    for (const panel of ['ferritin', 'fibrinogen', 'platelets']) {
      expect(await timelinePage.locator(`section[data-panel="${panel}"] canvas`).count()).toBe(1);
    }
    await screenshot(timelinePage, 'demo-4-timeline');
    await timelinePage.close();
  }, 30_000);

  it('a CDS client on another origin (as the sandbox is) can call discovery, a service and feedback', async () => {
    // A blank page on a second loopback origin; helmet's headers must not stop its CORS calls.
    const other = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>client</title>'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const page = await browser.context.newPage();
    try {
      await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
      const scenario = mainScenario(demo.manifest.scenarios);
      const results = await page.evaluate(
        async ({ base, patientId }) => {
          const headers = { Authorization: 'Bearer header.payload.signature', 'Content-Type': 'application/json' };
          const discovery = await fetch(`${base}/cds-services`, { headers: { Authorization: headers.Authorization } });
          const call = await fetch(`${base}/cds-services/iec-hs-surveillance`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ hookInstance: crypto.randomUUID(), hook: 'patient-view', fhirServer: `${base}/fhir`, context: { patientId, userId: 'Practitioner/COREPRACTITIONER1' } }),
          });
          const cards = ((await call.json()) as { cards: { uuid: string }[] }).cards;
          const feedback = await fetch(`${base}/cds-services/iec-hs-surveillance/feedback`, {
            method: 'POST',
            headers,
            // The first test's feedback may have suppressed this patient's cards; an unknown card id is still a 200.
            body: JSON.stringify({ feedback: [{ card: cards[0]?.uuid ?? crypto.randomUUID(), outcome: 'overridden', outcomeTimestamp: new Date().toISOString() }] }),
          });
          return { discovery: discovery.status, call: call.status, feedback: feedback.status, requestId: call.headers.get('x-request-id') };
        },
        { base: demo.baseUrl, patientId: scenario.patientId },
      );
      expect(results).toMatchObject({ discovery: 200, call: 200, feedback: 200 });
      // Exposed through CORS for client-side correlation.
      expect(results.requestId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await page.close();
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    }
  }, 30_000);

  it('nothing left loopback, no script failed and the CSP blocked nothing', () => {
    expect(browser.blocked).toEqual([]);
    expect(browser.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    expect(browser.errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  });
});
