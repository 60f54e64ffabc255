/**
 * The card-memory contract, run against every backend (SQLite file and a throwaway PostgreSQL): override
 * suppression per scope with the notice for the overriding user, tenant isolation, pending orders,
 * idempotent feedback, restart survival, hashed identifiers, and the JWT replay cache in the same
 * database. Each backend file calls describeCardMemoryContract once.
 */
import { patientViewCards, readCardMeta } from '../../src/cards/index.js';
import type { CdsCard } from '../../src/cards/cdsHooks.js';
import type { CardMemoryOptions } from '../../src/feedback/cardMemory.js';
import type { Store } from '../../src/feedback/store.js';
import type { CallerScope, CardMemory, HookScope } from '../../src/feedback/types.js';
import { evaluation, isoAt, type EvaluationOptions } from '../cards/builders.js';
import { CARD_RULES } from '../../src/cards/cardRules.js';

export interface BackendDatabase {
  /** Opens a store on this database (several may be open at once, like several instances). */
  open(options: CardMemoryOptions): Promise<Store>;
  /** Raw text of everything stored, to check what never appears in it. */
  dump(): Promise<string>;
  dispose(): Promise<void>;
}

export interface Backend {
  name: string;
  /** A fresh, empty database. */
  fresh(): Promise<BackendDatabase>;
}

const SERVICE = 'iec-hs-surveillance';
const PATIENT = 'patient-raw-id-7f3a';
const T0 = isoAt(11, 2);
const at = (hours: number): string => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();
const ISS_A = 'https://ehr-a.example.org';
const ISS_B = 'https://ehr-b.example.org';
const U1 = 'Practitioner/u1';
const U2 = 'Practitioner/u2';
const base: HookScope = { issuer: ISS_A, tenant: 'site-1', patientId: PATIENT, userId: U1, encounterId: 'enc-1' };
const caller = (s: HookScope): CallerScope => ({ issuer: s.issuer, tenant: s.tenant });

