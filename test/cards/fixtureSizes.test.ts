/**
 * Every fixture scenario through the real engine (bundle -> timeline -> evaluate) and the card builders,
 * for both hooks (the manifest's order-select cases): detail size limits (patient-view <= 1,200 and
 * order-select <= 600 characters), summaries < 140, no evidence tables, no internal documents or
 * developer notes, times with a zone abbreviation, the SMART link on every alert card, and no IL-6 advice
 * in patient-view text. Patient-view cards also keep to what fits a CDS client's first screen (measured in
 * the CDS Hooks sandbox at 1500x900): at most 3 evidence lines, short button labels, at most one "order
 * all" and 1 link. The measured min/max lengths are printed for the report.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ORDER_SELECT_DETAIL_MAX, PATIENT_VIEW_DETAIL_MAX, orderSelectCards, patientViewCards, type CardContext } from '../../src/cards/index.js';
import type { CdsCard } from '../../src/cards/cdsHooks.js';
import { patientDataFromBundle } from '../../src/fhir/bundle.js';
import { evaluate } from '../../src/criteria/index.js';
import type { Evaluation } from '../../src/criteria/types.js';
import { buildTimeline } from '../../src/features/index.js';
import type { Manifest } from '../../src/fixtures/manifest.js';
import { MAX_EVIDENCE_LINES } from '../../src/cards/evidenceLines.js';
import { expectValidCards } from './cardChecks.js';
import { internalTextProblems } from './textChecks.js';

const dir = path.resolve('fhir-fixtures');
const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
const LAUNCH = 'https://cds.example.org/app/launch.html';

interface Row {
  id: string;
  hook: 'patient-view' | 'order-select';
  name: string;
  evaluation: Evaluation;
  cards: CdsCard[];
}

/**
 * The same scenarios with every optional line a real context can add: partial data, pending orders,
 * a site approval with a long name, a site time zone.
 */
const STRESS: Partial<CardContext> = {
  partialData: { missing: ['conditions (a later page could not be read)', 'diagnosticReports (timeout)', 'temperature (truncated)'] },
  pendingOrders: [
    { loinc: '2571-8', orderedAt: manifest.anchor },
    { loinc: '3255-7', orderedAt: manifest.anchor },
  ],
  thresholdApproval: { by: 'Dr. Alexandra Example-Longname, Cellular Therapy Program Director', date: '2026-11-02' },
};

const rows: Row[] = [];
const stressed: Row[] = [];
for (const scenario of manifest.scenarios) {
  const { data } = patientDataFromBundle(JSON.parse(readFileSync(path.join(dir, scenario.file), 'utf8')), scenario.patientId);
  const evaluation = evaluate(buildTimeline(data, { now: manifest.anchor }));
  const zoned: Evaluation = { ...evaluation, timeline: { ...evaluation.timeline, timeZone: 'America/Los_Angeles' } };
  const ctx: CardContext = {
    serviceId: 'iec-hs-surveillance',
    patientId: scenario.patientId,
    now: manifest.anchor,
    serviceBaseUrl: 'https://cds.example.org',
    smartAppLaunchUrl: LAUNCH,
  };
  rows.push({ id: scenario.id, hook: 'patient-view', name: 'patient-view', evaluation, cards: patientViewCards(evaluation, ctx) });
  for (const c of scenario.expect['iec-hs-order-select'] ?? []) {
    const cards = orderSelectCards(evaluation, {
      ...ctx,
      serviceId: 'iec-hs-order-select',
      selections: c.selections,
      draftOrders: c.draftOrders,
    });
    rows.push({ id: scenario.id, hook: 'order-select', name: c.name, evaluation, cards });
    const osStress = orderSelectCards(zoned, { ...ctx, ...STRESS, serviceId: 'iec-hs-order-select', selections: c.selections, draftOrders: c.draftOrders });
    stressed.push({ id: scenario.id, hook: 'order-select', name: c.name, evaluation: zoned, cards: osStress });
  }
  stressed.push({ id: scenario.id, hook: 'patient-view', name: 'patient-view', evaluation: zoned, cards: patientViewCards(zoned, { ...ctx, ...STRESS }) });
}

