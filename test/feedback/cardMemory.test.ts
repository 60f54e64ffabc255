/**
 * The SQLite card memory: suppression after an override (and re-showing when the picture worsens),
 * accepted lab suggestions not re-suggested while pending, idempotent feedback (checklist line 36),
 * restart survival, and patient ids stored only as a keyed hash. DESIGN.md "Alert fatigue".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { patientViewCards, readCardMeta } from '../../src/cards/index.js';
import type { CdsCard } from '../../src/cards/cdsHooks.js';
import type { Evaluation } from '../../src/criteria/types.js';
import { createSqliteCardMemory, type CardMemory } from '../../src/feedback/index.js';
import { evaluation, isoAt, type EvaluationOptions } from '../cards/builders.js';

const SERVICE = 'iec-hs-surveillance';
const PATIENT = 'patient-raw-id-7f3a';
const T0 = isoAt(11, 2);
const at = (hours: number): string => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();

let memory: CardMemory;
beforeEach(() => {
  memory = createSqliteCardMemory(':memory:', { suppressHours: 24, pendingHours: 12 });
});
afterEach(() => memory.close());

function issue(o: EvaluationOptions, now = T0, patientId = PATIENT, serviceId = SERVICE, m = memory): CdsCard[] {
  const ev: Evaluation = evaluation(o);
  const cards = patientViewCards(ev, { serviceId, patientId, now });
  return m.filterAndRecord({ serviceId, patientId, now, cards });
}

function override(card: CdsCard, when: string, m = memory) {
  return m.recordFeedback(SERVICE, { card: card.uuid!, outcome: 'overridden', outcomeTimestamp: when }, when);
}

describe('suppression after an override', () => {
  it('hides the same card type for the episode for suppressHours, then shows it again', () => {
    const [card] = issue({ picture: true });
    expect(override(card, T0)).toBe('recorded');
    expect(issue({ picture: true }, at(1))).toEqual([]);
    expect(issue({ picture: true }, at(23.9))).toEqual([]);
    expect(issue({ picture: true }, at(24.1)).map((c) => c.indicator)).toEqual(['warning']);
  });

  it('re-shows at once when the tier rises (warning -> critical)', () => {
    const [card] = issue({ picture: true });
    override(card, T0);
    expect(issue({ picture: true, severe: true }, at(1)).map((c) => c.indicator)).toEqual(['critical']);
  });

  it('re-shows at once when a new criterion is met at the same tier', () => {
    const [card] = issue({ picture: true });
    override(card, T0);
    expect(issue({ picture: true, extraMet: ['fibrinogen-low'] }, at(1)).map((c) => c.indicator)).toEqual(['warning']);
  });

  it('an improving picture stays hidden (critical overridden, warning now)', () => {
    const [card] = issue({ picture: true, severe: true });
    override(card, T0);
    expect(issue({ picture: true }, at(1))).toEqual([]);
  });

  it('is scoped to the patient, the service and the card type', () => {
    const [card] = issue({ picture: true });
    override(card, T0);
    expect(issue({ picture: true }, at(1), 'another-patient')).toHaveLength(1);
    expect(issue({ picture: true }, at(1), PATIENT, 'other-service')).toHaveLength(1);
    expect(issue({ day: 11, workupDue: ['ferritin'] }, at(1)).map((c) => c.indicator)).toEqual(['info']);
  });

  it('accepting (not overriding) does not suppress', () => {
    const [card] = issue({ picture: true, workupDue: ['ferritin'] });
    memory.recordFeedback(SERVICE, { card: card.uuid!, outcome: 'accepted', acceptedSuggestions: [], outcomeTimestamp: T0 }, T0);
    expect(issue({ picture: true }, at(1))).toHaveLength(1);
  });

  it('a client timestamp later than receipt cannot stretch the suppression window', () => {
    const [card] = issue({ picture: true });
    memory.recordFeedback(SERVICE, { card: card.uuid!, outcome: 'overridden', outcomeTimestamp: at(1000) }, T0);
    expect(issue({ picture: true }, at(24.1))).toHaveLength(1);
  });
});

describe('accepted suggestions', () => {
  const due = { day: 11, workupDue: ['ferritin', 'fibrinogen', 'triglycerides'] } as EvaluationOptions;
  const loincOf = (card: CdsCard | undefined) => readCardMeta(card!)?.suggestions.filter((s) => !s.panel).flatMap((s) => s.loinc);

  it('are not suggested again while the order is pending; the panel suggestion shrinks', () => {
    const [card] = issue(due);
    const ferritin = card.suggestions![0];
    expect(
      memory.recordFeedback(SERVICE, { card: card.uuid!, outcome: 'accepted', acceptedSuggestions: [{ id: ferritin.uuid! }], outcomeTimestamp: T0 }, T0),
    ).toBe('recorded');
    const [next] = issue(due, at(1));
    expect(loincOf(next)).toEqual(['3255-7', '2571-8']);
    expect(next.suggestions?.map((s) => s.label)).toEqual([
      'Order fibrinogen (LOINC 3255-7)',
      'Order triglycerides (LOINC 2571-8)',
      'Order all 2 labs above',
    ]);
    expect(next.suggestions?.[2].actions).toHaveLength(2);
    // After the pending window the lab is offered again if still due.
    expect(loincOf(issue(due, at(12.1))[0])).toEqual(['2276-4', '3255-7', '2571-8']);
  });

  it('accepting the "order all" suggestion drops the watch card that only existed for them', () => {
    const [card] = issue(due);
    const panel = card.suggestions!.at(-1)!;
    memory.recordFeedback(SERVICE, { card: card.uuid!, outcome: 'accepted', acceptedSuggestions: [{ id: panel.uuid! }], outcomeTimestamp: T0 }, T0);
    expect(issue(due, at(1))).toEqual([]);
  });

  it('an IEC-HS card keeps its content without the pending suggestions', () => {
    const [card] = issue({ picture: true, workupDue: ['ferritin'] });
    memory.recordFeedback(SERVICE, { card: card.uuid!, outcome: 'accepted', acceptedSuggestions: [{ id: card.suggestions![0].uuid! }], outcomeTimestamp: T0 }, T0);
    const [next] = issue({ picture: true, workupDue: ['ferritin'] }, at(1));
    expect(next.indicator).toBe('warning');
    expect(next.suggestions).toBeUndefined();
    expect(next.selectionBehavior).toBeUndefined();
  });
});

describe('feedback recording', () => {
  it('is idempotent per (card, outcome)', () => {
    const [card] = issue({ picture: true });
    const item = { card: card.uuid!, outcome: 'overridden' as const, outcomeTimestamp: T0 };
    expect(memory.recordFeedback(SERVICE, item, T0)).toBe('recorded');
    expect(memory.recordFeedback(SERVICE, item, at(1))).toBe('duplicate');
    expect(memory.recordFeedback(SERVICE, { ...item, outcome: 'accepted', acceptedSuggestions: [] }, at(1))).toBe('recorded');
  });

  it('rejects unknown cards and cards of another service', () => {
    const [card] = issue({ picture: true });
    expect(memory.recordFeedback(SERVICE, { card: 'nope', outcome: 'overridden', outcomeTimestamp: T0 }, T0)).toBe('unknown-card');
    expect(memory.recordFeedback('iec-hs-order-select', { card: card.uuid!, outcome: 'overridden', outcomeTimestamp: T0 }, T0)).toBe('unknown-card');
  });

  it('suppressed cards are not recorded (feedback for them is unknown)', () => {
    const [card] = issue({ picture: true });
    override(card, T0);
    const ev = evaluation({ picture: true });
    const [hidden] = patientViewCards(ev, { serviceId: SERVICE, patientId: PATIENT, now: at(1) });
    expect(memory.filterAndRecord({ serviceId: SERVICE, patientId: PATIENT, now: at(1), cards: [hidden] })).toEqual([]);
    expect(override(hidden, at(2))).toBe('unknown-card');
  });

  it('reports readiness', () => {
    expect(memory.isReady()).toBe(true);
    memory.close();
    expect(memory.isReady()).toBe(false);
  });
});

describe('on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iec-hs-memory-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('survives a restart: suppression and idempotence hold after close and reopen', () => {
    const file = path.join(dir, 'feedback.sqlite');
    const first = createSqliteCardMemory(file, { suppressHours: 24 });
    const [card] = issue({ picture: true }, T0, PATIENT, SERVICE, first);
    expect(override(card, T0, first)).toBe('recorded');
    first.close();

    const second = createSqliteCardMemory(file, { suppressHours: 24 });
    try {
      expect(issue({ picture: true }, at(1), PATIENT, SERVICE, second)).toEqual([]);
      expect(override(card, at(2), second)).toBe('duplicate');
    } finally {
      second.close();
    }
  });

  it('stores the patient only as a keyed hash', () => {
    const file = path.join(dir, 'feedback.sqlite');
    const m = createSqliteCardMemory(file, { suppressHours: 24, hmacKey: 'test-key' });
    const [card] = issue({ picture: true }, T0, PATIENT, SERVICE, m);
    override(card, T0, m);
    m.close();
    const bytes = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1')).join('');
    expect(bytes).toContain(card.uuid!);
    expect(bytes).not.toContain(PATIENT);
  });
});
