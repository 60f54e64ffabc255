/**
 * The one Ajv instance of the server: every schema is compiled once, at start-up, from here.
 * `allErrors` is off: validation stops at the first problem, so a body with millions of bad items costs
 * one error, not millions (with allErrors a 6 MB body took 22 s and 1.9 GB). Clients get the first
 * problem, which is what they need to fix.
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext the default import is the module object, whose `default` is the plugin.
const addFormats: FormatsPlugin = addFormatsModule.default ?? addFormatsModule;

export const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
addFormats(ajv, ['uri', 'date-time']);

/** Most problems named in one answer. */
export const MAX_REPORTED_ERRORS = 5;

/** `/context/patientId: must be string` style lines, for messages and OperationOutcome expressions. */
export function describeErrors(errors: ErrorObject[] | null | undefined): { message: string; paths: string[] } {
  // Truncated before any work: the list is never walked in full, whatever produced it.
  const list = (errors ?? []).slice(0, MAX_REPORTED_ERRORS);
  const lines = list.map((e) => {
    const where = e.instancePath || '(root)';
    const missing = e.keyword === 'required' ? ` ${String((e.params as { missingProperty?: string }).missingProperty)}` : '';
    return `${where}: ${e.message ?? 'is invalid'}${missing}`;
  });
  const paths = list.map((e) => {
    const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const missing = e.keyword === 'required' ? (e.params as { missingProperty?: string }).missingProperty : undefined;
    return [base, missing].filter(Boolean).join('.') || '(root)';
  });
  return { message: [...new Set(lines)].join('; '), paths: [...new Set(paths)] };
}
