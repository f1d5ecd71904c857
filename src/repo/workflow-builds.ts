/**
 * What a workflow builds: image builds declared by docker/build-push-action and docker/bake-action
 * steps or by `docker build` / `docker buildx build` / `docker buildx bake` in `run:` steps, and the
 * scripts the workflow runs. Shared by the workflow rules that care about image builds (trigger
 * paths, workflow_dispatch, Build Cloud readiness).
 */
import { posix } from 'node:path';
import { bakeBuildPaths, bakeCallArgs, bakeTargetsIn, DEFAULT_BAKE_FILES } from '../parse/bake.js';
import type { Range } from '../parse/locations.js';
import type { ShellWord } from '../parse/shell.js';
import { argsWithoutFlags, flagValue, hasFlag, invocations, type Invocation } from '../parse/shell-query.js';
import type { Workflow, WorkflowJob, WorkflowStep } from '../parse/workflow.js';
import { normalize } from './paths.js';
import type { Repo } from './repo.js';

/** One image build a workflow step runs. */
export interface WorkflowImageBuild {
  kind: 'build-push-action' | 'bake-action' | 'docker-build' | 'buildx-bake';
  job: WorkflowJob;
  step: WorkflowStep;
  /** The Dockerfile, repository-relative; null when an expression or a bake file decides it. */
  dockerfile: string | null;
  /** The build context, repository-relative ('' for the root); null when unknown. */
  context: string | null;
  /** Bake definition files the build reads (bake builds only). */
  bakeFiles: string[];
  /** The bake target this build is (bake builds whose targets resolved through the bake model), else null. */
  bakeTarget: string | null;
  range: Range;
}

// docker build / buildx build flags that take a value as the next word (buildx_build.md).
const BUILD_FLAGS_WITH_VALUE = [
  '-f', '--file', '-t', '--tag', '--build-arg', '--target', '--platform', '--cache-from', '--cache-to', '--label',
  '--network', '--secret', '--ssh', '--output', '-o', '--progress', '--builder', '--iidfile', '--metadata-file',
  '--build-context', '--add-host', '--shm-size', '--ulimit', '--attest', '--sbom', '--provenance', '--annotation',
  '--call', '--allow', '--cgroup-parent', '--isolation', '--memory', '--memory-swap', '--cpu-shares', '--cpuset-cpus',
];


/** True for a `uses:` of `owner/repo` (any ref, any case). */
export function usesAction(step: WorkflowStep, slug: string): boolean {
  return step.uses?.kind === 'action' && step.uses.slug === slug && step.uses.path === null;
}

/** A repository path from a workflow value, resolved against a working directory; null when it holds an expression. */
function repoPath(value: string, workingDirectory: string | null): string | null {
  if (value.includes('${{') || value.includes('$')) {
    return null;
  }
  return normalize(posix.join(workingDirectory ?? '.', value));
}

/** The image builds of a workflow, in step order. */
export function workflowImageBuilds(workflow: Workflow, repo: Repo): WorkflowImageBuild[] {
  const builds: WorkflowImageBuild[] = [];
  const runs = scriptsRun(workflow, repo);
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      if (usesAction(step, 'docker/build-push-action')) {
        // Without `context`, build-push-action builds the Git context of the commit (the repository
        // root); `file` defaults to `<context>/Dockerfile` (action.yml).
        const contextValue = step.with.get('context')?.value ?? '.';
        const context = repoPath(contextValue, null);
        const fileValue = step.with.get('file')?.value;
        const dockerfile = fileValue !== undefined ? repoPath(fileValue, null) : context === null ? null : normalize(posix.join(context || '.', 'Dockerfile'));
        builds.push({ kind: 'build-push-action', job, step, dockerfile, context, bakeFiles: [], bakeTarget: null, range: step.uses?.range ?? step.range });
        continue;
      }
      if (usesAction(step, 'docker/bake-action')) {
        const files = (step.with.get('files')?.value ?? '').split(/[\n,]/).map((file) => file.trim()).filter((file) => file !== '');
        const source = step.with.get('source')?.value ?? step.with.get('workdir')?.value ?? null;
        const base = source && !/:\/\//.test(source) ? source : null;
        const bakeFiles = files.length > 0
          ? files.map((file) => repoPath(file, base)).filter((file): file is string => file !== null)
          : DEFAULT_BAKE_FILES.map((file) => normalize(posix.join(base ?? '.', file))).filter((file) => repo.files.has(file));
        // `targets` defaults to the "default" group or target (bake-action action.yml).
        const targets = listInput(step.with.get('targets')?.value);
        const dynamic = [...files, ...targets].some((value) => value.includes('${{'));
        const range = step.uses?.range ?? step.range;
        for (const build of resolveBake(repo, bakeFiles, dynamic ? null : targets, base)) {
          builds.push({ kind: 'bake-action', job, step, ...build, range });
        }
        continue;
      }
      for (const call of invocations(step.run?.shell ?? null)) {
        for (const build of commandBuilds(call, step.workingDirectory?.value ?? null, repo)) {
          builds.push({ ...build, job, step, range: call.command.range });
        }
      }
      // Bake builds inside the repository scripts this step runs, directly or through wrapper scripts.
      for (const run of runs.filter((entry) => entry.step === step)) {
        for (const build of scriptBakeBuilds(repo, run.path, new Set())) {
          builds.push({ ...build, job, step, range: run.range });
        }
      }
    }
  }
  return builds;
}

