// Why: `docker builder prune`, `docker buildx prune` and `docker system prune` delete the BuildKit
// cache. Run before an image build in the same job (often copied from "free disk space" recipes),
// they throw away the layers setup-buildx or a cache import just restored, or on a self-hosted
// runner the warm local cache, so the build that follows starts cold.
import { invocations, type Invocation } from '../../parse/shell-query.js';
import { workflowImageBuilds } from '../../repo/workflow-builds.js';
import { defineRule } from '../rule.js';

export const cachePrunedBeforeBuild = defineRule({
  id: 'workflow/cache-pruned-before-build',
  meta: {
    title: 'Build cache pruned before an image build',
    severity: 'warning',
    rationale:
      'Pruning the builder (`docker builder prune`, `docker buildx prune`, `docker system prune`) deletes the BuildKit cache. Doing it before an image build in the same job discards the cache the build would have reused, on a self-hosted runner the whole warm cache of earlier runs, so the base image is rebuilt from scratch and the cache settings of the build step are wasted.',
    remediation:
      'Prune after the build (in a final step with `if: always()`), or free disk space by removing unrelated files (`/usr/share/dotnet`, `/usr/local/lib/android`) instead; on self-hosted runners bound the cache with `--keep-storage`/`--max-used-space` or `--filter until=...` in a scheduled job.',
  },
  hooks: {
    workflow(file, ctx) {
      const builds = workflowImageBuilds(file.model, ctx.repo);
      for (const job of file.model.jobs) {
        for (const step of job.steps) {
          for (const call of invocations(step.run?.shell ?? null)) {
            const what = pruneCommand(call);
            if (what === null) {
              continue;
            }
            const later = builds.find((build) => build.job === job && (build.step.index > step.index || (build.step === step && build.range.start.line > call.command.range.start.line)));
            if (!later) {
              continue;
            }
            ctx.report({
              at: call.command.range,
              message: `"${what}" deletes the build cache before the image build ${later.step === step ? 'later in the same step' : `in step "${later.step.label}"`} of job "${job.id}"; prune after the build or free disk space another way`,
            });
          }
        }
      }
    },
  },
});

/** `docker builder prune` / `docker buildx prune` / `docker system prune` (podman too), as named; else null. */
function pruneCommand(call: Invocation): string | null {
  if (call.program !== 'docker' && call.program !== 'podman') {
    return null;
  }
  const words = call.args.map((word) => word.value ?? '');
  if ((words[0] === 'builder' || words[0] === 'buildx' || words[0] === 'system') && words[1] === 'prune') {
    return `${call.program} ${words[0]} prune`;
  }
  return null;
}
