// Why: a hosted runner starts with an empty BuildKit cache, so an image workflow without
// `cache-from`/`cache-to` rebuilds every layer on every run: apt layers, CPython and FFmpeg builds,
// multi-gigabyte CUDA wheels. docker/build-push-action and bake read and write the GitHub Actions
// cache (`type=gha`) with one line each (docs.docker.com/build/ci/github-actions/cache/;
// research/anchors-actions-buildx.md section c). The fix scopes the cache per image, since the
// default scope `buildkit` is shared by every build of the repository.
import { usesAction, workflowImageBuilds } from '../../repo/workflow-builds.js';
import type { Fix } from '../finding.js';
import { buildCache, buildCall, imageName } from '../lib/build-cache.js';
import { appendWithEntries } from '../lib/workflow-steps.js';
import { defineRule } from '../rule.js';

export const buildWithoutCache = defineRule({
  id: 'workflow/build-without-cache',
  meta: {
    title: 'Image build in a workflow without a build cache',
    severity: 'warning',
    rationale:
      'GitHub-hosted runners start every job with an empty BuildKit cache. Without `cache-from`/`cache-to` an image workflow rebuilds every layer on every run, including compiled toolchains and large CUDA/PyTorch layers, which costs tens of minutes per base-image build and makes a one-line change as slow as a full rebuild.',
    remediation:
      'Add `cache-from: type=gha,scope=<image>` and `cache-to: type=gha,mode=max,scope=<image>` to docker/build-push-action (one scope per image), `--cache-from`/`--cache-to` to `docker buildx build`, or `cache-from`/`cache-to` in each bake target (or `set: <target>.cache-to=...` on docker/bake-action). `baseimg fix` adds the gha lines to build-push-action steps.',
    fixable: 'safe',
  },
  hooks: {
    workflow(file, ctx) {
      for (const build of workflowImageBuilds(file.model, ctx.repo)) {
        // Builds in scripts the step runs are reviewed in the script; here only the step's own build counts.
        if ((build.kind === 'docker-build' || build.kind === 'buildx-bake') && buildCall(build) === null) {
          continue;
        }
        if (build.kind === 'docker-build' && !isBuildx(build)) {
          continue;
        }
        const cache = buildCache(ctx.repo, file.model, build);
        if (cache.dynamic || cache.from.length > 0 || cache.to.length > 0) {
          continue;
        }
        const image = imageName(ctx.repo, build);
        let fix: Fix | undefined;
        if (build.kind === 'build-push-action') {
          const edit = appendWithEntries(file.model, build.step, [
            ['cache-from', `type=gha,scope=${image}`],
            ['cache-to', `type=gha,mode=max,scope=${image}`],
          ]);
          if (edit) {
            fix = { description: `read and write the GitHub Actions cache with scope "${image}"`, safety: 'safe', edits: [edit] };
          }
        }
        const what = build.kind === 'build-push-action' || build.kind === 'bake-action' ? build.step.uses?.raw ?? build.kind : build.kind === 'buildx-bake' ? 'docker buildx bake' : 'docker buildx build';
        const expected = build.kind === 'build-push-action'
          ? `add cache-from: type=gha,scope=${image} and cache-to: type=gha,mode=max,scope=${image}`
          : build.kind === 'docker-build'
            ? `add --cache-from and --cache-to (type=registry,ref=<repository>:buildcache-${image},mode=max; type=gha,scope=${image} only works once the step exposes the Actions cache token)`
            : `set cache-from and cache-to in bake target "${image}"`;
        // Docker Build Cloud keeps a cache of its own, but only for builds on that builder: a
        // fallback builder, or a move off Build Cloud, starts cold again.
        const cloud = build.job.steps.some((step) => usesAction(step, 'docker/setup-buildx-action') && step.with.get('driver')?.value.trim() === 'cloud');
        const cold = cloud ? 'so every run off the Build Cloud builder starts cold' : 'so every run starts cold';
        ctx.report({
          at: build.range,
          message: `${what} in job "${build.job.id}" builds ${build.dockerfile ? `"${build.dockerfile}"` : `"${image}"`} without a build cache, ${cold}; ${expected}`,
          ...(fix ? { fix } : {}),
        });
      }
    },
  },
});

/** `docker buildx build` (a plain `docker build` on the runner's default driver cannot export a cache). */
function isBuildx(build: Parameters<typeof buildCall>[0]): boolean {
  return buildCall(build)?.args[0]?.value === 'buildx';
}
