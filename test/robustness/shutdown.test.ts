/**
 * Graceful shutdown of the real CLI process (issue 9): `iec-hs demo` is compiled into a private folder
 * (test-artifacts/robustness/, so the shared dist/ is not touched) and run as a child process on an ephemeral
 * loopback port. While a hook call waits on a slow FHIR stub, SIGTERM must: stop accepting new
 * connections, let the in-flight call finish (200 or 412), close the card memory (SQLite WAL
 * checkpointed and removed) and exit with code 0.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { projectRoot } from '../../src/hooks/definitions.js';
import { buildSources } from '../support/buildSources.js';
import { startCliDemo, type CliDemo } from '../support/cliDemo.js';
import { startFhirStub, type FhirStub } from '../server/helpers/fhirStub.js';
import { allResources, patientViewRequest } from '../server/helpers/testApp.js';
import { callHook } from './helpers.js';

const ROOT = projectRoot();
// Shallow on purpose: the demo router looks for public/ at most five folders above its module.
const BUILD_DIR = path.join(ROOT, 'test-artifacts', 'robustness');
const MAIN_JS = path.join(BUILD_DIR, 'src', 'cli', 'main.js');
/** How long the stub holds each lab search: well inside the FHIR timeout (2 s) and budget (4 s). */
const FHIR_DELAY_MS = 1200;

let stub: FhirStub;
let tmp: string;

beforeAll(async () => {
  // A private build of src/ (the demo command needs compiled JS; node 20 cannot run TypeScript).
  await buildSources(ROOT, BUILD_DIR);
  if (!fs.existsSync(MAIN_JS)) throw new Error(`build failed: ${MAIN_JS} was not written`);

  stub = await startFhirStub(allResources());
  stub.setOverride(async (rec) => {
    if (rec.type === 'Observation') await new Promise((r) => setTimeout(r, FHIR_DELAY_MS));
    return false;
  });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iec-hs-shutdown-'));
}, 180_000);

afterAll(async () => {
  await stub.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function startDemo(dbPath: string): Promise<CliDemo> {
  const configFile = path.join(tmp, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify({ fhir: { openServers: [stub.base] } }));
  return startCliDemo(MAIN_JS, ROOT, { FEEDBACK_DB: dbPath, CONFIG_FILE: configFile, LOG_LEVEL: 'info' }, 60_000);
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test('SIGTERM: no new connections, the in-flight call finishes, card memory closed, exit 0', async () => {
  const dbPath = path.join(tmp, 'feedback.sqlite');
  const demo = await startDemo(dbPath);
  try {
    const port = Number(new URL(demo.base).port);
    expect(await connects(port)).toBe(true);

    const labsBefore = stub.requestsFor('Observation').length;
    const inFlight = callHook(demo.base, 'iec-hs-surveillance', patientViewRequest({ prefetch: undefined, fhirServer: stub.base }));
    // Wait until the service is inside its FHIR reads (the stub holds them), then signal.
    while (stub.requestsFor('Observation').length === labsBefore) await new Promise((r) => setTimeout(r, 20));
    const signalled = Date.now();
    demo.child.kill('SIGTERM');
    // The handler logs this line and then stops the listener: wait for the line, not for a fixed timer,
    // then the port must refuse within the same 200 ms the test used to sleep.
    while (!/shutting down/.test(demo.output()) && demo.child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    const logged = Date.now();
    let accepting = await connects(port);
    while (accepting && Date.now() - logged < 200) {
      await new Promise((r) => setTimeout(r, 10));
      accepting = await connects(port);
    }
    expect(accepting).toBe(false);
    const answer = await inFlight;
    expect([200, 412]).toContain(answer.status);
    if (answer.status === 200) expect(Array.isArray(answer.body.cards)).toBe(true);

    const { code, signal } = await demo.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const stopMs = Date.now() - signalled;
    if (process.env.ROBUSTNESS_REPORT) console.info(`shutdown: in-flight ${answer.status} after ${Math.round(answer.ms)} ms; exit ${code} ${stopMs} ms after SIGTERM`);
    expect(stopMs).toBeLessThan(FHIR_DELAY_MS + 5_000);
    expect(demo.output()).toMatch(/shutting down/);
    expect(demo.output()).toMatch(/"stopped"|stopped/);

    // Closed cleanly: the WAL was checkpointed into the database and removed, and the file is not locked.
    expect(fs.existsSync(`${dbPath}-wal`) ? fs.statSync(`${dbPath}-wal`).size : 0).toBe(0);
    const db = new Database(dbPath, { fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.exec('BEGIN EXCLUSIVE; COMMIT;');
    } finally {
      db.close();
    }
  } finally {
    if (demo.child.exitCode === null) demo.child.kill('SIGKILL');
  }
}, 120_000);
