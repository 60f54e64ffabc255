/** Tiny `--name value` / `--flag` parser shared by the scripts (node:util parseArgs, strict). */
import { parseArgs } from 'node:util';

export function parseScriptArgs<T extends Record<string, { type: 'string' | 'boolean' }>>(options: T, argv = process.argv.slice(2)) {
  return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
}

/** Prints the message and exits non-zero: the one way scripts fail. */
export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
