/**
 * The SMART timeline app in Chromium against the demo exactly as `npm start` composes it: a card's
 * `smart` link is launched the way an EHR does (launch id from the launch service, then
 * launch.html?iss&launch), fhirclient discovers the demo authorization server, is auto-approved,
 * exchanges the code with PKCE, reads FHIR, and the engine runs in the page. Then a clinician finding
 * changes HScore; screenshots at desktop and 390 px go to test-artifacts/.
 */
import type { Page, Request } from 'playwright-core';
import type { Scenario } from '../../src/fixtures/manifest.js';
import { buildApp } from '../../scripts/build-app.js';
import { openBrowser, screenshot, type BrowserSession } from './chromium.js';
import { startDemoApp, type DemoApp } from './demoApp.js';

let demo: DemoApp;
let browser: BrowserSession;
let app: Page;
const appRequests: Request[] = [];

function mainScenario(scenarios: Scenario[]): Scenario {
  const iecHs = scenarios.filter((s) => s.expect['iec-hs-surveillance'].iecHs);
  const found = iecHs.find((s) => /classic/i.test(s.id)) ?? iecHs[0];
  if (!found) throw new Error('fhir-fixtures/manifest.json has no scenario with an IEC-HS card');
  return found;
}

async function scoreOf(page: Page, set: string): Promise<number> {
  const text = (await page.locator(`[data-score="${set}"] .score-value`).textContent()) ?? '';
  const value = Number(text.split('/')[0]?.replace(/[^0-9.]/g, ''));
  if (!Number.isFinite(value)) throw new Error(`no ${set} score in "${text}"`);
  return value;
}

