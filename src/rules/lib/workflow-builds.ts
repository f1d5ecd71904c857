/**
 * What a workflow builds: image builds declared by docker/build-push-action and docker/bake-action
 * steps or by `docker build` / `docker buildx build` / `docker buildx bake` in `run:` steps, and the
 * scripts the workflow runs. Shared by the workflow rules that care about image builds (trigger
 * paths, workflow_dispatch, Build Cloud readiness).
 */
import { posix } from 'node:path';
import type { Range } from '../../parse/locations.js';
import type { ShellWord } from '../../parse/shell.js';
import { argsWithoutFlags, flagValue, hasFlag, invocations, type Invocation } from '../../parse/shell-query.js';
import type { Workflow, WorkflowJob, WorkflowStep } from '../../parse/workflow.js';
import { normalize } from '../../repo/families.js';
import type { Repo } from '../../repo/repo.js';

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
  range: Range;
}

// docker build / buildx build flags that take a value as the next word (buildx_build.md).
const BUILD_FLAGS_WITH_VALUE = [
  '-f', '--file', '-t', '--tag', '--build-arg', '--target', '--platform', '--cache-from', '--cache-to', '--label',
  '--network', '--secret', '--ssh', '--output', '-o', '--progress', '--builder', '--iidfile', '--metadata-file',
  '--build-context', '--add-host', '--shm-size', '--ulimit', '--attest', '--sbom', '--provenance', '--annotation',
  '--call', '--allow', '--cgroup-parent', '--isolation', '--memory', '--memory-swap', '--cpu-shares', '--cpuset-cpus',
];

// Files `docker buildx bake` reads when no -f is given (buildx_bake.md, "File definition").
const DEFAULT_BAKE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml', 'docker-bake.json', 'docker-bake.hcl', 'docker-bake.override.json', 'docker-bake.override.hcl'];

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
  for (const job of workflow.jobs) {
    for (const step of job.steps) {
      if (usesAction(step, 'docker/build-push-action')) {
        // Without `context`, build-push-action builds the Git context of the commit (the repository
        // root); `file` defaults to `<context>/Dockerfile` (action.yml).
        const contextValue = step.with.get('context')?.value ?? '.';
        const context = repoPath(contextValue, null);
        const fileValue = step.with.get('file')?.value;
        const dockerfile = fileValue !== undefined ? repoPath(fileValue, null) : context === null ? null : normalize(posix.join(context || '.', 'Dockerfile'));
        builds.push({ kind: 'build-push-action', job, step, dockerfile, context, bakeFiles: [], range: step.uses?.range ?? step.range });
        continue;
      }
      if (usesAction(step, 'docker/bake-action')) {
        const files = (step.with.get('files')?.value ?? '').split(/[\n,]/).map((file) => file.trim()).filter((file) => file !== '');
        const source = step.with.get('source')?.value ?? step.with.get('workdir')?.value ?? null;
        const base = source && !/:\/\//.test(source) ? source : null;
        const bakeFiles = files.length > 0
          ? files.map((file) => repoPath(file, base)).filter((file): file is string => file !== null)
          : DEFAULT_BAKE_FILES.map((file) => normalize(posix.join(base ?? '.', file))).filter((file) => repo.files.has(file));
        builds.push({ kind: 'bake-action', job, step, dockerfile: null, context: null, bakeFiles, range: step.uses?.range ?? step.range });
        continue;
      }
      for (const call of invocations(step.run?.shell ?? null)) {
        const build = dockerBuildCall(call, step.workingDirectory?.value ?? null, repo);
        if (build) {
          builds.push({ ...build, job, step, range: call.command.range });
        }
      }
    }
  }
  return builds;
}

/** `docker build`, `docker image build`, `docker buildx build`, `podman build` or `docker buildx bake`. */
function dockerBuildCall(call: Invocation, workingDirectory: string | null, repo: Repo): Omit<WorkflowImageBuild, 'job' | 'step' | 'range'> | null {
  if (call.program !== 'docker' && call.program !== 'podman') {
    return null;
  }
  const words = call.args.map((word) => word.value ?? '');
  const bakeAt = words[0] === 'buildx' && words[1] === 'bake' ? 2 : -1;
  if (bakeAt > 0) {
    const args = call.args.slice(bakeAt);
    const files = valuesOf(args, ['-f', '--file']);
    const bakeFiles = files.length > 0
      ? files.map((file) => repoPath(file, workingDirectory)).filter((file): file is string => file !== null)
      : DEFAULT_BAKE_FILES.map((file) => normalize(posix.join(workingDirectory ?? '.', file))).filter((file) => repo.files.has(file));
    return { kind: 'buildx-bake', dockerfile: null, context: null, bakeFiles };
  }
  const buildAt = words[0] === 'build' ? 1 : (words[0] === 'buildx' || words[0] === 'image') && words[1] === 'build' ? 2 : -1;
  if (buildAt < 0) {
    return null;
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
  return { kind: 'docker-build', dockerfile, context, bakeFiles: [] };
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
        const candidates: string[] = [];
        // The word that names the program (`./x.sh`, or `./x.sh` in `sudo -E ./x.sh`).
        const programWord = call.wrappers.length === 0
          ? call.command.name
          : call.command.args.find((word) => word.value !== null && word.value.includes('/') && posix.basename(word.value) === call.program)?.value ?? null;
        if (programWord && programWord.includes('/')) {
          candidates.push(programWord);
        }
        if (call.program && SHELLS.has(call.program) && !hasFlag(call.args, '-c')) {
          const script = argsWithoutFlags(call.args, ['-o', '-O'])[0]?.value;
          if (script) {
            candidates.push(script);
          }
        }
        for (const candidate of candidates) {
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
