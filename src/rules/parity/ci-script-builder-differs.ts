// Why: PLAN.md C3 questions the Docker Build Cloud driver; the builder decides BuildKit's version,
// the cache it holds and which features (cache export, multi-platform) work. Informational: a
// different builder can be intended, but it is a difference between CI and hand-run images.
import { quote } from '../lib/helpers.js';
import { compareField, planPairs } from '../lib/parity.js';
import { defineRule } from '../rule.js';

export const ciScriptBuilderDiffers = defineRule({
  id: 'parity/ci-script-builder-differs',
  meta: {
    title: 'CI and the build script build with different builders',
    severity: 'info',
    rationale:
      'The builder (the Docker engine\'s own, a docker-container buildx builder, or a remote Docker Build Cloud builder) brings its own BuildKit version, cache and feature set: the classic engine builder cannot export cache or build several platforms, and a cloud builder needs a login and a subscription. When CI and the script use different builders, the same Dockerfile can build differently; this is reported so the difference is a choice.',
    remediation: 'Build with the same kind of builder on both sides (for example a docker-container buildx builder), or document why the script differs.',
  },
  hooks: {
    repo(repo, ctx) {
      for (const pair of planPairs(repo)) {
        compareField(ctx, pair, 'the builder', (plan) => plan.builder, quote);
      }
    },
  },
});
