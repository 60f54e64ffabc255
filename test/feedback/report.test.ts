/** `npm run report`: acceptance and override rates per card type and per override reason. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { patientViewCards } from '../../src/cards/index.js';
import { OVERRIDE_REASON } from '../../src/cards/sources.js';
import { runReportCli } from '../../src/cli/report.js';
import { createSqliteCardMemory } from '../../src/feedback/index.js';
import type { FeedbackReport } from '../../src/feedback/report.js';
import { evaluation, isoAt } from '../cards/builders.js';
import { CARD_RULES } from '../../src/cards/cardRules.js';

const SERVICE = 'iec-hs-surveillance';
const T0 = isoAt(11, 2);

let dir: string;
let file: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iec-hs-report-'));
  file = path.join(dir, 'feedback.sqlite');
  const memory = await createSqliteCardMemory(file, { cards: CARD_RULES, suppressHours: 24 });
  const issue = async (patientId: string, picture: boolean) => {
    const cards = patientViewCards(evaluation({ picture, workupDue: ['ferritin'] }), { serviceId: SERVICE, patientId, now: T0 });
    const [card] = await memory.filterAndRecord({ scope: { issuer: '', tenant: '', patientId }, serviceId: SERVICE, now: T0, cards });
    if (!card) throw new Error('no card issued');
    return card;
  };
  // 4 alert cards: 1 accepted, 2 overridden (two reasons... one with a comment), 1 ignored. 2 watch cards: 1 accepted.
  const alerts = await Promise.all(['a', 'b', 'c', 'd'].map((p) => issue(p, true)));
  const watches = await Promise.all(['e', 'f'].map((p) => issue(p, false)));
  const fb = (card: typeof alerts[number] | undefined, item: object) => {
    if (!card?.uuid) throw new Error('card without uuid');
    return memory.recordFeedback({ issuer: '', tenant: '' }, SERVICE, { card: card.uuid, outcomeTimestamp: T0, ...item } as never, T0);
  };
  const firstSuggestion = (card: typeof alerts[number] | undefined): string => {
    const id = card?.suggestions?.[0]?.uuid;
    if (id === undefined) throw new Error('card without a suggestion');
    return id;
  };
  await fb(alerts[0], { outcome: 'accepted', acceptedSuggestions: [{ id: firstSuggestion(alerts[0]) }] });
  await fb(alerts[1], { outcome: 'overridden', overrideReason: { reason: OVERRIDE_REASON.managedByCellTherapyTeam, userComment: 'pt 123 known' } });
  await fb(alerts[2], { outcome: 'overridden', overrideReason: { reason: OVERRIDE_REASON.alternativeExplanation } });
  await fb(alerts[2], { outcome: 'overridden', overrideReason: { reason: OVERRIDE_REASON.alternativeExplanation } }); // duplicate
  await fb(watches[0], { outcome: 'accepted', acceptedSuggestions: [{ id: firstSuggestion(watches[0]) }] });
  await memory.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

it('--json gives rates per card type and per override reason', async () => {
  const c = capture();
  expect(await runReportCli(['--db', file, '--json'], c.io)).toBe(0);
  const report = JSON.parse(c.out.join('')) as FeedbackReport;
  expect(report.cardTypes).toEqual([
    { serviceId: SERVICE, cardType: 'iec-hs-alert', issued: 4, accepted: 1, overridden: 2, acceptanceRate: 0.25, overrideRate: 0.5 },
    { serviceId: SERVICE, cardType: 'iec-hs-watch', issued: 2, accepted: 1, overridden: 0, acceptanceRate: 0.5, overrideRate: 0 },
  ]);
  expect(report.overrideReasons).toEqual([
    expect.objectContaining({ cardType: 'iec-hs-alert', display: OVERRIDE_REASON.alternativeExplanation.display, count: 1, share: 0.5, withComment: 0 }),
    expect.objectContaining({ cardType: 'iec-hs-alert', display: OVERRIDE_REASON.managedByCellTherapyTeam.display, count: 1, share: 0.5, withComment: 1 }),
  ]);
  // Free-text comments are never stored, so never reported.
  expect(c.out.join('')).not.toContain('pt 123');
});

it('prints a readable text report', async () => {
  const c = capture();
  expect(await runReportCli([`--db=${file}`], c.io)).toBe(0);
  const text = c.out.join('');
  expect(text).toContain('iec-hs-surveillance / iec-hs-alert: issued 4, accepted 1 (25.0%), overridden 2 (50.0%)');
  expect(text).toContain('Already managed by the cellular therapy team');
});

it.each([
  [['--db', '/nonexistent/dir/none.sqlite'], 1],
  [['--bogus'], 2],
  [['--help'], 0],
])('%j exits %i', async (argv, code) => {
  expect(await runReportCli(argv, capture().io)).toBe(code);
});
