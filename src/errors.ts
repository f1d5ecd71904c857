/**
 * Typed errors. They are turned into exit codes and one-line reasons in exactly one place,
 * `src/cli/main.ts`; library code throws them and never calls `process.exit`.
 */

/** The user asked for something that cannot be done as asked (bad flag, missing path). Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Input the tool cannot read or make sense of, pinned to a file and (when known) a line. Exit 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** The Docker engine or a builder failed or is missing. Exit 2. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
}

/** A bug in baseimg itself (a rule reporting without a location, an impossible state). Exit 2. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}
