/**
 * The census page in headless Chromium against the demo as `npm start` runs it: the demo banner, the
 * IEC-HS fixture patients at the top with their tier, key values with direction, and a working link to
 * the patient's timeline. Screenshots go to test-artifacts/.
 */
import { buildApp } from '../../scripts/build-app.js';
import { openBrowser, screenshot, type BrowserSession } from '../browser/chromium.js';
import { startDemo, type RunningDemo } from '../../src/cli/demoApp.js';
import { loadServerConfig } from '../../src/cli/runtime.js';
import { createLogger } from '../../src/server/logger.js';
import { settledCycle } from './helpers.js';

let demo: RunningDemo;
let browser: BrowserSession;

beforeAll(async () => {
  await buildApp(); // the timeline link launches the SMART app, served from dist/app
  const config = loadServerConfig('demo', { PORT: '0', HOST: '127.0.0.1', FEEDBACK_DB: ':memory:', LOG_LEVEL: 'silent' });
  demo = await startDemo(config, { logger: createLogger({ level: 'silent' }) });
  if (!demo.census) throw new Error('census not enabled in demo mode');
  await settledCycle(demo.census);
  browser = await openBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

describe('census page in Chromium', () => {
  it('shows the watched patients by urgency, flagged at their tier, with a timeline link', async () => {
    const { page } = browser;
    await page.goto(`${demo.baseUrl}/census`);
    await page.locator('#census-rows tr').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('#census-access').textContent()).toMatch(/DEMO MODE/);

    const manifest = demo.manifest?.scenarios ?? [];
    const rows = page.locator('#census-rows tr');
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => ({ id: (tr as HTMLElement).dataset.patient, tier: (tr as HTMLElement).dataset.tier })));
    expect(shown.map((r) => r.id)).not.toContain('iechs-non-cart');
    expect(shown.map((r) => r.id)).not.toContain('iechs-day150');
    expect(shown).toHaveLength(manifest.length - 2);
    expect(shown[0]?.tier).toBe('critical');

    const severe = page.locator('#census-rows tr[data-patient="iechs-severe"]');
    expect(await severe.locator('td.tier').textContent()).toBe('critical');
    expect(await severe.locator('td.picture').textContent()).toMatch(/^present/);
    expect(await severe.locator('.kv[data-analyte="ferritin"]').count()).toBe(1);
    // Values are printed as the cards print them (rounded), never raw converted floats.
    expect((await page.locator('.kv').allTextContents()).filter((t) => /\d\.\d{4,}/.test(t))).toEqual([]);
    await screenshot(page, 'census-1-list');

    const link = page.locator('#census-rows tr[data-patient="iechs-classic"] a').first();
    expect(await link.getAttribute('href')).toMatch(/\/timeline\.html\?patient=iechs-classic$/);
    // Waiting from before the click: the page moves on to the SMART app as soon as it loads.
    await Promise.all([page.waitForURL(/timeline\.html\?patient=iechs-classic/), link.click()]);
    // /timeline.html launches the SMART app for the patient, which draws the timeline.
    await page.waitForURL('**/app/index.html*', { timeout: 30_000 });
    await page.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });
  }, 60_000);

  it('nothing left loopback and no script failed', () => {
    expect(browser.blocked).toEqual([]);
    expect(browser.errors.filter((e) => e.startsWith('pageerror') || /Content Security Policy/i.test(e))).toEqual([]);
  });
});
