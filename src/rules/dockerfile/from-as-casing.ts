// Why: `FROM ubuntu as build` mixes an upper-case keyword with a lower-case `as`; BuildKit check
// FromAsCasing asks for one casing (https://docs.docker.com/reference/build-checks/from-as-casing/).
// Like BuildKit, a FROM keyword that is itself mixed case (`From`) is left to the instruction
// casing rule.
import { replaceFix } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

export const fromAsCasing = defineRule({
  id: 'dockerfile/from-as-casing',
  meta: {
    title: 'AS keyword casing differs from FROM',
    severity: 'warning',
    rationale:
      'Dockerfile keywords are case-insensitive, so `FROM nvidia/cuda:12.4.1-devel-ubuntu22.04 as build` builds, but a lower-case `as` next to an upper-case `FROM` is the kind of inconsistency BuildKit flags on every build (FromAsCasing). Long multi-stage CUDA and PyTorch Dockerfiles are easier to scan and grep when `FROM ... AS name` is written one way.',
    remediation: 'Write `AS` in the same casing as `FROM`: `FROM image AS name`, or `from image as name` in an all-lowercase file.',
    fixable: 'safe',
    buildkitCheck: 'FromAsCasing',
  },
  hooks: {
    stage(stage, ctx) {
      const keyword = stage.from.keywordText;
      const asWord = stage.from.args[1];
      if (!stage.asKeyword || !asWord) {
        return;
      }
      const lower = keyword === keyword.toLowerCase();
      const upper = keyword === keyword.toUpperCase();
      if (lower === upper) {
        return;
      }
      const expected = lower ? stage.asKeyword.toLowerCase() : stage.asKeyword.toUpperCase();
      if (stage.asKeyword === expected) {
        return;
      }
      ctx.report({
        at: asWord.range,
        message: `"${stage.asKeyword}" does not match the casing of "${keyword}": write "${expected}"`,
        fix: replaceFix(ctx.dockerfile, asWord.range, expected, `write "${expected}"`),
      });
    },
  },
});
