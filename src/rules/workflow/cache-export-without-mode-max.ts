// Why: BuildKit's default cache export mode `min` stores only the layers of the final image. In a
// multi-stage Dockerfile the builder stages (compilers, CPython or FFmpeg builds, wheel builds) are
// then never cached and rerun on every build although `cache-to` is set; `mode=max` exports every
// stage (docs.docker.com/build/cache/backends/#cache-mode; research/anchors-actions-buildx.md
// rule B2). Inline caches only support `min`, so they are left alone.
import type { Stage } from '../../parse/dockerfile.js';
import type { Repo } from '../../repo/repo.js';
import { workflowImageBuilds, type WorkflowImageBuild } from '../../repo/workflow-builds.js';
import type { Fix } from '../finding.js';
import { bakeTargetOf, buildCache } from '../lib/build-cache.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const cacheExportWithoutModeMax = defineRule({
  id: 'workflow/cache-export-without-mode-max',
  meta: {
    title: 'Cache export without mode=max for a multi-stage Dockerfile',
    severity: 'warning',
    rationale:
      'The default cache export mode (`min`) keeps only the layers of the final image. For a multi-stage base image the builder stages, where compilers run and Python or FFmpeg get built, are not in the exported cache, so every CI run rebuilds them even though `cache-to` is configured.',
    remediation:
      'Append `mode=max` to the `cache-to` spec (`type=gha,scope=gpu,mode=max`; `type=registry,ref=...,mode=max`). Inline caches cannot hold intermediate stages; switch them to a registry or gha cache. `baseimg fix` appends `,mode=max`.',
    fixable: 'safe',
  },
  hooks: {
    workflow(file, ctx) {
      const workflow = file.model;
      for (const build of workflowImageBuilds(workflow, ctx.repo)) {
        const { stages, target } = builtStages(ctx.repo, build);
        if (stages.length < 2) {
          continue;
        }
        for (const entry of buildCache(ctx.repo, workflow, build).to) {
          if (entry.origin === 'bake-file' || entry.spec.type === 'inline' || entry.spec.raw.includes('${{')) {
            continue;
          }
          const mode = entry.spec.attributes.get('mode');
          if (mode === 'max') {
            continue;
          }
          let fix: Fix | undefined;
          if (entry.offsets) {
            const text = workflow.text.slice(entry.offsets.start, entry.offsets.end);
            const modeAt = text.search(/(^|,)mode=min\b/);
            fix = modeAt >= 0
              ? { description: 'export the cache with mode=max', safety: 'safe', edits: [{ file: workflow.path, start: entry.offsets.start + text.indexOf('mode=min', modeAt), end: entry.offsets.start + text.indexOf('mode=min', modeAt) + 'mode=min'.length, newText: 'mode=max' }] }
              : { description: 'export the cache with mode=max', safety: 'safe', edits: [{ file: workflow.path, start: entry.offsets.end, end: entry.offsets.end, newText: ',mode=max' }] };
          }
          const names = stages.filter((stage) => stage !== target).map((stage) => stage.name ?? `${stage.index}`);
          ctx.report({
            at: entry.range,
            message: `cache export ${quote(entry.spec.raw)} uses ${mode ? `mode=${mode}` : 'the default mode=min'}, which skips the builder stage${names.length > 1 ? 's' : ''} ${names.map(quote).join(', ')} of multi-stage "${build.dockerfile ?? ''}"; add mode=max`,
            ...(fix ? { fix } : {}),
          });
        }
      }
    },
  },
});

/** The stages the build produces: the target stage (or the final one) and every stage it reads from. */
function builtStages(repo: Repo, build: WorkflowImageBuild): { stages: Stage[]; target: Stage | null } {
  const entry = repo.dockerfiles.find((candidate) => candidate.dockerfile.path === build.dockerfile);
  if (!entry) {
    return { stages: [], target: null };
  }
  const stages = entry.dockerfile.stages;
  const targetName = build.kind === 'build-push-action' ? build.step.with.get('target')?.value : bakeTargetOf(repo, build)?.target ?? undefined;
  const target = targetName ? stages.find((stage) => stage.name?.toLowerCase() === targetName.toLowerCase()) : stages.find((stage) => stage.isFinal);
  if (!target) {
    return { stages: [], target: null };
  }
  const seen = new Set<Stage>();
  const visit = (stage: Stage): void => {
    if (seen.has(stage)) {
      return;
    }
    seen.add(stage);
    for (const dependency of stage.dependsOn) {
      visit(dependency);
    }
  };
  visit(target);
  return { stages: stages.filter((stage) => seen.has(stage)), target };
}
