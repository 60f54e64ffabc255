/**
 * Admission of large bodies before they are read (src/server/bodyAdmission.ts): at most `slots` at
 * once, the next ones wait in arrival order up to `maxWaiting`, any further one is refused at once;
 * a wait the client gives up leaves no trace and takes no slot.
 */
import { createBodyAdmission, type Release } from '../../src/server/bodyAdmission.js';

const never = (): AbortSignal => new AbortController().signal;
const settled = async <T>(p: Promise<T>): Promise<{ value: T } | 'pending'> => Promise.race([p.then((value) => ({ value })), new Promise<'pending'>((r) => setTimeout(() => r('pending'), 10))]);

test('slots are granted at once, then calls wait in order, then they are refused', async () => {
  const gate = createBodyAdmission({ slots: 2, maxWaiting: 1 });
  const a = await gate.acquire(never());
  const b = await gate.acquire(never());
  expect(a).toBeInstanceOf(Function);
  expect(b).toBeInstanceOf(Function);
  expect(gate.active).toBe(2);
  const c = gate.acquire(never());
  expect(await settled(c)).toBe('pending');
  expect(gate.waiting).toBe(1);
  // The wait is full: refused without waiting.
  expect(await gate.acquire(never())).toBeUndefined();
  (a as Release)();
  (a as Release)(); // a second release frees nothing more
  const granted = await settled(c);
  expect(granted).not.toBe('pending');
  expect(gate.active).toBe(2);
  expect(gate.waiting).toBe(0);
  (b as Release)();
  expect(gate.active).toBe(1);
});

test('a wait cancelled by the client is dropped and takes no slot', async () => {
  const gate = createBodyAdmission({ slots: 1, maxWaiting: 2 });
  const first = await gate.acquire(never());
  const gone = new AbortController();
  const cancelled = gate.acquire(gone.signal);
  const next = gate.acquire(never());
  gone.abort();
  expect(gate.waiting).toBe(1);
  (first as Release)();
  expect(await settled(next)).not.toBe('pending');
  expect(await settled(cancelled)).toBe('pending');
  expect(gate.active).toBe(1);
});
