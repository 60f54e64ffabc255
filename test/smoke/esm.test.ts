import { Client } from 'fhir-kit-client';
import ucum from '@lhncbc/ucum-lhc';
test('esm interop', () => {
  expect(typeof Client).toBe('function');
  expect(ucum).toBeDefined();
});
