/**
 * The card memory as the service route uses it, over HTTP with the real SQLite store: accepted
 * suggestions reach the cards as CardContext.pendingOrders on the next call, and an override answers the
 * overriding user with the override notice while another user still gets the card.
 */
import request from 'supertest';
import { patientViewCards, type CardContext } from '../../src/cards/index.js';
import type { CdsCard } from '../../src/cards/cdsHooks.js';
import { createSqliteCardMemory } from '../../src/feedback/index.js';
import type { CardMemory } from '../../src/feedback/types.js';
import type { Engine } from '../../src/server/engine.js';
import { evaluation } from '../cards/builders.js';
import { buildApp, patientViewRequest } from '../server/helpers/testApp.js';
import { CARD_RULES } from '../../src/cards/cardRules.js';

let memory: CardMemory;
const contexts: CardContext[] = [];
/** Cards from a fixed evaluation (ferritin due; IEC-HS picture), built with the route's CardContext. */
const engine: Engine = (input) => {
  contexts.push(input.ctx);
  return patientViewCards(evaluation({ picture: true, workupDue: ['ferritin'] }), input.ctx);
};

beforeEach(async () => {
  memory = await createSqliteCardMemory(':memory:', { cards: CARD_RULES, suppressHours: 24 });
  contexts.length = 0;
});
afterEach(() => memory.close());

async function call(app: ReturnType<typeof buildApp>, user: string): Promise<CdsCard[]> {
  const res = await request(app).post('/cds-services/iec-hs-surveillance').send(patientViewRequest({ context: { userId: user, patientId: 'p-1' } }));
  expect(res.status).toBe(200);
  return res.body.cards as CdsCard[];
}

test('an accepted suggestion reaches the next call as pendingOrders, and is not suggested again', async () => {
  const app = buildApp({ cardMemory: memory, engine });
  const [card] = await call(app, 'Practitioner/a');
  expect(contexts[0]?.pendingOrders).toBeUndefined();
  const suggestion = card?.suggestions?.[0];
  const fb = await request(app)
    .post('/cds-services/iec-hs-surveillance/feedback')
    .send({ feedback: [{ card: card?.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: suggestion?.uuid }], outcomeTimestamp: new Date().toISOString() }] });
  expect(fb.status).toBe(200);
  const [next] = await call(app, 'Practitioner/b');
  expect(contexts[1]?.pendingOrders).toEqual([{ loinc: '2276-4', orderedAt: expect.any(String) }]);
  expect(next?.suggestions ?? []).not.toContainEqual(expect.objectContaining({ label: suggestion?.label }));
});

test('an override shows the overriding user the notice; another user still gets the card', async () => {
  const app = buildApp({ cardMemory: memory, engine });
  const [card] = await call(app, 'Practitioner/a');
  await request(app)
    .post('/cds-services/iec-hs-surveillance/feedback')
    .send({ feedback: [{ card: card?.uuid, outcome: 'overridden', outcomeTimestamp: new Date().toISOString() }] });
  const mine = await call(app, 'Practitioner/a');
  expect(mine.map((c) => c.indicator)).toEqual(['info']);
  expect(mine[0]?.summary).toMatch(/overrode/i);
  expect((await call(app, 'Practitioner/b')).map((c) => c.indicator)).toEqual([card?.indicator]);
});
