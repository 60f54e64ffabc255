/** The census hands the SMART app a patient in the launch URL's fragment (src/app/requestedPatient.ts). */
import { rememberRequestedPatient, requestedPatientFromHash, takeRequestedPatient, userLevelScope } from '../../src/app/requestedPatient.js';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

describe('requested patient', () => {
  test.each([
    ['#patient=iechs-classic', 'iechs-classic'],
    ['#patient=a.b-9', 'a.b-9'],
    ['', undefined],
    ['#patient=', undefined],
    ['#patient=has%20space', undefined],
    ['#patient=../Observation', undefined],
    [`#patient=${'x'.repeat(65)}`, undefined],
  ])('fragment %j gives %j', (hash, id) => {
    expect(requestedPatientFromHash(hash)).toBe(id);
  });

  test('patient-level scopes become user-level and launch/patient is dropped', () => {
    expect(userLevelScope('launch/patient openid fhirUser patient/Observation.rs patient/*.read')).toBe('openid fhirUser user/Observation.rs user/*.read');
  });

  test('the launch context wins over the requested patient, which is used once', () => {
    const storage = new MemoryStorage();
    rememberRequestedPatient(storage, 'p1');
    expect(takeRequestedPatient(storage, 'from-ehr')).toBe('from-ehr');
    rememberRequestedPatient(storage, 'p1');
    expect(takeRequestedPatient(storage, undefined)).toBe('p1');
    expect(takeRequestedPatient(storage, undefined)).toBeUndefined();
  });

  test('a launch without a requested patient clears an old one', () => {
    const storage = new MemoryStorage();
    rememberRequestedPatient(storage, 'p1');
    rememberRequestedPatient(storage, undefined);
    expect(storage.items.size).toBe(0);
  });
});
