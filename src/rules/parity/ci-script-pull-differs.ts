// Why: PLAN.md workstream D2 asks for an explicit `--pull`: without it a build reuses whatever
// base image the machine has cached, so a hand-run build can sit on an older base than CI's.
import { compareField, planPairs } from '../lib/parity.js';
import { defineRule } from '../rule.js';

export const ciScriptPullDiffers = defineRule({
  id: 'parity/ci-script-pull-differs',
  meta: {
    title: 'CI and the build script differ in pulling the base image',
    severity: 'warning',
    rationale:
      '`--pull` (build-push-action and bake-action `pull: true`) makes the build fetch the newest base image for its tag; without it the builder reuses a cached copy, which on a workstation can be months old. When only one side pulls, CI and hand-run builds of the same commit sit on different base images and carry different security fixes.',
    remediation: 'Pull on both sides: `pull: true` in the workflow and `--pull` in the script (or neither, with the base image pinned by digest).',
  },
  hooks: {
    repo(repo, ctx) {
      for (const pair of planPairs(repo)) {
        compareField(ctx, pair, 'pulling the base image (--pull)', (plan) => plan.pull, (value) => (value ? 'on' : 'off'));
      }
    },
  },
});
