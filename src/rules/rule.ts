/**
 * The rule API. A rule is `defineRule({ id, meta, hooks })`: meta says everything renderers,
 * SARIF and the docs need without running it; hooks are pure functions of the model that the
 * runner calls while it walks each file once (run.ts).
 */
import type { Knowledge } from '../knowledge/index.js';
import type { Dockerfile, DockerInstruction, RunInstruction, Stage } from '../parse/dockerfile.js';
import type { Range } from '../parse/locations.js';
import type { Invocation } from '../parse/shell-query.js';
import type { DockerfileEntry, ImageFamily, Repo, RequirementsFile, ScriptFile, WorkflowFile } from '../repo/repo.js';
import type { Fix, RelatedLocation, Severity } from './finding.js';

/** What a rule documents about itself. */
export interface RuleMeta {
  /** A short title, sentence case, no final period. */
  title: string;
  severity: Severity;
  /** One paragraph: why this matters for base images. */
  rationale: string;
  /** What to do instead. */
  remediation: string;
  /** Whether findings carry a fix, and how safe it is. */
  fixable?: 'safe' | 'unsafe';
  /** Rules that are policy choices start disabled; config turns them on. */
  enabledByDefault?: boolean;
  /** hadolint codes this rule covers; `# hadolint ignore=DLxxxx` suppresses it. */
  hadolint?: string[];
  /** The BuildKit build check this rule mirrors (`# check=skip=Name` turns it off for that file). */
  buildkitCheck?: string;
  /** External tool the rule needs. */
  needs?: 'shellcheck' | 'actionlint';
  /** True for rules the review engine reports itself (parse errors, suppressions); they have no hooks. */
  engine?: boolean;
}

/** Where a finding points when it is not the current file's `at`. */
export interface ReportInput {
  /** Defaults to the file the hook is visiting. */
  file?: string;
  at: Range;
  message: string;
  code?: string;
  fix?: Fix;
  related?: RelatedLocation[];
  /** Overrides meta.severity for this one finding (e.g. a ShellCheck level). */
  severity?: Severity;
}

/** What every hook receives. */
export interface RuleContext {
  repo: Repo;
  knowledge: Knowledge;
  /** Options from the config's `rules.<id>.options`. */
  options: Readonly<Record<string, unknown>>;
  /** The file being visited, relative to the repository root ('' at repo level). */
  file: string;
  report(input: ReportInput): void;
}

/** Context while visiting one Dockerfile. */
export interface DockerfileContext extends RuleContext {
  dockerfile: Dockerfile;
  entry: DockerfileEntry;
}

/** Context while visiting one stage. */
export interface StageContext extends DockerfileContext {
  stage: Stage;
}

/** Context while visiting one instruction; `stage` is null for ARGs before the first FROM. */
export interface InstructionContext extends DockerfileContext {
  stage: Stage | null;
}

/** Context while visiting one command of a RUN body. */
export interface RunCommandContext extends DockerfileContext {
  stage: Stage;
  run: RunInstruction;
  /** Every call of the RUN body in order (wrappers peeled), for rules that look around. */
  calls: Invocation[];
}

/** Context while visiting one shell script file. */
export interface ScriptContext extends RuleContext {
  script: ScriptFile;
}

/** Context while visiting one workflow file (disabled ones too: `workflow.disabled` says which). */
export interface WorkflowContext extends RuleContext {
  workflow: WorkflowFile;
}

/** Context while visiting one requirements or constraints file. */
export interface RequirementsContext extends RuleContext {
  requirements: RequirementsFile;
}

/** Context while visiting one image family. */
export interface FamilyContext extends RuleContext {
  family: ImageFamily;
}

/** The hooks a rule may declare; the runner calls each at its level. */
export interface RuleHooks {
  repo?(repo: Repo, ctx: RuleContext): void;
  family?(family: ImageFamily, ctx: FamilyContext): void;
  dockerfile?(dockerfile: Dockerfile, ctx: DockerfileContext): void;
  stage?(stage: Stage, ctx: StageContext): void;
  instruction?(instruction: DockerInstruction, ctx: InstructionContext): void;
  runCommand?(call: Invocation, ctx: RunCommandContext): void;
  script?(script: ScriptFile, ctx: ScriptContext): void;
  workflow?(workflow: WorkflowFile, ctx: WorkflowContext): void;
  requirements?(file: RequirementsFile, ctx: RequirementsContext): void;
}

/** A rule. */
export interface Rule {
  id: string;
  meta: RuleMeta;
  hooks: RuleHooks;
}

/** Rule ids are `area/what-it-detects`, kebab-case. */
export const RULE_ID = /^[a-z][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;

/**
 * Declares a rule. `hooks` is checked against `RuleHooks` exactly (`satisfies` in callers is not
 * needed): a misspelt hook name is a compile error.
 */
export function defineRule<const H extends RuleHooks>(rule: { id: string; meta: RuleMeta; hooks: H & Record<Exclude<keyof H, keyof RuleHooks>, never> }): Rule {
  return rule;
}
