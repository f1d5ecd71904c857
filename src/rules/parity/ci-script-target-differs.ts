// Why: `--target` picks the stage that becomes the image; CI and a hand-run script that build
// different stages publish different images under the same name (PLAN.md workstream D1).
import { quote } from '../lib/helpers.js';
import { compareField, planPairs } from '../lib/parity.js';
import { defineRule } from '../rule.js';

export const ciScriptTargetDiffers = defineRule({
  id: 'parity/ci-script-target-differs',
  meta: {
    title: 'CI and the build script build a different stage',
    severity: 'warning',
    rationale:
      'The build target selects which stage of a multi-stage Dockerfile becomes the image. If CI builds one stage and the hand-run script another (or the last stage because it passes no `--target`), the image pushed by hand differs from the one CI built and tested.',
    remediation: 'Pass the same `--target` (build-push-action `target:`, bake `target =`) in the workflow and in the script.',
  },
  hooks: {
    repo(repo, ctx) {
      for (const pair of planPairs(repo)) {
        compareField(ctx, pair, 'the build target', (plan) => plan.target, (value) => (value === null ? 'the last stage' : quote(value)));
      }
    },
  },
});
