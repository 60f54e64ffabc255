/**
 * Feedback that is remembered, end to end over real HTTP: the real pipeline, the embedded FHIR server
 * and the SQLite card memory on a file. An override suppresses the same card for the patient episode,
 * a worse picture brings it back, the memory survives a restart, and an accepted workup suggestion is
 * not suggested again while its order is pending. (Issue 5; the unit-level rules are in test/feedback.)
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Observation } from 'fhir/r4';
import type { CdsCard, CdsResponse, CdsSuggestion } from '../../src/cards/cdsHooks.js';
import { defaultConfig } from '../../src/config/defaults.js';
import { createEmbeddedFhir, type EmbeddedFhir } from '../../src/embedded-fhir/index.js';
import { createSqliteCardMemory } from '../../src/feedback/index.js';
import type { CardMemory } from '../../src/feedback/types.js';
import { projectRoot } from '../../src/hooks/index.js';
import { loadScenarios } from '../../src/fixtures/scenarios.js';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { CARD_RULES } from '../../src/cards/cardRules.js';

const FIXTURES = path.join(projectRoot(), 'fhir-fixtures');
const dbPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iec-hs-memory-')), 'feedback.sqlite');
const HMAC_KEY = 'e2e-test-hmac-key-0123456789abcdef0123456789';

let embedded: EmbeddedFhir;
let running: { server: Server; memory: CardMemory; base: string } | undefined;

async function start(): Promise<void> {
  const config = defaultConfig('test');
  const memory = await createSqliteCardMemory(dbPath, { cards: CARD_RULES, suppressHours: config.feedback.suppressHours, hmacKey: HMAC_KEY });
  const app = createApp({ config, logger: createLogger({ level: 'silent' }), cardMemory: memory, routers: [{ path: '/fhir', handler: embedded.router }] });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.fhir.openServers = [`${base}/fhir`];
  running = { server, memory, base };
}

async function stop(): Promise<void> {
  if (!running) return;
  const { server, memory } = running;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await memory.close();
  running = undefined;
}

beforeAll(async () => {
  embedded = await createEmbeddedFhir();
  const loaded = await loadScenarios(FIXTURES, new Date());
  for (const { scenario, bundle } of loaded.scenarios) {
    if (['iechs-classic', 'iechs-worsening', 'iechs-ferritin-due'].includes(scenario.id)) await embedded.loadBundle(bundle);
  }
  await start();
}, 60_000);

afterAll(stop);

async function patientView(patientId: string): Promise<CdsCard[]> {
  const { base } = running!;
  const res = await fetch(`${base}/cds-services/iec-hs-surveillance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hook: 'patient-view', hookInstance: randomUUID(), fhirServer: `${base}/fhir`, context: { userId: 'Practitioner/e2e', patientId } }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as CdsResponse).cards;
}

async function feedback(item: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${running!.base}/cds-services/iec-hs-surveillance/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ feedback: [{ outcomeTimestamp: new Date().toISOString(), ...item }] }),
  });
  expect(res.status).toBe(200);
}

const alertOf = (cards: CdsCard[]): CdsCard | undefined =>
  cards.find((c) => (c.indicator === 'warning' || c.indicator === 'critical') && c.summary.includes('IEC-HS'));

const loincOf = (suggestion: CdsSuggestion): string[] =>
  (suggestion.actions ?? []).flatMap((a) => {
    const resource = a.resource as { code?: { coding?: { code?: string }[] } } | undefined;
    return (resource?.code?.coding ?? []).map((coding) => coding.code ?? '');
  });

const suggestedLoinc = (cards: CdsCard[]): string[] => cards.flatMap((c) => c.suggestions ?? []).flatMap(loincOf);

test('an overridden IEC-HS card is not shown again for the episode, and comes back when the picture worsens', async () => {
  const first = alertOf(await patientView('iechs-classic'));
  expect(first?.indicator).toBe('warning');
  const reason = first!.overrideReasons![0]!;
  await feedback({ card: first!.uuid, outcome: 'overridden', overrideReason: { reason: { system: reason.system, code: reason.code } } });

  expect(alertOf(await patientView('iechs-classic'))).toBeUndefined();

  // AST 640 U/L today (16x ULN, CTCAE grade 3): severe organ dysfunction makes the tier critical.
  const ast: Observation = {
    resourceType: 'Observation',
    id: 'e2e-worse-ast',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '1920-8' }] },
    subject: { reference: 'Patient/iechs-classic' },
    effectiveDateTime: new Date(Date.now() - 3_600_000).toISOString(),
    valueQuantity: { value: 640, unit: 'U/L', system: 'http://unitsofmeasure.org', code: 'U/L' },
    referenceRange: [{ low: { value: 10, unit: 'U/L' }, high: { value: 40, unit: 'U/L' } }],
  };
  const put = await fetch(`${running!.base}/fhir/Observation/${ast.id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/fhir+json' },
    body: JSON.stringify(ast),
  });
  expect(put.status).toBeLessThan(300);
  expect(alertOf(await patientView('iechs-classic'))?.indicator).toBe('critical');
});

test('an override survives a restart of the service', async () => {
  const card = alertOf(await patientView('iechs-worsening'));
  expect(card).toBeDefined();
  await feedback({ card: card!.uuid, outcome: 'overridden' });
  await stop();
  await start();
  expect(alertOf(await patientView('iechs-worsening'))).toBeUndefined();
});

test('an accepted workup suggestion is not suggested again while its order is pending', async () => {
  const cards = await patientView('iechs-ferritin-due');
  expect(suggestedLoinc(cards)).toContain('2276-4');
  const card = cards.find((c) => suggestedLoinc([c]).includes('2276-4'))!;
  // The single-lab suggestion, not the "order the whole panel" one.
  const ferritin = card.suggestions!.find((s) => s.actions?.length === 1 && loincOf(s).includes('2276-4'))!;
  await feedback({ card: card.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: ferritin.uuid }] });

  expect(suggestedLoinc(await patientView('iechs-ferritin-due'))).not.toContain('2276-4');
});
