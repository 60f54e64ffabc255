/**
 * `report --episodes`: the census episode store plus the card memory -> CSV with minutes from the
 * picture first met to the first alert card, to the first feedback and to the first corticosteroid /
 * anakinra administration. Built from real stores in temporary files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteEpisodeStore } from '../../src/census/sqlStore.js';
import { notificationFactory } from '../../src/census/notifier.js';
import type { CensusEntry } from '../../src/census/types.js';
import type { Tier } from '../../src/criteria/types.js';
import { runReportCli } from '../../src/cli/report.js';
import { createSqliteCardMemory } from '../../src/feedback/index.js';
import { CARD_RULES } from '../../src/cards/cardRules.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'census-report-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const T0 = Date.parse('2026-06-12T10:00:00.000Z');
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

function entry(patientId: string, tier: Tier, evaluatedAt: string): CensusEntry {
  return {
    patientId,
    watched: true,
    watchReason: 'test',
    crs: { state: 'resolved' },
    iecHs: tier === 'warning' || tier === 'critical' ? 'met' : 'not-met',
    tier,
    overlappingCrs: false,
    keyValues: [],
    labsDue: [],
    labsDueLabels: [],
    partialData: [],
    evaluatedAt,
  };
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runReportCli(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

describe('report --episodes', () => {
  it('minutes to first card, feedback and treatment; no patient id unless asked', async () => {
    const censusDb = path.join(tmp, 'census.sqlite');
    const cardDb = path.join(tmp, 'feedback.sqlite');
    let n = 0;
    const store = await createSqliteEpisodeStore(censusDb, () => `episode-${++n}`);
    const make = notificationFactory({ include: 'no-patient-id' });
    await store.applyEvaluation(entry('p1', 'watch', at(-60)), [], make);
    // Met at T0; dexamethasone given 3 h later (one given the day before does not count).
    await store.applyEvaluation(entry('p1', 'warning', at(0)), [at(-1440), at(180)], make);
    await store.applyEvaluation(entry('p2', 'critical', at(10)), [], make);
    await store.close();
    expect((fs.statSync(censusDb).mode & 0o777).toString(8)).toBe('600');

    const memory = await createSqliteCardMemory(cardDb, { cards: CARD_RULES, suppressHours: 24 });
    const card = { uuid: 'card-1', summary: 'IEC-HS picture', indicator: 'warning' as const, source: { label: 'test' } };
    const caller = { issuer: '', tenant: '' };
    await memory.filterAndRecord({ scope: { ...caller, patientId: 'p1' }, serviceId: 'iec-hs-surveillance', now: at(30), cards: [card] });
    expect(await memory.recordFeedback(caller, 'iec-hs-surveillance', { card: 'card-1', outcome: 'accepted', outcomeTimestamp: at(90) }, at(91))).toBe('recorded');
    await memory.close();

    const { code, out } = await run(['--episodes', '--census-db', censusDb, '--db', cardDb]);
    expect(code).toBe(0);
    const [header, ...rows] = out.trim().split('\n');
    expect(header).toBe('episode_id,met_at,max_tier,resolved_at,first_card_at,minutes_to_first_card,first_feedback_outcome,minutes_to_feedback,first_treatment_at,minutes_to_treatment');
    expect(rows).toEqual([
      `episode-1,${at(0)},warning,,${at(30)},30,accepted,90,${at(180)},180`,
      `episode-2,${at(10)},critical,,,,,,,`,
    ]);
    expect(out).not.toMatch(/p1|p2/);

    const withIds = await run(['--episodes', '--census-db', censusDb, '--db', cardDb, '--with-patient-id']);
    expect(withIds.out.split('\n')[1]).toMatch(/^p1,episode-1,/);
  });

  it('a missing census database is a clear error', async () => {
    const { code, err } = await run(['--episodes', '--census-db', path.join(tmp, 'absent.sqlite')]);
    expect(code).toBe(1);
    expect(err).toMatch(/cannot read census episodes/);
  });
});
