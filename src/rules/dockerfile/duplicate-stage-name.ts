// Why: two stages with one name (BuildKit compares them lowercased) make `--target`, `COPY --from`
// and later `FROM name` silently resolve to whichever stage BuildKit registered last. BuildKit
// check DuplicateStageName (https://docs.docker.com/reference/build-checks/duplicate-stage-name/),
// hadolint DL3024.
import type { Stage } from '../../parse/dockerfile.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const duplicateStageName = defineRule({
  id: 'dockerfile/duplicate-stage-name',
  meta: {
    title: 'Duplicate stage name',
    severity: 'warning',
    rationale:
      'BuildKit registers stages by lowercased name and a later stage with the same name replaces the earlier one for every reference that follows. In a base-image Dockerfile with separate CUDA devel and runtime stages, `COPY --from=build` or `--target build` then picks a different stage than the author meant, and the image ships the wrong layers without any build error.',
    remediation: 'Give each stage a unique name and update the COPY --from, FROM and --target references that meant the renamed one.',
    hadolint: ['DL3024'],
    buildkitCheck: 'DuplicateStageName',
  },
  hooks: {
    dockerfile(dockerfile, ctx) {
      const first = new Map<string, Stage>();
      for (const stage of dockerfile.stages) {
        if (!stage.name || !stage.nameRange) {
          continue;
        }
        const key = stage.name.toLowerCase();
        const earlier = first.get(key);
        if (!earlier) {
          first.set(key, stage);
          continue;
        }
        ctx.report({
          at: stage.nameRange,
          message: `stage name ${quote(stage.name)} is already used by the stage on line ${earlier.from.range.start.line}: later references resolve to this one; give each stage a unique name`,
          related: [{ file: dockerfile.path, range: earlier.nameRange ?? earlier.from.range, message: `first stage named ${quote(earlier.name ?? '')}` }],
        });
      }
    },
  },
});