type BuildFacts = Omit<WorkflowImageBuild, 'job' | 'step' | 'range' | 'kind'>;

/**
 * The builds of a bake invocation, one per target resolved through the bake model (groups
 * expanded, "default" without names). When the targets are dynamic or none resolves, one build
 * with no Dockerfile stands for it, so callers still see the bake files.
 */
function resolveBake(repo: Repo, bakeFiles: string[], targets: string[] | null, workdir: string | null): BuildFacts[] {
  if (targets !== null) {
    const models = bakeFiles.flatMap((path) => repo.bakeFiles.filter((file) => file.path === path).map((file) => file.model));
    const resolved = models.length > 0 ? bakeTargetsIn(models, targets).targets : [];
    const builds = resolved.map((target): BuildFacts => ({ ...bakeBuildPaths(target, normalize(workdir ?? '.')), bakeFiles, bakeTarget: target.name }));
    if (builds.length > 0) {
      return builds;
    }
  }
  return [{ dockerfile: null, context: null, bakeFiles, bakeTarget: null }];
}

/** A docker/*-action list input: one entry per line or comma. */
function listInput(value: string | undefined): string[] {
  return (value ?? '').split(/[\n,]/).map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/** The builds one command runs: `docker build`, `docker image build`, `docker buildx build`, `podman build` or `docker buildx bake`. */
export function commandBuilds(call: Invocation, workingDirectory: string | null, repo: Repo): Omit<WorkflowImageBuild, 'job' | 'step' | 'range'>[] {
  if (call.program !== 'docker' && call.program !== 'podman') {
    return [];
  }
  const words = call.args.map((word) => word.value ?? '');
  const bakeAt = words[0] === 'buildx' && words[1] === 'bake' ? 2 : -1;
  if (bakeAt > 0) {
    const args = call.args.slice(bakeAt);
    const files = valuesOf(args, ['-f', '--file']);
    const bakeFiles = files.length > 0
      ? files.map((file) => repoPath(file, workingDirectory)).filter((file): file is string => file !== null)
      : DEFAULT_BAKE_FILES.map((file) => normalize(posix.join(workingDirectory ?? '.', file))).filter((file) => repo.files.has(file));
    const named = bakeCallArgs(args);
    const dynamic = named.targets.some((target) => target === null || target.includes('$')) || named.files.some((file) => file === null || file.includes('$'));
    const targets = dynamic ? null : named.targets.filter((target): target is string => target !== null);
    return resolveBake(repo, bakeFiles, targets, workingDirectory).map((build) => ({ kind: 'buildx-bake', ...build }));
  }
  const buildAt = words[0] === 'build' ? 1 : (words[0] === 'buildx' || words[0] === 'image') && words[1] === 'build' ? 2 : -1;
  if (buildAt < 0) {
    return [];
  }
  const args = call.args.slice(buildAt);
  const positional = argsWithoutFlags(args, BUILD_FLAGS_WITH_VALUE);
  const contextWord = positional[positional.length - 1];
  const contextValue = contextWord?.value ?? null;
  const context = contextValue === null || contextValue === '-' || /:\/\//.test(contextValue) ? null : repoPath(contextValue, workingDirectory);
  const file = flagValue(args, '-f', '--file');
  const dockerfile = file !== null
    ? (file === '-' ? null : repoPath(file, workingDirectory))
    : context === null ? null : normalize(posix.join(context || '.', 'Dockerfile'));
  return [{ kind: 'docker-build', dockerfile, context, bakeFiles: [], bakeTarget: null }];
}

/** Every value of a repeatable flag (`-f a -f b`, `--file=c`). */
function valuesOf(args: readonly ShellWord[], flags: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i]?.value ?? '';
    for (const flag of flags) {
      if (value === flag && args[i + 1]?.value) {
        values.push(args[i + 1]?.value ?? '');
      } else if (flag.startsWith('--') && value.startsWith(`${flag}=`)) {
        values.push(value.slice(flag.length + 1));
      }
    }
  }
  return values;
}

