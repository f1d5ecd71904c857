// Why: PLAN.md workstream D1 asks that the hand-run scripts build "exactly what CI builds",
// starting with the build context and the Dockerfile; a different context changes every COPY and
// the .dockerignore that applies, so the two paths produce different images from the same commit.
import { compareField, planPairs, showPath } from '../lib/parity.js';
import { defineRule } from '../rule.js';

export const ciScriptContextDiffers = defineRule({
  id: 'parity/ci-script-context-differs',
  meta: {
    title: 'CI and the build script use a different build context or Dockerfile',
    severity: 'warning',
    rationale:
      'A family is built in CI and by hand with a script. When the two use a different build context (or a different Dockerfile for the same image), COPY and ADD read different files, a different .dockerignore applies and the image that a person pushes from a laptop is not the image CI tested. Base images are consumed by every downstream image, so the two paths must build the same thing.',
    remediation:
      'Use the same context and Dockerfile in the workflow step and in the script, ideally through one bake target both call (`docker buildx bake <target>` and docker/bake-action).',
  },
  hooks: {
    repo(repo, ctx) {
      for (const pair of planPairs(repo)) {
        compareField(ctx, pair, 'the build context', (plan) => plan.context, showPath);
        compareField(ctx, pair, 'the Dockerfile', (plan) => plan.dockerfile, showPath);
      }
    },
  },
});
