// Why: keywords are case-insensitive, but a file that mixes `RUN` and `run` (or has `Run`) is harder
// to read and grep. BuildKit check ConsistentInstructionCasing
// (https://docs.docker.com/reference/build-checks/consistent-instruction-casing/): keywords written
// all-lower or all-upper vote, ties go to upper case, and every keyword not written in the
// winning casing (mixed ones included) is reported.
import { replaceFix } from '../lib/helpers.js';
import { isInstructionKeyword } from '../lib/instructions.js';
import { defineRule } from '../rule.js';

export const consistentInstructionCasing = defineRule({
  id: 'dockerfile/consistent-instruction-casing',
  meta: {
    title: 'Instruction keyword casing differs from the rest of the file',
    severity: 'warning',
    rationale:
      'Dockerfile keywords work in any casing, so mixed casing is never a build error, only a reading cost: in a long CUDA or FFmpeg base-image Dockerfile a lower-case `run` between upper-case instructions is easy to miss when scanning for layers, and grep-based tooling (CI checks, docs generators) that looks for `^RUN` skips it. BuildKit reports it on every build.',
    remediation: 'Write every instruction keyword in the casing most of the file uses (upper case, by convention).',
    fixable: 'safe',
    buildkitCheck: 'ConsistentInstructionCasing',
  },
  hooks: {
    dockerfile(dockerfile, ctx) {
      const keywords = dockerfile.instructions.filter((instruction) => isInstructionKeyword(instruction.keywordText) && /^[A-Za-z]+$/.test(instruction.keywordText));
      let lower = 0;
      let upper = 0;
      for (const instruction of keywords) {
        const text = instruction.keywordText;
        if (text === text.toLowerCase()) {
          lower += 1;
        } else if (text === text.toUpperCase()) {
          upper += 1;
        }
      }
      const majorityLower = lower > upper;
      const casing = majorityLower ? 'lowercase' : 'uppercase';
      for (const instruction of keywords) {
        const text = instruction.keywordText;
        const expected = majorityLower ? text.toLowerCase() : text.toUpperCase();
        if (text === expected) {
          continue;
        }
        ctx.report({
          at: instruction.keywordRange,
          message: `instruction "${text}" should be ${casing} like most instructions in this file: write "${expected}"`,
          fix: replaceFix(dockerfile, instruction.keywordRange, expected, `write "${expected}"`),
        });
      }
    },
  },
});
