// Why: a `paths:` filter on push/pull_request decides which changes rebuild the image. When it
// names only the image folder while the Dockerfile COPYs from elsewhere (`context: .` plus
// `COPY scripts/entrypoint.sh`), a change to those files never triggers the build and the published
// image silently lags the repository (research/anchors-actions-buildx.md, rule T1; GitHub docs,
// "Workflow syntax > on.<push|pull_request>.paths").
import { posix } from 'node:path';
import { buildInputs } from '../../parse/dockerfile.js';
import { findTrigger, type Workflow } from '../../parse/workflow.js';
import { normalize } from '../../repo/families.js';
import type { Repo } from '../../repo/repo.js';
import { contextSourcePath, filesUnder, globMatches, isGlob, relativeToContext } from '../lib/build-context.js';
import { quote } from '../lib/helpers.js';
import { pathFilter } from '../lib/path-filters.js';
import { appendPathsEdit, enabledWorkflowPath } from '../lib/workflow-edits.js';
import { scriptsRun, workflowImageBuilds } from '../../repo/workflow-builds.js';
import { defineRule } from '../rule.js';

/** Events whose `paths` filters decide whether a change runs the workflow. */
const FILTERED_EVENTS = ['push', 'pull_request', 'pull_request_target'];

/** How many uncovered files one input lists before it summarises. */
const MAX_LISTED = 6;

/** One build input: a label for messages and the repository files behind it. */
interface BuildInput {
  label: string;
  files: string[];
}

export const triggerPathsMissBuildInputs = defineRule({
  id: 'workflow/trigger-paths-miss-build-inputs',
  meta: {
    title: 'Workflow path filter misses files the image build reads',
    severity: 'error',
    fixable: 'safe',
    rationale:
      'A path-filtered build workflow only rebuilds the image when a matching file changes. Base-image Dockerfiles routinely COPY entrypoints and install scripts from shared folders and are built with the repository root as context, so a filter that names only the image folder lets changes to those scripts, to the .dockerignore, to scripts the workflow runs or to the workflow itself land without a rebuild: the published CUDA/PyTorch image no longer matches its source, and nobody notices until a container behaves like an old commit.',
    remediation:
      'Add every build input to on.<event>.paths (folder patterns such as "scripts/**" keep the list short), including the workflow file and the scripts it runs; or drop the filter and let a job-level `if:` decide. `baseimg fix` appends the missing patterns to each `paths:` list in the list\'s own style; a wider filter only runs the workflow on more changes, so the fix is safe.',
  },
  hooks: {
    workflow(file, ctx) {
      const workflow = file.model;
      const builds = workflowImageBuilds(workflow, ctx.repo);
      if (builds.length === 0) {
        return;
      }
      // A paused workflow (`ci.yaml.paused`) is judged by the name it runs under once re-enabled,
      // so the filter names that file and the fix stays right after the rename.
      const inputs = collectInputs(workflow, ctx.repo, builds, file.disabled ? enabledWorkflowPath(workflow.path) : workflow.path);
      for (const event of FILTERED_EVENTS) {
        const trigger = findTrigger(workflow, event);
        const filter = trigger ? pathFilter(trigger) : null;
        if (!trigger || !filter) {
          continue;
        }
        const missed: string[] = [];
        const suggestions = new Set<string>();
        for (const input of inputs) {
          const uncovered = input.files.filter((path) => !filter.includes(path));
          if (uncovered.length === 0) {
            continue;
          }
          if (uncovered.length === input.files.length && input.files.length > 1) {
            missed.push(`${input.label} (${input.files.length} files)`);
          } else {
            missed.push(...uncovered.slice(0, MAX_LISTED));
            if (uncovered.length > MAX_LISTED) {
              missed.push(`${uncovered.length - MAX_LISTED} more under ${input.label}`);
            }
          }
          for (const path of uncovered) {
            suggestions.add(suggestPattern(path, file.disabled ? enabledWorkflowPath(workflow.path) : workflow.path));
          }
        }
        if (missed.length === 0) {
          continue;
        }
        const verb = filter.key === 'paths' ? 'does not cover' : 'excludes';
        const add = filter.key === 'paths'
          ? `add ${[...suggestions].map(quote).join(', ')} to on.${event}.paths`
          : `remove the on.${event}.paths-ignore patterns that match them`;
        const edit = filter.key === 'paths' ? appendPathsEdit(workflow.path, workflow.text, event, [...suggestions]) : null;
        ctx.report({
          at: filter.filter.range,
          message: `${event} ${filter.key} filter ${verb} build inputs: ${missed.join(', ')}; ${add}`,
          ...(edit ? { fix: { description: `add ${[...suggestions].map(quote).join(', ')} to on.${event}.paths`, safety: 'safe' as const, edits: [edit] } } : {}),
        });
      }
    },
  },
});

