// Why: a build starts with FROM; only ARG (and comments and parser directives) may come before the
// first FROM (https://docs.docker.com/reference/dockerfile/#from, "Understand how ARG and FROM
// interact"). Otherwise the frontend stops with "no build stage in current context" or "file with
// no instructions". Unknown keywords before FROM are dockerfile/unknown-instruction's to report.
import { quote } from '../lib/helpers.js';
import { isInstructionKeyword } from '../lib/instructions.js';
import { defineRule } from '../rule.js';

export const noFrom = defineRule({
  id: 'dockerfile/no-from',
  meta: {
    title: 'Dockerfile without FROM, or with instructions before FROM',
    severity: 'error',
    rationale:
      'BuildKit needs a FROM to open a build stage: a file without one fails with "file with no instructions" or "no build stage in current context", and so does a RUN, ENV or COPY placed above the first FROM (only ARG may precede it, to parameterise the base image). In a base-image repository this usually means a Dockerfile fragment or template that CI builds directly, or a file that was named like a Dockerfile by accident.',
    remediation: 'Start the file with `FROM <image>` (optionally preceded by ARG lines for the base image), move other instructions below it, or rename the file if it is not a Dockerfile.',
  },
  hooks: {
    dockerfile(dockerfile, ctx) {
      const first = dockerfile.stages[0];
      if (!first) {
        const opening = dockerfile.instructions[0];
        ctx.report({
          at: opening?.range ?? { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
          message: opening
            ? 'no FROM instruction: a Dockerfile must open its first build stage with FROM, so the build fails'
            : 'the file has no instructions: a Dockerfile must open its first build stage with FROM, so the build fails',
        });
        return;
      }
      for (const instruction of dockerfile.instructions) {
        if (instruction === first.from) {
          break;
        }
        if (instruction.kind === 'arg' || !isInstructionKeyword(instruction.keywordText)) {
          continue;
        }
        ctx.report({
          at: instruction.keywordRange,
          message: `${quote(instruction.keywordText)} comes before the first FROM (line ${first.from.range.start.line}): only ARG may precede FROM, so the build fails`,
        });
      }
    },
  },
});
