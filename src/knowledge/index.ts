/**
 * Knowledge: facts that age, loaded from the JSON files beside this module and validated once.
 * Rules read them through `ctx.knowledge` and cite `checked` in their messages.
 */
import runtimesJson from './runtimes.json' with { type: 'json' };
import actionsJson from './actions.json' with { type: 'json' };
import compatJson from './compat.json' with { type: 'json' };
import workflowSyntaxJson from './workflow-syntax.json' with { type: 'json' };
import { workflowSyntaxFile, type WorkflowSyntax } from './knowledge.schema.js';
import { actionsFile, compatFile, runtimesFile, type CompatKnowledge, type ActionMajor, type DistroCodename, type NodeRuntime, type RuntimeEol } from './knowledge.schema.js';

/** Everything rules may know about the world, with provenance. */
export interface Knowledge {
  runtimes: RuntimeEol[];
  /** Distribution codenames and the version lines they name (runtimes.json). */
  codenames: DistroCodename[];
  /** Current majors of GitHub Actions (actions.json). */
  actions: ActionMajor[];
  /** Node runtimes GitHub deprecated for JavaScript actions, with their dates (actions.json). */
  nodeRuntimes: NodeRuntime[];
  /** Compatibility facts of the ML stack (compat.json). */
  compat: CompatKnowledge;
  /** Workflow syntax newer than the embedded actionlint (workflow-syntax.json). */
  workflowSyntax: WorkflowSyntax;
  /** The day review treats as today, for EOL comparisons (`YYYY-MM-DD`). */
  today: string;
}

/** Loads and validates the bundled knowledge; `today` defaults to the current UTC date. */
export function loadKnowledge(today: string = new Date().toISOString().slice(0, 10)): Knowledge {
  const { runtimes, codenames } = runtimesFile.parse(runtimesJson);
  const { actions, nodeRuntimes } = actionsFile.parse(actionsJson);
  const compat = compatFile.parse(compatJson);
  const workflowSyntax = workflowSyntaxFile.parse(workflowSyntaxJson);
  return { runtimes, codenames, actions, nodeRuntimes, compat, workflowSyntax, today };
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

/** The deprecation fact for a Node runtime (`node20`), if GitHub deprecated it. */
export function findNodeRuntime(knowledge: Knowledge, runtime: string): NodeRuntime | undefined {
  return knowledge.nodeRuntimes.find((fact) => fact.runtime === runtime);
}