/** First-screen limits of a patient-view card (evidence bullet lines, button labels, links). */
function expectFirstScreenShape(card: CdsCard): void {
  const evidence = (card.detail ?? '').split('**Evidence:**\n')[1]?.split('\n\n')[0] ?? '';
  expect(evidence.split('\n').filter((l) => l.startsWith('- ')).length).toBeLessThanOrEqual(MAX_EVIDENCE_LINES);
  expect(MAX_EVIDENCE_LINES).toBeLessThanOrEqual(3);
  for (const s of card.suggestions ?? []) expect(s.label.length).toBeLessThanOrEqual(30);
  expect((card.suggestions ?? []).filter((s) => s.label.startsWith('Order all')).length).toBeLessThanOrEqual(1);
  expect((card.links ?? []).length).toBeLessThanOrEqual(1);
}

const lengths = (hook: Row['hook'], from: Row[] = rows): number[] =>
  from.filter((r) => r.hook === hook).flatMap((r) => r.cards.map((c) => (c.detail ?? '').length));

describe('with every optional context line (partial data, pending orders, site approval, site time zone)', () => {
  it.each(stressed.map((r) => [`${r.id} ${r.hook}: ${r.name}`, r] as const))('%s stays inside the limits', (_name, row) => {
    const max = row.hook === 'patient-view' ? PATIENT_VIEW_DETAIL_MAX : ORDER_SELECT_DETAIL_MAX;
    expectValidCards(row.cards, row.evaluation);
    for (const card of row.cards) {
      expect((card.detail ?? '').length).toBeLessThanOrEqual(max);
      expect(card.summary.length).toBeLessThan(140);
      expect(internalTextProblems(card)).toEqual([]);
      expect(card.detail ?? '').not.toMatch(/UTC/);
      if (row.hook === 'patient-view') expectFirstScreenShape(card);
    }
  });
});

describe.each(rows.map((r) => [`${r.id} ${r.hook}: ${r.name}`, r] as const))('%s', (_name, row) => {
  const max = row.hook === 'patient-view' ? PATIENT_VIEW_DETAIL_MAX : ORDER_SELECT_DETAIL_MAX;

  it('conforms, with detail and summary inside the limits', () => {
    expectValidCards(row.cards, row.evaluation);
    for (const card of row.cards) {
      expect((card.detail ?? '').length).toBeLessThanOrEqual(max);
      expect(card.summary.length).toBeLessThan(140);
      if (row.hook === 'patient-view') expectFirstScreenShape(card);
    }
  });

  it('no evidence tables, internal documents or developer notes', () => {
    for (const card of row.cards) expect(internalTextProblems(card)).toEqual([]);
  });

  it('times carry a zone abbreviation; every alert card links to the SMART app', () => {
    for (const card of row.cards) {
      for (const time of (card.detail ?? '').match(/\b\d\d:\d\d\b(?: [A-Z][A-Za-z0-9+:-]*)?/g) ?? []) expect(time).toMatch(/ (UTC|GMT[+-]?\d*|[A-Z]{2,5})$/);
      if (card.indicator !== 'info') expect(card.links?.filter((l) => l.type === 'smart').map((l) => l.url)).toEqual([LAUNCH]);
    }
  });

  if (row.hook === 'patient-view') {
    it('patient-view text gives no IL-6 advice', () => {
      for (const card of row.cards) expect(`${card.summary}\n${card.detail ?? ''}`).not.toMatch(/IL-?6 (blockade|blocker|inhibit)|tocilizumab|siltuximab/i);
    });
  }
});

test('the fixtures exercise both hooks with cards, including alerts', () => {
  expect(lengths('patient-view').length).toBeGreaterThanOrEqual(12);
  expect(lengths('order-select').length).toBeGreaterThanOrEqual(8);
  expect(rows.some((r) => r.cards.some((c) => c.indicator === 'critical'))).toBe(true);
  const report = (['patient-view', 'order-select'] as const).map((hook) => {
    const l = lengths(hook);
    const st = lengths(hook, stressed);
    return `${hook}: ${l.length} cards, detail ${Math.min(...l)}-${Math.max(...l)} characters (with every optional context line: ${Math.min(...st)}-${Math.max(...st)})`;
  });
  // Printed for the issue note (measured lengths over every fixture scenario).
  console.log(`detail lengths over fhir-fixtures/: ${report.join('; ')}`);
});
