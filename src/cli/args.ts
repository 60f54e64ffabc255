/**
 * Command-line flags through node:util `parseArgs` (strict: unknown flags and stray words are errors),
 * with its error codes turned into the short messages the commands print above their usage text.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage mistake: the command prints the message and its usage, and exits 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The option name parseArgs quotes first in its message (`'--bundle <value>'` -> `--bundle`). */
function quoted(message: string): string {
  return /'(-{1,2}[^' ]*|[^']*)/.exec(message)?.[1] ?? message;
}

export function parseFlags<T extends Options>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(`unknown argument "${quoted(message)}"`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = quoted(message);
      throw new UsageError(/does not take an argument/.test(message) ? `${flag} takes no value` : `${flag} needs a value`);
    }
    throw new UsageError(message);
  }
}
