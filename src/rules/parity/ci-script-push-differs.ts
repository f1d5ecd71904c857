// Why: PLAN.md workstream C4/D1: a script that is meant to publish like CI but only builds (or
// pushes where CI only loads) surprises whoever runs it. Only fixed behaviour is compared: a script
// whose push is an option (`--push`, PUSH=1) matches any CI setting.
import { isKnown } from '../../repo/build-plan.js';
import { planPairs, valueDifference, reportDifference } from '../lib/parity.js';
import { defineRule } from '../rule.js';

export const ciScriptPushDiffers = defineRule({
  id: 'parity/ci-script-push-differs',
  meta: {
    title: 'CI and the build script differ in pushing the image',
    severity: 'warning',
    rationale:
      'CI usually pushes what it builds; a hand-run script for the same image either pushes the same way or offers pushing as an option. A script that always pushes where CI never does (or never pushes where CI always does) is a different release path, and the difference is easy to miss until a tag is overwritten or never published.',
    remediation: 'Make the script push like CI, or make pushing an explicit option of the script (`--push`) so both paths can do the same.',
  },
  hooks: {
    repo(repo, ctx) {
      for (const pair of planPairs(repo)) {
        const ci = pair.ci.push;
        const script = pair.script.push;
        if (!isKnown(ci) || !isKnown(script) || ci.soft || script.soft || ci.value === script.value) {
          continue;
        }
        reportDifference(ctx, valueDifference(pair, 'pushing the image', ci, script, (value) => (value ? 'on' : 'off')));
      }
    },
  },
});