/** A repository script a `run:` step executes, with where. */
export interface ScriptRun {
  path: string;
  step: WorkflowStep;
  range: Range;
}

const SHELLS = new Set(['bash', 'sh', 'dash', 'zsh', 'source', '.']);

/**
 * Repository files the workflow's `run:` steps execute: `./retag_and_push.sh`, `scripts/x.sh`,
 * `bash build.sh`, `source env.sh` (resolved against the step's working-directory). Only files
 * that exist in the repository count.
 */
export function scriptsRun(workflow: Workflow, repo: Repo): ScriptRun[] {
  const runs: ScriptRun[] = [];
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      const workingDirectory = step.workingDirectory?.value ?? null;
      for (const call of invocations(step.run?.shell ?? null)) {
        for (const candidate of scriptWords(call)) {
          const path = repoPath(candidate, workingDirectory);
          if (path !== null && repo.files.has(path) && !runs.some((run) => run.path === path)) {
            runs.push({ path, step, range: call.command.range });
          }
        }
      }
    }
  }
  return runs;
}

/** How deep scripts that run scripts are followed for bake builds. */
const MAX_SCRIPT_DEPTH = 3;

/**
 * `docker buildx bake` calls in a repository script and in the scripts it runs (up to
 * MAX_SCRIPT_DEPTH). Paths in a script resolve from the repository root, where build scripts
 * usually `cd` first.
 */
function scriptBakeBuilds(repo: Repo, path: string, visited: Set<string>): Omit<WorkflowImageBuild, 'job' | 'step' | 'range'>[] {
  const script = repo.scripts.find((entry) => entry.path === path);
  if (!script || visited.has(path) || visited.size >= MAX_SCRIPT_DEPTH) {
    return [];
  }
  visited.add(path);
  const builds: Omit<WorkflowImageBuild, 'job' | 'step' | 'range'>[] = [];
  for (const call of invocations(script.shell)) {
    const words = call.args.map((word) => word.value ?? '');
    if (call.program === 'docker' && words[0] === 'buildx' && words[1] === 'bake') {
      builds.push(...commandBuilds(call, null, repo));
      continue;
    }
    for (const next of scriptsCalled(call, script.path, repo)) {
      builds.push(...scriptBakeBuilds(repo, next, visited));
    }
  }
  return builds;
}

/** The words of a command that name a script it runs: `./x.sh` (also under `sudo -E`), `bash x.sh`, `. x.sh`. */
function scriptWords(call: Invocation): string[] {
  const words: string[] = [];
  const programWord = call.wrappers.length === 0
    ? call.command.name
    : call.command.args.find((word) => word.value !== null && word.value.includes('/') && posix.basename(word.value) === call.program)?.value ?? null;
  if (programWord && programWord.includes('/')) {
    words.push(programWord);
  }
  if (call.program && SHELLS.has(call.program) && !hasFlag(call.args, '-c')) {
    const script = argsWithoutFlags(call.args, ['-o', '-O'])[0]?.value;
    if (script) {
      words.push(script);
    }
  }
  return words;
}

/** Repository scripts one command of a script runs (`./x.sh`, `bash x.sh`, `exec "$(dirname "$0")/x.sh"`). */
function scriptsCalled(call: Invocation, scriptPath: string, repo: Repo): string[] {
  const words = scriptWords(call);
  // `"$(dirname "$0")/build.sh"` has no static value; its text names a path beside the script.
  // Text fallback: the parsed word only says it is dynamic.
  const texts = [...(call.command.name === null ? [call.command.text] : []), ...call.command.args.map((word) => word.text)];
  for (const text of texts) {
    const match = /^"?\$\(dirname "?\$(?:0|\{BASH_SOURCE(?:\[0\])?\}|BASH_SOURCE)"?\)"?\/([^"$\s]+)/.exec(text);
    if (match?.[1]) {
      words.push(posix.join(posix.dirname(scriptPath), match[1]));
    }
  }
  const found: string[] = [];
  for (const word of words) {
    for (const candidate of [normalize(word), normalize(posix.join(posix.dirname(scriptPath), word))]) {
      if (repo.files.has(candidate) && !found.includes(candidate)) {
        found.push(candidate);
        break;
      }
    }
  }
  return found;
}
