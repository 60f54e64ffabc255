/** The one Ajv instance of the server: every schema is compiled once, at start-up, from here. */
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext the default import is the module object, whose `default` is the plugin.
const addFormats: FormatsPlugin = (addFormatsModule as unknown as { default: FormatsPlugin }).default ?? addFormatsModule;

export const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv, ['uri', 'date-time']);

/** `/context/patientId: must be string` style lines, for messages and OperationOutcome expressions. */
export function describeErrors(errors: ErrorObject[] | null | undefined): { message: string; paths: string[] } {
  const list = errors ?? [];
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
  return { message: [...new Set(lines)].slice(0, 5).join('; '), paths: [...new Set(paths)].slice(0, 5) };
}
