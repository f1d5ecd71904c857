// Why: FROM already pulls the target platform's image, so `--platform=$TARGETPLATFORM` only adds
// noise (and hides the useful `--platform=$BUILDPLATFORM` cross-compilation pattern among copies of
// the default). BuildKit check RedundantTargetPlatform
// (https://docs.docker.com/reference/build-checks/redundant-target-platform/), hadolint DL3065.
import { defineRule } from '../rule.js';

export const redundantTargetPlatform = defineRule({
  id: 'dockerfile/redundant-target-platform',
  meta: {
    title: 'FROM --platform=$TARGETPLATFORM is redundant',
    severity: 'info',
    rationale:
      'Without --platform, FROM resolves the base image for the target platform, which is exactly what `$TARGETPLATFORM` holds. Writing it out changes nothing, but in multi-arch CUDA or FFmpeg Dockerfiles it makes stages that build for the target look like the stages that deliberately run on the build host with `--platform=$BUILDPLATFORM`, which is the distinction a reviewer needs to see.',
    remediation: 'Remove `--platform=$TARGETPLATFORM` from the FROM line; keep `--platform=$BUILDPLATFORM` where a stage must run on the build host.',
    fixable: 'safe',
    hadolint: ['DL3065'],
    buildkitCheck: 'RedundantTargetPlatform',
  },
  hooks: {
    stage(stage, ctx) {
      const flag = stage.from.flags.find((candidate) => candidate.name === 'platform');
      if (!flag || !/^(\$TARGETPLATFORM|\$\{TARGETPLATFORM\})$/.test(flag.value ?? '')) {
        return;
      }
      const lines = ctx.dockerfile.lines;
      const start = lines.offsetAt(flag.range.start);
      let end = lines.offsetAt(flag.range.end);
      while (ctx.dockerfile.text[end] === ' ' || ctx.dockerfile.text[end] === '\t') {
        end += 1;
      }
      ctx.report({
        at: flag.range,
        message: `"--platform=${flag.value ?? ''}" is what FROM uses anyway: remove it`,
        fix: { description: 'remove the --platform flag', safety: 'safe', edits: [{ file: ctx.dockerfile.path, start, end, newText: '' }] },
      });
    },
  },
});
