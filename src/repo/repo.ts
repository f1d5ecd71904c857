/**
 * The Repo model: everything review knows about a repository, built once by `discover()` and read
 * by rules. Nothing here does I/O.
 */
import type { BakeModel } from '../parse/bake.js';
import type { Dockerfile } from '../parse/dockerfile.js';
import type { LineIndex, Range } from '../parse/locations.js';
import type { Requirements } from '../parse/requirements.js';
import type { ShellScript } from '../parse/shell.js';
import type { Workflow } from '../parse/workflow.js';
import type { Config } from './config.schema.js';

/** What a discovered file is. */
export type FileKind = 'dockerfile' | 'dockerignore' | 'script' | 'requirements' | 'workflow' | 'bake' | 'config';

/** A `.dockerignore` file with Docker's matching semantics. */
export interface DockerignoreFile {
  path: string;
  patterns: string[];
  /** True when a context-relative path is excluded from the build context. */
  ignores(path: string): boolean;
}

/** Where a Dockerfile's build context came from. */
export type ContextSource = 'config' | 'workflow' | 'bake' | 'script' | 'inferred';

/** A Dockerfile with the build context it is built from. */
export interface DockerfileEntry {
  dockerfile: Dockerfile;
  /** Context directory relative to the repository root ('' for the root itself). */
  context: string;
  contextSource: ContextSource;
  /** The file that said so (workflow, script), for messages. */
  contextEvidence: string | null;
  /** The `.dockerignore` that applies: `<Dockerfile>.dockerignore` beside it first, else the context's. */
  dockerignore: DockerignoreFile | null;
}

/** A shell script file, parsed. */
export interface ScriptFile {
  path: string;
  text: string;
  lines: LineIndex;
  shell: ShellScript;
  /** The interpreter from the shebang (`bash`, `sh`), or null without one. */
  interpreter: string | null;
}

/** A text file kept for later stages (requirements, workflows, bake files). */
export interface TextFile {
  path: string;
  text: string;
}

/** A workflow file; `disabled` when its name keeps GitHub from running it (`*.yaml.paused`). */
export interface WorkflowFile extends TextFile {
  disabled: boolean;
  /** The workflow, parsed (YAML problems are in `model.problems`). */
  model: Workflow;
}

/** A pip requirements or constraints file, parsed (unreadable lines are in `model.problems`). */
export interface RequirementsFile extends TextFile {
  model: Requirements;
}

/** A bake file (`docker-bake.hcl`, `docker-bake.json`, ...), parsed (problems are in `model.problems`). */
export interface BakeFile extends TextFile {
  model: BakeModel;
}

/** One image family: what builds one image. */
export interface ImageFamily {
  name: string;
  dockerfile: string;
  context: string;
  target: string | null;
  requirements: string[];
  workflows: string[];
  scripts: string[];
  test: string | null;
}

/** A problem met while reading the repository, reported as a finding of an engine rule. */
export interface DiscoveryProblem {
  ruleId: string;
  file: string;
  range: Range;
  message: string;
}

/** The repository under review. */
export interface Repo {
  /** Absolute path of the repository root. */
  root: string;
  config: Config;
  /** The config file that was read, for locating config-level suppressions. */
  configFile: TextFile | null;
  /** Every file found (relative paths, forward slashes), for existence checks. */
  files: ReadonlySet<string>;
  /** Every directory found, '' for the root. */
  directories: ReadonlySet<string>;
  /** Directories not walked (node_modules, .git, vendored trees, ignored paths). */
  skippedDirectories: readonly string[];
  dockerfiles: DockerfileEntry[];
  dockerignores: DockerignoreFile[];
  scripts: ScriptFile[];
  requirements: RequirementsFile[];
  workflows: WorkflowFile[];
  bakeFiles: BakeFile[];
  families: ImageFamily[];
  problems: DiscoveryProblem[];
}

/** True when `path` is, or is below, a directory review did not walk. */
export function isUnderSkipped(repo: Repo, path: string): boolean {
  return repo.skippedDirectories.some((directory) => path === directory || path.startsWith(`${directory}/`));
}
