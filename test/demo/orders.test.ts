/** public/js/orders.js: the pure part of the demo page. (The timeline charts are the SMART app's, src/app.) */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// The browser module is untyped JavaScript, hence `any` here.
let orders: any;
beforeAll(async () => {
  orders = await import(pathToFileURL(path.resolve('public/js/orders.js')).href);
});

describe('order-select context from the order panel', () => {
  const catalog = [
    { key: 'ferritin', kind: 'lab', label: 'Ferritin', resource: { resourceType: 'ServiceRequest', id: 'draft-ferritin', status: 'draft', intent: 'order', subject: { reference: 'Patient/unset' } } },
    { key: 'tocilizumab', kind: 'medication', label: 'Tocilizumab', resource: { resourceType: 'MedicationRequest', id: 'draft-tocilizumab', status: 'draft', intent: 'order', subject: { reference: 'Patient/unset' } } },
  ];

  it('draftOrders holds every draft for this patient, selections only the newly chosen, no Bundle.type', () => {
    const now = new Date('2025-01-11T12:00:00Z');
    const ctx = orders.orderSelectContext(catalog, ['ferritin', 'tocilizumab'], ['tocilizumab'], 'p1', now);
    expect(ctx.selections).toEqual(['MedicationRequest/draft-tocilizumab']);
    expect(ctx.draftOrders.type).toBeUndefined();
    expect(ctx.draftOrders.entry.map((e: any) => [e.resource.id, e.resource.subject.reference, e.resource.authoredOn])).toEqual([
      ['draft-ferritin', 'Patient/p1', '2025-01-11T12:00:00.000Z'],
      ['draft-tocilizumab', 'Patient/p1', '2025-01-11T12:00:00.000Z'],
    ]);
    expect(catalog[0]!.resource.subject.reference).toBe('Patient/unset'); // the catalog is not mutated
  });
});
