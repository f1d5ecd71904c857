// Why: a tag is a movable name. `FROM nvidia/cuda:12.4.1-devel-ubuntu22.04` resolves to whatever the
// registry holds at build time, so a rebuild of the same commit can pick up a different base (a
// rebuilt CUDA image, a retagged release, or a compromised push). OpenSSF Scorecard's
// Pinned-Dependencies check asks for `@sha256:<digest>` on every FROM (scratch and earlier stages
// exempt); hadolint users have asked for the same (hadolint/hadolint#773, #1227). Reported as info:
// digest pins need a bot (Renovate, Dependabot) to stay current, which is a team decision.
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const baseImageWithoutDigest = defineRule({
  id: 'supply-chain/base-image-without-digest',
  meta: {
    title: 'Base image pulled by tag without a digest',
    severity: 'info',
    rationale:
      'CUDA, PyTorch and distribution images are rebuilt and re-pushed under the same tag, so a FROM by tag can build on different bytes from one day to the next: a new cuDNN patch, a rebuilt glibc, or in the worst case a compromised push. A digest (`image:tag@sha256:...`) makes the base part of the commit, lets the layer cache and SBOMs mean something, and turns base updates into reviewable pull requests when a bot such as Renovate or Dependabot bumps it.',
    remediation:
      'Pin each external base as `name:tag@sha256:<digest>` (keep the tag for readers; `docker buildx imagetools inspect name:tag` prints the digest) and let Renovate or Dependabot update the digest.',
  },
  hooks: {
    stage(stage, ctx) {
      const base = stage.base;
      // Earlier stages, scratch, and bases only known at build time (`FROM ${BASE}` with no default) are out of scope.
      if (base.stage || base.scratch || !base.resolved || base.digest || base.name === null) {
        return;
      }
      const image = base.expanded;
      const viaArg = base.raw !== base.expanded ? ` (from ${quote(base.raw)})` : '';
      const tagged = base.tag
        ? `is pulled by tag without a digest, and the tag can move under the build`
        : `has no tag or digest, so it means ${quote(`${image}:latest`)}, which moves with every push`;
      ctx.report({
        at: base.range,
        message: `base image ${quote(image)}${viaArg} ${tagged}; pin it as ${quote(`${base.tag ? image : `${image}:<tag>`}@sha256:<digest>`)}`,
      });
    },
  },
});
