// Why: `scratch` names the empty image and `context` the build context in named contexts, so a
// stage called either shadows them. BuildKit check ReservedStageName
// (https://docs.docker.com/reference/build-checks/reserved-stage-name/), hadolint DL3063.
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

const RESERVED: Record<string, string> = {
  scratch: 'it names the empty base image',
  context: 'it names the build context in `--build-context` and `COPY --from=context`',
};

export const reservedStageName = defineRule({
  id: 'dockerfile/reserved-stage-name',
  meta: {
    title: 'Reserved stage name',
    severity: 'warning',
    rationale:
      '`scratch` and `context` have fixed meanings in a Dockerfile: `FROM scratch` starts from the empty image, and `context` is the name BuildKit gives the build context for `--build-context` and `COPY --from`. A stage with one of these names makes references ambiguous, so a minimal runtime stage meant to start from scratch, or a COPY meant to read the context, can end up reading the stage instead.',
    remediation: 'Rename the stage (`AS runtime`, `AS sources`) and update its references.',
    hadolint: ['DL3063'],
    buildkitCheck: 'ReservedStageName',
  },
  hooks: {
    stage(stage, ctx) {
      const reason = stage.name ? RESERVED[stage.name.toLowerCase()] : undefined;
      if (!stage.name || !stage.nameRange || !reason) {
        return;
      }
      ctx.report({
        at: stage.nameRange,
        message: `stage name ${quote(stage.name)} is reserved because ${reason}: choose another name`,
      });
    },
  },
});
