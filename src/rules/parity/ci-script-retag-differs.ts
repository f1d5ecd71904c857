// Why: PLAN.md C4/D1 "retag invocation": a retag step (docker tag + push, `docker buildx
// imagetools create`, skopeo copy) run on one side only means one path promotes images and the
// other does not, so moving or dated tags go stale depending on who released.
import type { BuildPlan } from '../../repo/build-plan.js';
import { planPairs, reportDifference, sideName } from '../lib/parity.js';
import { defineRule } from '../rule.js';

function retagSummary(plan: BuildPlan): string {
  return [...new Set(plan.retags.map((retag) => retag.tool))].join(', ');
}

export const ciScriptRetagDiffers = defineRule({
  id: 'parity/ci-script-retag-differs',
  meta: {
    title: 'Only one of CI and the build script retags the image after the build',
    severity: 'warning',
    rationale:
      'Many base-image repositories build one tag and then promote it (retag to a moving tag, a dated tag). When only CI or only the hand-run script does the promotion, releases made the other way leave the moving or dated tags pointing at old images. Retags behind an option (`--push`) count as retags.',
    remediation: 'Run the same retag step on both sides (for example the same retag script after the build), or drop it from both.',
  },
  hooks: {
    repo(repo, ctx) {
      for (const pair of planPairs(repo)) {
        const ci = pair.ci.retags[0];
        const script = pair.script.retags[0];
        if (ci && !script) {
          reportDifference(ctx, {
            ciAt: ci.at,
            scriptAt: pair.script.at,
            ci: `CI retags the image after the build (${retagSummary(pair.ci)}) but ${pair.script.file} does not; expected the same promotion in both`,
            script: `the image is not retagged after this build but ${sideName(pair.ci)} retags it (${retagSummary(pair.ci)}); expected the same promotion in both`,
          });
        } else if (script && !ci) {
          reportDifference(ctx, {
            ciAt: pair.ci.at,
            scriptAt: script.at,
            ci: `the image is not retagged after this build but ${pair.script.file} retags it (${retagSummary(pair.script)}); expected the same promotion in both`,
            script: `this script retags the image after the build (${retagSummary(pair.script)}) but ${sideName(pair.ci)} does not; expected the same promotion in both`,
          });
        }
      }
    },
  },
});