/**
 * The files each build reads, in a stable order: the Dockerfile, each COPY/ADD source and RUN bind
 * mount from the context (expanded to the files present and not excluded by .dockerignore), the
 * .dockerignore, bake files, then the scripts the workflow runs and the workflow file itself.
 */
function collectInputs(workflow: Workflow, repo: Repo, builds: ReturnType<typeof workflowImageBuilds>, workflowPath: string): BuildInput[] {
  const inputs: BuildInput[] = [];
  const seen = new Set<string>();
  const add = (label: string, files: string[]): void => {
    const fresh = [...new Set(files)].filter((path) => !seen.has(path));
    if (fresh.length === 0) {
      return;
    }
    for (const path of fresh) {
      seen.add(path);
    }
    inputs.push({ label, files: fresh });
  };
  for (const build of builds) {
    for (const bakeFile of build.bakeFiles) {
      if (repo.files.has(bakeFile)) {
        add(bakeFile, [bakeFile]);
      }
    }
    // Bake builds name their Dockerfiles inside the bake file; until the bake model lands, the
    // Dockerfiles discovery attributed to a bake file stand in for them.
    const entries = build.dockerfile !== null
      ? repo.dockerfiles.filter((entry) => entry.dockerfile.path === build.dockerfile)
      : repo.dockerfiles.filter((entry) => entry.contextSource === 'bake' && entry.contextEvidence !== null && build.bakeFiles.includes(entry.contextEvidence));
    for (const entry of entries) {
      const dockerfile = entry.dockerfile;
      const context = build.context ?? entry.context;
      add(dockerfile.path, [dockerfile.path]);
      const ignored = (path: string): boolean => {
        if (!entry.dockerignore) {
          return false;
        }
        if (context !== '' && path !== context && !path.startsWith(`${context}/`)) {
          return false;
        }
        return entry.dockerignore.ignores(relativeToContext(context, path));
      };
      for (const input of buildInputs(dockerfile)) {
        const source = contextSourcePath(context, input.path);
        if (source === null) {
          continue;
        }
        const files = (isGlob(source) ? globMatches(repo, source).flatMap((match) => filesUnder(repo, match)) : filesUnder(repo, source))
          .filter((path) => !ignored(path))
          .sort();
        const label = source === '' ? '. (the whole context)' : repo.directories.has(source) ? `${source}/` : source;
        add(label, files);
      }
      if (entry.dockerignore) {
        add(entry.dockerignore.path, [entry.dockerignore.path]);
      }
    }
  }
  for (const run of scriptsRun(workflow, repo)) {
    add(run.path, [run.path]);
  }
  add(workflowPath, [workflowPath]);
  return inputs;
}

/** A pattern that would cover `path`: its folder with `/**`, or the file itself at the root and for workflows. */
function suggestPattern(path: string, workflowPath: string): string {
  const folder = normalize(posix.dirname(path));
  if (path === workflowPath || folder === '' || folder === '.github/workflows') {
    return path;
  }
  return `${folder}/**`;
}
