// Why: an image has one CMD, one ENTRYPOINT and one HEALTHCHECK; in a stage only the last of each
// takes effect and the earlier ones are dead lines that mislead readers (hadolint DL4003, DL4004,
// DL3012). Like BuildKit's MultipleInstructionsDisallowed check, this reports the earlier
// instruction, the one that is ignored, and counts per stage: a stage does not inherit the count
// from the stage it builds on.
import { defineRule } from '../rule.js';

const ONCE_PER_STAGE = ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'] as const;

export const multipleCmdOrEntrypoint = defineRule({
  id: 'dockerfile/multiple-cmd-or-entrypoint',
  meta: {
    title: 'More than one CMD, ENTRYPOINT or HEALTHCHECK in a stage',
    severity: 'warning',
    rationale:
      'Only the last CMD, ENTRYPOINT and HEALTHCHECK of a stage reach the image; every earlier one is silently ignored. In long base-image Dockerfiles these leftovers suggest a start command or health probe that the image does not have, and edits to them have no effect, which costs time when a container misbehaves on a GPU node.',
    remediation: 'Keep one CMD, one ENTRYPOINT and one HEALTHCHECK per stage and delete the earlier ones.',
    hadolint: ['DL4003', 'DL4004', 'DL3012'],
    buildkitCheck: 'MultipleInstructionsDisallowed',
  },
  hooks: {
    stage(stage, ctx) {
      for (const keyword of ONCE_PER_STAGE) {
        const found = stage.instructions.filter((instruction) => instruction.keyword === keyword);
        const last = found[found.length - 1];
        if (!last) {
          continue;
        }
        for (const earlier of found.slice(0, -1)) {
          ctx.report({
            at: earlier.range,
            message: `this ${keyword} in stage "${stage.label}" is ignored because the ${keyword} at line ${last.range.start.line} replaces it; keep only the last one`,
          });
        }
      }
    },
  },
});
