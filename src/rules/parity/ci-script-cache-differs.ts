// Why: PLAN.md C3 adds a BuildKit cache strategy; when CI and the script read and write different
// caches a warm CI cache does not help hand-run builds (or the reverse). Informational: a GitHub
// Actions cache (`type=gha`) only works on runners, so a difference can be deliberate.
import { isKnown } from '../../repo/build-plan.js';
import { planPairs, reportDifference, sameSet, showList, valueDifference } from '../lib/parity.js';
import { defineRule } from '../rule.js';

export const ciScriptCacheDiffers = defineRule({
  id: 'parity/ci-script-cache-differs',
  meta: {
    title: 'CI and the build script use different build caches',
    severity: 'info',
    rationale:
      'BuildKit cache import and export (`cache-from`, `cache-to`) decide how much of a build is reused. When CI uses a registry or GitHub Actions cache and the script none (or another one), hand-run builds start cold and may resolve base layers differently. Some differences are deliberate (the `gha` backend only exists on Actions runners); this is reported so the choice is visible.',
    remediation: 'Use the same cache references on both sides where the backend allows it (a registry cache works everywhere), or document why they differ.',
  },
  hooks: {
    repo(repo, ctx) {
      for (const pair of planPairs(repo)) {
        for (const [what, pick] of [['the cache imported (cache-from)', 'cacheFrom'], ['the cache exported (cache-to)', 'cacheTo']] as const) {
          const ci = pair.ci[pick];
          const script = pair.script[pick];
          if (isKnown(ci) && isKnown(script) && !sameSet(ci.value, script.value)) {
            reportDifference(ctx, valueDifference(pair, what, ci, script, showList));
          }
        }
      }
    },
  },
});
