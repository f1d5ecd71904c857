// Why: the Dockerfile frontend refuses any line that does not start with an instruction keyword
// ("unknown instruction: RUNN"), so the whole build fails. The usual causes are a typo and a shell
// line that lost the `\` continuing the RUN above it. The parse model keeps such lines as
// instructions with the unknown keyword.
import type { Dockerfile, DockerInstruction } from '../../parse/dockerfile.js';
import { quote } from '../lib/helpers.js';
import { INSTRUCTION_KEYWORDS, isInstructionKeyword } from '../lib/instructions.js';
import { closestName } from '../lib/variables.js';
import { defineRule } from '../rule.js';

// A file with this many unknown lines and no FROM is not a Dockerfile at all (prose, a template of
// another language): one finding says so instead of one per line.
const NOT_A_DOCKERFILE = 3;

export const unknownInstruction = defineRule({
  id: 'dockerfile/unknown-instruction',
  meta: {
    title: 'Line is not a Dockerfile instruction',
    severity: 'error',
    rationale:
      'Every line of a Dockerfile outside comments, here-documents and continuations must start with an instruction keyword; otherwise `docker build` stops at parse time with "unknown instruction" before any layer is built. In base-image repositories this usually means a typo or a long `apt-get install` RUN whose continuation `\\` went missing during an edit, so the next package line became a line of its own; CI only finds out after the runner has pulled gigabytes of CUDA base layers.',
    remediation: 'Fix the keyword, or add the missing `\\` at the end of the line above so the line continues the RUN.',
  },
  hooks: {
    dockerfile(dockerfile, ctx) {
      const unknown = dockerfile.instructions.filter((instruction) => !isKnown(instruction, dockerfile.escape));
      const first = unknown[0];
      if (!first) {
        return;
      }
      if (dockerfile.stages.length === 0 && unknown.length >= NOT_A_DOCKERFILE) {
        ctx.report({
          at: first.keywordRange,
          message: `${unknown.length} lines do not start with a Dockerfile instruction (the first is ${quote(first.keywordText)}): this file does not look like a Dockerfile and the build fails`,
        });
        return;
      }
      for (const instruction of unknown) {
        ctx.report({ at: instruction.keywordRange, message: describe(dockerfile, instruction) });
      }
    },
  },
});

function isKnown(instruction: DockerInstruction, escape: string): boolean {
  // A line holding only the escape character continues onto the next one, and BuildKit reads the
  // instruction that follows; dockerfile-ast makes the lone escape an instruction of its own (the
  // next line is then judged by itself), or glues it to the next word (`\COPY`).
  if (!instruction.keywordText.startsWith(escape)) {
    return isInstructionKeyword(instruction.keywordText);
  }
  const rest = instruction.keywordText.slice(escape.length).trim();
  return rest === '' || isInstructionKeyword(rest);
}

function describe(dockerfile: Dockerfile, instruction: DockerInstruction): string {
  const keyword = instruction.keywordText;
  const index = dockerfile.instructions.indexOf(instruction);
  const previous = index > 0 ? dockerfile.instructions[index - 1] : undefined;
  const line = instruction.range.start.line;
  // A RUN ending on the line just above, followed by an indented or lower-case word, lost its `\`.
  if (previous?.kind === 'run' && previous.range.end.line === line - 1 && (instruction.range.start.column > 1 || keyword === keyword.toLowerCase())) {
    return `unknown instruction ${quote(keyword)}: line ${line} looks like part of the RUN above, whose line ${line - 1} lacks a trailing "${dockerfile.escape}"; the build fails`;
  }
  // Only a keyword-like word (all upper or all lower case) gets a suggestion: `Rebuild` in a pasted
  // sentence is prose, not a misspelt ONBUILD.
  const keywordLike = keyword === keyword.toUpperCase() || keyword === keyword.toLowerCase();
  const suggestion = keywordLike ? closestName(keyword.toUpperCase(), INSTRUCTION_KEYWORDS) : null;
  if (suggestion) {
    return `unknown instruction ${quote(keyword)} (did you mean "${suggestion}"?): the build fails`;
  }
  return `unknown instruction ${quote(keyword)}: a line must start with an instruction, a comment or a parser directive, so the build fails`;
}
