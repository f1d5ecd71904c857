// Why: the platform list decides which architectures the pushed manifest holds; a script that
// builds only the host's platform while CI builds linux/amd64 (or more) replaces a multi-platform
// tag with a single-platform one when a person pushes by hand (PLAN.md workstream D1).
import { compareField, planPairs, sameSet, showList } from '../lib/parity.js';
import { defineRule } from '../rule.js';

export const ciScriptPlatformsDiffer = defineRule({
  id: 'parity/ci-script-platforms-differ',
  meta: {
    title: 'CI and the build script build for different platforms',
    severity: 'warning',
    rationale:
      'Without `--platform` a build targets the platform of the machine that runs it: an arm64 laptop builds arm64 images. When CI builds an explicit platform list and the script does not (or lists others), the same tag points at images for different architectures depending on who pushed last.',
    remediation: 'Set the same platforms in the workflow (`platforms:`) and in the script (`--platform`), or build both through one bake target.',
  },
  hooks: {
    repo(repo, ctx) {
      for (const pair of planPairs(repo)) {
        compareField(ctx, pair, 'the platform list', (plan) => plan.platforms, (value) => (value.length === 0 ? 'the builder\'s own platform' : showList(value)), sameSet);
      }
    },
  },
});
