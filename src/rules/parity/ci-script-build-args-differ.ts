// Why: PLAN.md 1.3 and workstream D1: build args are part of what an image is (versions, labels);
// CI passing BUILD_DATE/VCS_REF while the script passes PYTHON_VERSION/FFMPEG_VERSION gives two
// different images (and empty OCI labels) for the same commit.
import { isKnown } from '../../repo/build-plan.js';
import { quote } from '../lib/helpers.js';
import { planPairs, reportDifference, sideName } from '../lib/parity.js';
import { defineRule } from '../rule.js';

export const ciScriptBuildArgsDiffer = defineRule({
  id: 'parity/ci-script-build-args-differ',
  meta: {
    title: 'CI and the build script pass different build args',
    severity: 'warning',
    rationale:
      'Build args set versions and metadata inside the image (a Python or FFmpeg version, the commit and date in OCI labels). When CI passes an arg the script does not, or a different value, the hand-run image differs from the CI image of the same commit, and which one a tag holds depends on who pushed last. Each arg set on only one side, or to a different value, is reported at both places.',
    remediation: 'Pass the same build args on both sides, or move the values into the Dockerfile (ARG defaults) or a bake target both paths build.',
  },
  hooks: {
    repo(repo, ctx) {
      for (const pair of planPairs(repo)) {
        if (pair.ci.buildArgsUnknown || pair.script.buildArgsUnknown) {
          continue;
        }
        const names = [...new Set([...pair.ci.buildArgs.keys(), ...pair.script.buildArgs.keys()])].sort();
        for (const name of names) {
          const ci = pair.ci.buildArgs.get(name);
          const script = pair.script.buildArgs.get(name);
          if (ci && !script) {
            reportDifference(ctx, {
              ciAt: ci.at ?? pair.ci.at,
              scriptAt: pair.script.at,
              ci: `build arg ${quote(name)} is set in CI but not by ${pair.script.file}; expected the same build args in both`,
              script: `build arg ${quote(name)} is not set here but ${sideName(pair.ci)} sets it; expected the same build args in both`,
            });
          } else if (script && !ci) {
            reportDifference(ctx, {
              ciAt: pair.ci.at,
              scriptAt: script.at ?? pair.script.at,
              ci: `build arg ${quote(name)} is not set here but ${pair.script.file} sets it; expected the same build args in both`,
              script: `build arg ${quote(name)} is set here but not in ${sideName(pair.ci)}; expected the same build args in both`,
            });
          } else if (ci && script && isKnown(ci) && isKnown(script) && ci.value !== script.value) {
            reportDifference(ctx, {
              ciAt: ci.at,
              scriptAt: script.at,
              ci: `build arg ${quote(name)} is ${quote(ci.value)} in CI but ${quote(script.value)} in ${pair.script.file}; expected the same value`,
              script: `build arg ${quote(name)} is ${quote(script.value)} here but ${quote(ci.value)} in ${sideName(pair.ci)}; expected the same value`,
            });
          }
        }
      }
    },
  },
});
