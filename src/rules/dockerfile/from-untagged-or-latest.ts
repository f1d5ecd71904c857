// Why: `FROM nvidia/cuda` and `FROM nvidia/cuda:latest` build on whatever the registry calls latest
// on the day of the build (hadolint DL3006, DL3007). A digest pins the image whatever the tag says,
// so `name:latest@sha256:...` is fine. Stage references and `scratch` have no tag; a base named
// through an ARG without a default cannot be judged here (another rule reports unresolved bases).
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const fromUntaggedOrLatest = defineRule({
  id: 'dockerfile/from-untagged-or-latest',
  meta: {
    title: 'Base image without a tag or with :latest',
    severity: 'warning',
    rationale:
      'An untagged or :latest base image changes under the Dockerfile: the next rebuild may move to a new Ubuntu release, a new CUDA major version or a different Python, with no change in the repository and no trace in review. For CUDA and PyTorch bases, where the driver and library versions decide whether the image runs on the fleet, the base must be a named version.',
    remediation: 'Name a version tag (e.g. `nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04`) and, for reproducible builds, pin its digest as well (`@sha256:...`).',
    hadolint: ['DL3006', 'DL3007'],
  },
  hooks: {
    stage(stage, ctx) {
      const base = stage.base;
      if (base.stage || base.scratch || !base.resolved || base.digest || base.name === null || base.name === '') {
        return;
      }
      if (base.tag !== null && base.tag !== 'latest') {
        return;
      }
      const shown = base.raw === base.expanded ? quote(base.expanded) : `${quote(base.raw)} (${quote(base.expanded)})`;
      ctx.report({
        at: base.range,
        message: base.tag === null
          ? `base image ${shown} of stage "${stage.label}" has no tag, so it pulls whatever "latest" is at build time; name a version tag`
          : `base image ${shown} of stage "${stage.label}" uses the "latest" tag, which moves; name a version tag`,
      });
    },
  },
});
