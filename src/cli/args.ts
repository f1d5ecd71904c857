/** Flag parsing shared by the commands: node's parseArgs, with its errors as usage errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed flag values for a given options table. */
export type FlagValues<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O }>>['values'];

/** Parses `argv` for `command`, which takes at most one path (default `.`). */
export function parseCommand<const O extends Options>(command: string, argv: readonly string[], options: O): { values: FlagValues<O>; path: string } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length > 1) {
    throw new UsageError(`${command} takes one path, got ${parsed.positionals.length}`);
  }
  return { values: parsed.values, path: parsed.positionals[0] ?? '.' };
}
