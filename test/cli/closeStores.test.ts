/**
 * Shutdown order (closeStores in src/cli/runtime.ts): the worker pool closes first, so a call that comes
 * back from a worker while the service stops records its cards in a card memory that is still open; the
 * card memory is closed even when closing the pool fails.
 */
import type { CdsCard } from '../../src/cards/cdsHooks.js';
import { CARD_RULES } from '../../src/cards/cardRules.js';
import { closeStores } from '../../src/cli/runtime.js';
import { createSqliteCardMemory } from '../../src/feedback/sqliteCardMemory.js';

const card: CdsCard = { uuid: 'card-1', summary: 'IEC-HS workup', indicator: 'info', source: { label: 'test' } };
const scope = { issuer: 'https://ehr.example', tenant: 't', patientId: 'p1' };

async function memoryWithErrors(): Promise<{ memory: Awaited<ReturnType<typeof createSqliteCardMemory>>; errors: unknown[] }> {
  const errors: unknown[] = [];
  const memory = await createSqliteCardMemory(':memory:', { cards: CARD_RULES, suppressHours: 24, onError: (e) => errors.push(e) });
  return { memory, errors };
}

test('a call that comes back from the worker while the pool closes records its cards before the card memory closes', async () => {
  const { memory, errors } = await memoryWithErrors();
  let recorded: Promise<CdsCard[]> | undefined;
  // As piscina's close does: it resolves once the running call is back, and that call's handler has gone on to the card memory.
  const closePool = (): Promise<void> =>
    new Promise((resolve) =>
      setTimeout(() => {
        recorded = memory.filterAndRecord({ scope, serviceId: 'iec-hs-surveillance', now: new Date().toISOString(), cards: [card] });
        resolve();
      }, 10),
    );
  await closeStores(memory, closePool);
  expect(await recorded).toEqual([card]);
  expect(errors).toEqual([]);
  expect(memory.isReady()).toBe(false);
});

test('the card memory is closed even when closing the pool fails', async () => {
  const { memory } = await memoryWithErrors();
  await expect(closeStores(memory, () => Promise.reject(new Error('pool would not close')))).rejects.toThrow('pool would not close');
  expect(memory.isReady()).toBe(false);
});
