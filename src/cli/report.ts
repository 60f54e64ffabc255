/**
 * `npm run report [-- --db <path>] [--json]`: acceptance and override rates per card type and per
 * override reason, read from the card memory database (opened read-only).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { runEpisodesReportCli } from '../census/reportCli.js';
import { buildFeedbackReport, formatFeedbackReport } from '../feedback/report.js';
import { parseFlags } from './args.js';

export interface ReportIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE = 'usage: report [--db <path>] [--json]\n  --db    card memory database (default data/feedback.sqlite)\n  --json  machine-readable output\n       report --episodes [--census-db <path>] [--db <path>] [--with-patient-id]   (census episodes as CSV; see --episodes --help)\n';

const defaultIo: ReportIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export async function runReportCli(argv: string[], io: ReportIo = defaultIo): Promise<number> {
  // Census episodes (issue 15): CSV of time from criteria met to card, feedback and treatment.
  if (argv.includes('--episodes')) return runEpisodesReportCli(argv.filter((a) => a !== '--episodes'), io);
  let values;
  try {
    values = parseFlags(argv, { db: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  } catch (error) {
    io.err(`report: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const dbPath = values.db ?? path.resolve('data', 'feedback.sqlite');
  const json = values.json ?? false;
  let db: Database.Database;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
  } catch {
    io.err(`cannot open card memory database: ${dbPath}\n`);
    return 1;
  }
  try {
    const report = buildFeedbackReport(db);
    io.out(json ? `${JSON.stringify(report, null, 2)}\n` : formatFeedbackReport(report));
    return 0;
  } catch {
    io.err(`not a card memory database (tables missing): ${dbPath}\n`);
    return 1;
  } finally {
    db.close();
  }
}
