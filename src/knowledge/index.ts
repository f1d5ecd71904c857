/**
 * Knowledge: facts that age, loaded from the JSON files beside this module and validated once.
 * Rules read them through `ctx.knowledge` and cite `checked` in their messages.
 */
import runtimesJson from './runtimes.json' with { type: 'json' };
import actionsJson from './actions.json' with { type: 'json' };
import { actionsFile, runtimesFile, type ActionMajor, type DistroCodename, type RuntimeEol } from './knowledge.schema.js';

/** Everything rules may know about the world, with provenance. */
export interface Knowledge {
  runtimes: RuntimeEol[];
  /** Distribution codenames and the version lines they name (runtimes.json). */
  codenames: DistroCodename[];
  /** Current majors of GitHub Actions (actions.json). */
  actions: ActionMajor[];
  /** The day review treats as today, for EOL comparisons (`YYYY-MM-DD`). */
  today: string;
}

/** Loads and validates the bundled knowledge; `today` defaults to the current UTC date. */
export function loadKnowledge(today: string = new Date().toISOString().slice(0, 10)): Knowledge {
  const { runtimes, codenames } = runtimesFile.parse(runtimesJson);
  const actions = actionsFile.parse(actionsJson).actions;
  return { runtimes, codenames, actions, today };
}

/** The version line a distribution codename names (`bullseye` → Debian `11`), if known. */
export function findCodename(knowledge: Knowledge, runtime: DistroCodename['runtime'], codename: string): DistroCodename | undefined {
  const wanted = codename.toLowerCase();
  return knowledge.codenames.find((fact) => fact.runtime === runtime && fact.codename === wanted);
}

/** The EOL fact for one runtime line, if known. */
export function findEol(knowledge: Knowledge, runtime: RuntimeEol['runtime'], line: string): RuntimeEol | undefined {
  return knowledge.runtimes.find((fact) => fact.runtime === runtime && fact.line === line);
}

/** The current-major fact for one action (`owner/repo`, any case), if known. */
export function findAction(knowledge: Knowledge, slug: string): ActionMajor | undefined {
  const wanted = slug.toLowerCase();
  return knowledge.actions.find((fact) => fact.action === wanted);
}
