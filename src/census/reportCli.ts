/**
 * `npm run report -- --episodes [--census-db <path>] [--db <card memory>] [--with-patient-id]`:
 * the episode CSV on stdout. Episodes come from DATABASE_URL (PostgreSQL) when set, else the census
 * SQLite file; cards and feedback from the card memory SQLite file (FEEDBACK_HMAC_KEY when configured).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { episodeCsv, sqliteCardLookup, type CardLookup } from './report.js';
import { createPostgresEpisodeStore, episodeFromRow, type EpisodeDbRow } from './sqlStore.js';
import type { EpisodeRow } from './types.js';

export const EPISODES_USAGE =
  'usage: report --episodes [--census-db <path>] [--db <path>] [--with-patient-id]\n' +
  '  --census-db        census episode database (default data/census.sqlite; DATABASE_URL wins when set)\n' +
  '  --db               card memory database (default data/feedback.sqlite); without it the card columns stay empty\n' +
  '  --with-patient-id  add the FHIR patient id column (the CSV then holds patient identifiers)\n';

export interface EpisodesIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env?: Record<string, string | undefined>;
}

export async function runEpisodesReportCli(argv: string[], io: EpisodesIo): Promise<number> {
  const env = io.env ?? process.env;
  let censusDb = path.resolve('data', 'census.sqlite');
  let cardDb = path.resolve('data', 'feedback.sqlite');
  let withPatientId = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--census-db' && value !== undefined) {
      censusDb = value;
      i++;
    } else if (arg === '--db' && value !== undefined) {
      cardDb = value;
      i++;
    } else if (arg === '--with-patient-id') withPatientId = true;
    else if (arg === '--help' || arg === '-h') {
      io.out(EPISODES_USAGE);
      return 0;
    } else {
      io.err(`unknown argument: ${arg ?? ''}\n${EPISODES_USAGE}`);
      return 2;
    }
  }

  let episodes: EpisodeRow[];
  try {
    if (env.DATABASE_URL) {
      const store = await createPostgresEpisodeStore(env.DATABASE_URL, randomUUID, { poolSize: 1 });
      try {
        episodes = await store.episodes();
      } finally {
        await store.close();
      }
    } else {
      const db = new Database(censusDb, { readonly: true, fileMustExist: true });
      try {
        episodes = db.prepare<[], EpisodeDbRow>('SELECT * FROM census_episode ORDER BY met_at, id').all().map(episodeFromRow);
      } finally {
        db.close();
      }
    }
  } catch {
    io.err(`cannot read census episodes from ${env.DATABASE_URL ? 'DATABASE_URL' : censusDb}\n`);
    return 1;
  }

  let cards: CardLookup | undefined;
  let cardDbHandle: Database.Database | undefined;
  try {
    cardDbHandle = new Database(cardDb, { readonly: true, fileMustExist: true });
    cards = sqliteCardLookup(cardDbHandle, env.FEEDBACK_HMAC_KEY || undefined);
  } catch {
    io.err(`card memory ${cardDb} not readable: card and feedback columns left empty\n`);
  }
  try {
    io.out(episodeCsv(episodes, cards, { withPatientId }));
    return 0;
  } finally {
    cardDbHandle?.close();
  }
}
