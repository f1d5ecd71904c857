/**
 * Knowledge: facts that age, loaded from the JSON files beside this module and validated once.
 * Rules read them through `ctx.knowledge` and cite `checked` in their messages.
 */
import runtimesJson from './runtimes.json' with { type: 'json' };
import { runtimesFile, type RuntimeEol } from './knowledge.schema.js';

/** Everything rules may know about the world, with provenance. */
export interface Knowledge {
  runtimes: RuntimeEol[];
  /** The day review treats as today, for EOL comparisons (`YYYY-MM-DD`). */
  today: string;
}

/** Loads and validates the bundled knowledge; `today` defaults to the current UTC date. */
export function loadKnowledge(today: string = new Date().toISOString().slice(0, 10)): Knowledge {
  const runtimes = runtimesFile.parse(runtimesJson).runtimes;
  return { runtimes, today };
}

/** The EOL fact for one runtime line, if known. */
export function findEol(knowledge: Knowledge, runtime: RuntimeEol['runtime'], line: string): RuntimeEol | undefined {
  return knowledge.runtimes.find((fact) => fact.runtime === runtime && fact.line === line);
}