beforeAll(async () => {
  await buildApp(); // what `npm run build` does; the app is served from dist/app
  demo = await startDemoApp();
  browser = await openBrowser();
  // openBrowser watches its first page; the app opens in a new one.
  browser.context.on('page', (p) => {
    p.on('pageerror', (e) => browser.errors.push(`pageerror: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error') browser.errors.push(`console: ${m.text()}`);
    });
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

describe('SMART timeline app: EHR launch from a card link', () => {
  it('launch -> authorize -> token -> FHIR reads, from the card of the IEC-HS patient', async () => {
    const { page, context } = browser;
    const scenario = mainScenario(demo.manifest.scenarios);
    await page.goto(`${demo.baseUrl}/`);
    await page.click(`button[data-patient="${scenario.patientId}"]`);
    const card = page.locator('#patient-view-cards .cds-card--warning, #patient-view-cards .cds-card--critical', { hasText: 'IEC-HS' }).first();
    await card.waitFor({ timeout: 20_000 });
    const link = card.locator('[data-smart-url]').first();
    if ((await link.count()) === 0) throw new Error('the IEC-HS card has no type "smart" link: cards must link to CardContext.smartAppLaunchUrl (issue 13, cards part)');
    expect(await link.getAttribute('data-smart-url')).toBe(`${demo.baseUrl}/app/launch.html`);

    context.on('request', (r) => {
      if (r.frame().page() !== page) appRequests.push(r);
    });
    const [opened] = await Promise.all([context.waitForEvent('page'), link.click()]);
    app = opened;
    await app.waitForSelector('body[data-ready]', { timeout: 30_000 });
    expect(await app.getAttribute('body', 'data-ready')).toBe('true');
    expect(new URL(app.url()).pathname).toBe('/app/index.html');
    // fhirclient removed code and state from the address after the exchange.
    expect(new URL(app.url()).searchParams.has('code')).toBe(false);

    const urls = appRequests.map((r) => new URL(r.url()));
    const launch = urls.find((u) => u.pathname === '/app/launch.html');
    expect(launch?.searchParams.get('iss')).toBe(`${demo.baseUrl}/fhir`);
    expect(launch?.searchParams.get('launch')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(urls.some((u) => u.pathname === '/fhir/.well-known/smart-configuration')).toBe(true);

    const authorize = urls.find((u) => u.pathname === '/smart-demo/authorize');
    expect(authorize).toBeDefined();
    const q = authorize?.searchParams;
    expect(q?.get('response_type')).toBe('code');
    expect(q?.get('client_id')).toBe('iec-hs-timeline');
    expect(q?.get('aud')).toBe(`${demo.baseUrl}/fhir`);
    expect(q?.get('launch')).toBe(launch?.searchParams.get('launch'));
    expect(q?.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['launch', 'openid', 'patient/Observation.rs']));
    expect(q?.get('code_challenge_method')).toBe('S256');
    expect(q?.get('state')?.length ?? 0).toBeGreaterThanOrEqual(36); // a UUID: 122 random bits

    const token = appRequests.find((r) => new URL(r.url()).pathname === '/smart-demo/token');
    const form = new URLSearchParams(token?.postData() ?? '');
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code_verifier')?.length ?? 0).toBeGreaterThanOrEqual(43);
    const tokenResponse = (await token?.response())?.status();
    expect(tokenResponse).toBe(200);

    // FHIR reads carry the token; patient data came from /fhir only, never from the CDS service or the demo API.
    const fhirReads = appRequests.filter((r) => /\/fhir\/(Observation|Patient|Condition|Procedure|MedicationAdministration)/.test(r.url()));
    expect(fhirReads.length).toBeGreaterThanOrEqual(5);
    for (const r of fhirReads) {
      expect(r.headers().authorization).toMatch(/^Bearer [A-Za-z0-9_-]{20,}$/);
      expect(new URL(r.url()).searchParams.get('patient') ?? scenario.patientId).toBe(scenario.patientId);
    }
    expect(appRequests.filter((r) => /\/(cds-services|demo\/api)\b/.test(new URL(r.url()).pathname))).toEqual([]);
  }, 90_000);

  it('renders the criteria sets side by side, CTCAE grades, the evidence table and the charts', async () => {
    const sets = await app.locator('#criteria .criteria-set').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-set')));
    expect(sets).toEqual(['astct-iec-hs', 'carhlh', 'hlh-lt', 'hscore', 'hlh-2004', 'ohi']);
    // Every criterion has its one-line explanation and citation.
    const criteria = app.locator('#criteria .criterion');
    expect(await criteria.count()).toBeGreaterThan(15);
    expect(await app.locator('#criteria .criterion .criterion-cite a').count()).toBe(await criteria.count());
    expect(await app.locator('#criteria .criterion .criterion-why:empty').count()).toBe(0);
    expect(await app.locator('#verdict').textContent()).toMatch(/IEC-HS picture present/);
    expect(await app.locator('#ctcae table tbody tr').count()).toBeGreaterThan(0);
    expect(await app.locator('#evidence table tbody tr').count()).toBeGreaterThan(20);

    for (const panel of ['ferritin', 'fibrinogen', 'platelets', 'temperature', 'crp', 'ldh', 'triglycerides']) {
      const canvas = app.locator(`section[data-panel="${panel}"] canvas`);
      expect({ panel, canvases: await canvas.count() }).toEqual({ panel, canvases: 1 });
      const drawn = await canvas.evaluate((c: HTMLCanvasElement) => c.width > 0 && c.height > 0);
      expect(drawn).toBe(true);
      // The screen-reader table behind the chart lists the results.
      expect(await app.locator(`section[data-panel="${panel}"] .panel-table tbody tr`).count()).toBeGreaterThan(0);
    }
    // Lines for the thresholds that fired: ferritin (2x ULN and/or 10,000), fibrinogen 150.
    expect(await app.locator('section[data-panel="ferritin"] .fired-lines').textContent()).toMatch(/ULN|10000/);
    expect(await app.locator('section[data-panel="fibrinogen"] .fired-lines').textContent()).toMatch(/150 mg\/dL/);
    // Flags are words with accessible labels, not a bare letter.
    expect(await app.locator('#evidence .flag').first().getAttribute('aria-label')).toMatch(/^(High|Low): /);
    await screenshot(app, 'smart-app-1-desktop');
  }, 30_000);

  it('a clinician-entered finding changes HScore and HLH-2004, labelled as such', async () => {
    const hscoreBefore = await scoreOf(app, 'hscore');
    const hlhBefore = await scoreOf(app, 'hlh-2004');
    expect(await app.locator('#clinician-active').isHidden()).toBe(true);
    await app.check('input[data-finding="splenomegaly"]');
    const hscoreAfter = await scoreOf(app, 'hscore');
    expect(hscoreAfter).toBeGreaterThan(hscoreBefore);
    expect(await scoreOf(app, 'hlh-2004')).toBe(hlhBefore + 1);
    expect(await app.locator('#clinician-active').isVisible()).toBe(true);
    expect(await app.locator('[data-criterion="hscore-organomegaly"]').textContent()).toMatch(/clinician-entered/i);
    await app.check('input[data-finding="immunosuppression"]');
    expect(await scoreOf(app, 'hscore')).toBeGreaterThan(hscoreAfter);
    await app.uncheck('input[data-finding="immunosuppression"]');
    await app.uncheck('input[data-finding="splenomegaly"]');
    expect(await scoreOf(app, 'hscore')).toBe(hscoreBefore);
  }, 30_000);

  it('fits a 390 px screen without horizontal scrolling', async () => {
    await app.setViewportSize({ width: 390, height: 844 });
    await app.waitForTimeout(300); // Chart.js resizes on the next frame
    const widths = await app.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
    expect(widths.doc).toBeLessThanOrEqual(390);
    expect(widths.body).toBeLessThanOrEqual(390);
    await screenshot(app, 'smart-app-2-390px');
    await app.setViewportSize({ width: 1440, height: 1000 });
  }, 30_000);

  it('data tables on request, and a print stylesheet that prints them without the page chrome', async () => {
    const table = app.locator('section[data-panel="ferritin"] .panel-table');
    expect((await table.boundingBox())?.width ?? 0).toBeLessThanOrEqual(1);
    await app.click('#toggle-tables');
    expect(await app.getAttribute('#toggle-tables', 'aria-pressed')).toBe('true');
    expect((await table.boundingBox())?.width ?? 0).toBeGreaterThan(200);
    await app.click('#toggle-tables');
    await app.emulateMedia({ media: 'print' });
    try {
      expect(await app.locator('.topbar').isHidden()).toBe(true);
      expect(await app.locator('#toggle-tables').isHidden()).toBe(true);
      expect((await table.boundingBox())?.width ?? 0).toBeGreaterThan(200);
    } finally {
      await app.emulateMedia({ media: 'screen' });
    }
  }, 30_000);

  it('the demo EHR banner button launches the app for the open patient', async () => {
    const { page, context } = browser;
    const [opened] = await Promise.all([context.waitForEvent('page'), page.click('#smart-app-launch')]);
    try {
      await opened.waitForSelector('body[data-ready]', { timeout: 30_000 });
      expect(await opened.getAttribute('body', 'data-ready')).toBe('true');
      expect(await opened.locator('#patient-name').textContent()).toBe(await app.locator('#patient-name').textContent());
    } finally {
      await opened.close();
    }
  }, 60_000);

  it('a standalone launch (iss only) also completes', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${demo.baseUrl}/app/launch.html?iss=${encodeURIComponent(`${demo.baseUrl}/fhir`)}`);
      await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
      expect(await page.getAttribute('body', 'data-ready')).toBe('true');
      expect(await page.locator('#criteria .criteria-set').count()).toBe(6);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('a standalone launch naming a patient (census link, #patient=) opens that patient with user-level scopes', async () => {
    const page = await browser.context.newPage();
    const scopes: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.endsWith('/authorize')) scopes.push(u.searchParams.get('scope') ?? '');
    });
    try {
      await page.goto(`${demo.baseUrl}/app/launch.html?iss=${encodeURIComponent(`${demo.baseUrl}/fhir`)}#patient=iechs-active-crs`);
      await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
      expect(await page.getAttribute('body', 'data-ready')).toBe('true');
      // Not the demo's default patient (the first scenario): the one the link named.
      expect(await page.locator('#patient-name').textContent()).toMatch(/Tomasz Wojcik/);
      expect(scopes).toHaveLength(1);
      expect(scopes[0]).not.toMatch(/launch\/patient|patient\//);
      expect(scopes[0]).toMatch(/user\//);
      expect(await page.locator('#criteria .criteria-set').count()).toBe(6);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('nothing left loopback, no script failed and the CSP blocked nothing', () => {
    expect(browser.blocked).toEqual([]);
    expect(browser.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    expect(browser.errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  });
});