export function describeCardMemoryContract(backend: Backend): void {
  describe(`card memory contract on ${backend.name}`, () => {
    let db: BackendDatabase;
    let store: Store;
    let memory: CardMemory;
    const opened: Store[] = [];
    const open = async (options: Partial<CardMemoryOptions> = {}): Promise<Store> => {
      const s = await db.open({ suppressHours: 24, pendingHours: 12, hmacKey: 'contract-test-hmac-key-0123456789abcdef', ...options, cards: options?.cards ?? CARD_RULES });
      opened.push(s);
      return s;
    };
    beforeEach(async () => {
      db = await backend.fresh();
      store = await open();
      memory = store.cardMemory;
    });
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await db.dispose();
    });

    async function issue(o: EvaluationOptions, now = T0, scope: Partial<HookScope> = {}, serviceId = SERVICE, m = memory): Promise<CdsCard[]> {
      const s = { ...base, ...scope };
      const cards = patientViewCards(evaluation(o), { serviceId, patientId: s.patientId, now });
      return m.filterAndRecord({ scope: s, serviceId, now, cards, timeZone: 'America/New_York' });
    }
    const override = (card: CdsCard, when: string, scope: Partial<HookScope> = {}, m = memory) =>
      m.recordFeedback(caller({ ...base, ...scope }), SERVICE, { card: card.uuid ?? '', outcome: 'overridden', overrideReason: { reason: { code: 'x', system: 'urn:test', display: 'managed by the team' } }, outcomeTimestamp: when }, when);
    const alerts = (cards: CdsCard[]) => cards.filter((c) => c.indicator !== 'info').map((c) => c.indicator);

    describe('suppression after an override (default scope: the overriding user)', () => {
      it('hides the card from the overriding user for suppressHours and shows that user the override notice instead', async () => {
        const [card] = await issue({ picture: true });
        expect(await override(card as CdsCard, T0)).toBe('recorded');
        for (const when of [at(1), at(23.9)]) {
          const cards = await issue({ picture: true }, when);
          expect(alerts(cards)).toEqual([]);
          expect(cards).toHaveLength(1);
          expect(cards[0]?.indicator).toBe('info');
          expect(cards[0]?.summary).toMatch(/overrode/i);
          expect(cards[0]?.summary).toContain('managed by the team');
          expect(cards[0]?.uuid).not.toBe(card?.uuid);
        }
        expect(alerts(await issue({ picture: true }, at(24.1)))).toEqual(['warning']);
      });

      it('everyone else still sees the card', async () => {
        const [card] = await issue({ picture: true });
        await override(card as CdsCard, T0);
        expect(alerts(await issue({ picture: true }, at(1), { userId: U2 }))).toEqual(['warning']);
      });

      it('re-shows at once when the tier rises or a new criterion is met; an improving picture stays hidden', async () => {
        const [card] = await issue({ picture: true });
        await override(card as CdsCard, T0);
        expect(alerts(await issue({ picture: true, severe: true }, at(1)))).toEqual(['critical']);
        expect(alerts(await issue({ picture: true, extraMet: ['fibrinogen-low'] }, at(1)))).toEqual(['warning']);
        const [critical] = await issue({ picture: true, severe: true }, T0, { patientId: 'p2' });
        await override(critical as CdsCard, T0, { patientId: 'p2' });
        expect(alerts(await issue({ picture: true }, at(1), { patientId: 'p2' }))).toEqual([]);
      });

      it('is scoped to the patient, the service and the card type', async () => {
        const [card] = await issue({ picture: true });
        await override(card as CdsCard, T0);
        expect(alerts(await issue({ picture: true }, at(1), { patientId: 'another-patient' }))).toEqual(['warning']);
        expect(alerts(await issue({ picture: true }, at(1), {}, 'other-service'))).toEqual(['warning']);
        expect((await issue({ day: 11, workupDue: ['ferritin'] }, at(1))).map((c) => c.indicator)).toEqual(['info']);
      });

      it('accepting does not suppress; a client timestamp later than receipt cannot stretch the window', async () => {
        const [card] = await issue({ picture: true, workupDue: ['ferritin'] });
        await memory.recordFeedback(caller(base), SERVICE, { card: card?.uuid ?? '', outcome: 'accepted', acceptedSuggestions: [], outcomeTimestamp: T0 }, T0);
        expect(alerts(await issue({ picture: true }, at(1)))).toEqual(['warning']);
        const [other] = await issue({ picture: true }, T0, { patientId: 'p3' });
        await memory.recordFeedback(caller(base), SERVICE, { card: other?.uuid ?? '', outcome: 'overridden', outcomeTimestamp: at(1000) }, T0);
        expect(alerts(await issue({ picture: true }, at(24.1), { patientId: 'p3' }))).toEqual(['warning']);
      });
    });

    describe('suppression scope', () => {
      it('encounter: hidden for every user in the same encounter (notice only for the one who overrode), shown in another encounter', async () => {
        const s = await open({ suppressScope: 'encounter' });
        const [card] = await issue({ picture: true }, T0, {}, SERVICE, s.cardMemory);
        await override(card as CdsCard, T0, {}, s.cardMemory);
        expect((await issue({ picture: true }, at(1), { userId: U2 }, SERVICE, s.cardMemory)).map((c) => c.indicator)).toEqual([]);
        expect((await issue({ picture: true }, at(1), {}, SERVICE, s.cardMemory)).map((c) => c.indicator)).toEqual(['info']);
        expect(alerts(await issue({ picture: true }, at(1), { userId: U2, encounterId: 'enc-2' }, SERVICE, s.cardMemory))).toEqual(['warning']);
      });

      it('patient: hidden for every user and encounter of the patient', async () => {
        const s = await open({ suppressScope: 'patient' });
        const [card] = await issue({ picture: true }, T0, {}, SERVICE, s.cardMemory);
        await override(card as CdsCard, T0, {}, s.cardMemory);
        expect(await issue({ picture: true }, at(1), { userId: U2, encounterId: 'enc-9' }, SERVICE, s.cardMemory)).toEqual([]);
      });
    });

    describe('tenant isolation', () => {
      it("one tenant's override never hides another tenant's card for the same patient id and user", async () => {
        const [card] = await issue({ picture: true, severe: true });
        await override(card as CdsCard, T0);
        expect(alerts(await issue({ picture: true, severe: true }, at(1), { tenant: 'site-2' }))).toEqual(['critical']);
        expect(alerts(await issue({ picture: true, severe: true }, at(1), { issuer: ISS_B }))).toEqual(['critical']);
        expect(alerts(await issue({ picture: true, severe: true }, at(1)))).toEqual([]);
      });

      it('feedback on a card issued to another issuer or tenant is an unknown card and changes nothing', async () => {
        const [card] = await issue({ picture: true });
        expect(await override(card as CdsCard, T0, { issuer: ISS_B })).toBe('unknown-card');
        expect(await override(card as CdsCard, T0, { tenant: 'site-2' })).toBe('unknown-card');
        expect(alerts(await issue({ picture: true }, at(1)))).toEqual(['warning']);
      });

      it('pending orders are per issuer and tenant', async () => {
        const [card] = await issue({ day: 11, workupDue: ['ferritin'] });
        const ferritin = card?.suggestions?.[0];
        await memory.recordFeedback(caller(base), SERVICE, { card: card?.uuid ?? '', outcome: 'accepted', acceptedSuggestions: [{ id: ferritin?.uuid ?? '' }], outcomeTimestamp: T0 }, T0);
        expect(await memory.pendingOrders({ scope: base, now: at(1) })).toEqual([{ loinc: '2276-4', orderedAt: T0 }]);
        expect(await memory.pendingOrders({ scope: { ...base, userId: U2 }, now: at(1) })).toEqual([{ loinc: '2276-4', orderedAt: T0 }]);
        expect(await memory.pendingOrders({ scope: { ...base, tenant: 'site-2' }, now: at(1) })).toEqual([]);
        expect(await memory.pendingOrders({ scope: base, now: at(12.1) })).toEqual([]);
      });
    });

    describe('accepted suggestions', () => {
      const due = { day: 11, workupDue: ['ferritin', 'fibrinogen', 'triglycerides'] } as EvaluationOptions;
      const loincOf = (card: CdsCard | undefined) => (card ? readCardMeta(card)?.suggestions.filter((s) => !s.panel).flatMap((s) => s.loinc) : undefined);

      it('are not suggested again while the order is pending; the panel suggestion shrinks', async () => {
        const [card] = await issue(due);
        const ferritin = card?.suggestions?.[0];
        expect(await memory.recordFeedback(caller(base), SERVICE, { card: card?.uuid ?? '', outcome: 'accepted', acceptedSuggestions: [{ id: ferritin?.uuid ?? '' }], outcomeTimestamp: T0 }, T0)).toBe('recorded');
        const [next] = await issue(due, at(1));
        expect(loincOf(next)).toEqual(['3255-7', '2571-8']);
        expect(loincOf((await issue(due, at(12.1)))[0])).toEqual(['2276-4', '3255-7', '2571-8']);
      });

      it('accepting the "order all" suggestion drops the watch card that only existed for them', async () => {
        const [card] = await issue(due);
        const panel = card?.suggestions?.at(-1);
        await memory.recordFeedback(caller(base), SERVICE, { card: card?.uuid ?? '', outcome: 'accepted', acceptedSuggestions: [{ id: panel?.uuid ?? '' }], outcomeTimestamp: T0 }, T0);
        expect(await issue(due, at(1))).toEqual([]);
      });
    });

    describe('feedback recording', () => {
      it('is idempotent per (card, outcome); unknown cards and other services are unknown', async () => {
        const [card] = await issue({ picture: true });
        const item = { card: card?.uuid ?? '', outcome: 'overridden' as const, outcomeTimestamp: T0 };
        expect(await memory.recordFeedback(caller(base), SERVICE, item, T0)).toBe('recorded');
        expect(await memory.recordFeedback(caller(base), SERVICE, item, at(1))).toBe('duplicate');
        expect(await memory.recordFeedback(caller(base), SERVICE, { ...item, outcome: 'accepted', acceptedSuggestions: [] }, at(1))).toBe('recorded');
        expect(await memory.recordFeedback(caller(base), SERVICE, { ...item, card: 'nope' }, T0)).toBe('unknown-card');
        expect(await memory.recordFeedback(caller(base), 'iec-hs-order-select', item, T0)).toBe('unknown-card');
      });

      it('a second instance on the same database sees the override at once, and it survives close and reopen', async () => {
        const other = await open();
        const [card] = await issue({ picture: true });
        expect(await override(card as CdsCard, T0, {}, other.cardMemory)).toBe('recorded');
        expect(alerts(await issue({ picture: true }, at(1), {}, SERVICE, other.cardMemory))).toEqual([]);
        await store.close();
        const reopened = await open();
        expect(alerts(await issue({ picture: true }, at(1), {}, SERVICE, reopened.cardMemory))).toEqual([]);
        expect(await override(card as CdsCard, at(2), {}, reopened.cardMemory)).toBe('duplicate');
      });

      it('reports readiness, and not after close', async () => {
        expect(memory.isReady()).toBe(true);
        await memory.close();
        expect(memory.isReady()).toBe(false);
      });

      it('stores patients, users and encounters only as keyed hashes', async () => {
        const [card] = await issue({ picture: true });
        await override(card as CdsCard, T0);
        const text = await db.dump();
        expect(text).toContain(card?.uuid);
        for (const raw of [PATIENT, U1, 'enc-1']) expect(text).not.toContain(raw);
      });
    });

    describe('JWT replay cache in the same database', () => {
      it('refuses a seen id until it expires, across instances and after a restart', async () => {
        const now = Date.parse(T0);
        expect(await store.replayStore.remember('iss\u0000jti-1', now + 60_000, now)).toBe(true);
        expect(await store.replayStore.remember('iss\u0000jti-1', now + 60_000, now + 1)).toBe(false);
        const other = await open();
        expect(await other.replayStore.remember('iss\u0000jti-1', now + 60_000, now + 2)).toBe(false);
        expect(await other.replayStore.remember('other-iss\u0000jti-1', now + 60_000, now + 2)).toBe(true);
        await store.close();
        const restarted = await open();
        expect(await restarted.replayStore.remember('iss\u0000jti-1', now + 60_000, now + 3)).toBe(false);
        // After expiry the id may be used again (the token itself can no longer pass the exp check).
        expect(await restarted.replayStore.remember('iss\u0000jti-1', now + 120_000, now + 60_001)).toBe(true);
      });

      it('fails closed when the database is gone', async () => {
        await store.close();
        expect(await store.replayStore.remember('iss\u0000jti-2', Date.now() + 60_000, Date.now())).toBe(false);
      });
    });
  });
}
