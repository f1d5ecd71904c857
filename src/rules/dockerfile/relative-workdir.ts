// Why: a relative WORKDIR resolves against the working directory of the base image, which the
// Dockerfile does not control and which changes between images and releases (hadolint DL3000;
// BuildKit WorkdirRelativePath).
//
// BuildKit's check (dockerfile2llb dispatchWorkdir) looks only at the first WORKDIR set in the
// Dockerfile for a stage, counting the stages it builds on (`workdirSet` is inherited): once an
// absolute WORKDIR is set, later relative ones resolve against it and are fine; a relative first
// one is reported and the ones after it are not (fixing the first fixes them). This rule does the
// same, after expanding ARG/ENV variables as Docker does.
import type { DockerInstruction } from '../../parse/dockerfile.js';
import { expand } from '../../parse/expand.js';
import { quote } from '../lib/helpers.js';
import { instructionsBefore } from '../lib/stage-history.js';
import { defineRule } from '../rule.js';

export const relativeWorkdir = defineRule({
  id: 'dockerfile/relative-workdir',
  meta: {
    title: 'Relative WORKDIR with no absolute WORKDIR before it',
    severity: 'warning',
    rationale:
      'A relative WORKDIR is resolved against the base image\'s working directory, which is / in ubuntu but /workspace in the NGC PyTorch images and something else again in other bases. Swapping or upgrading the base image then silently moves where files are copied and where the CMD runs, and the Dockerfile alone no longer says where anything lives.',
    remediation: 'Make the first WORKDIR of each stage lineage absolute (e.g. `WORKDIR /opt/app`); later ones may then be relative to it.',
    hadolint: ['DL3000'],
    buildkitCheck: 'WorkdirRelativePath',
  },
  hooks: {
    instruction(instruction, ctx) {
      if (instruction.keyword !== 'WORKDIR' || !ctx.stage) {
        return;
      }
      if (instructionsBefore(ctx.stage, instruction).some((earlier) => earlier.keyword === 'WORKDIR')) {
        return;
      }
      const path = workdirPath(instruction, ctx.dockerfile.escape);
      if (path === null || isAbsolute(path)) {
        return;
      }
      const shown = path === instruction.argsText.trim() ? quote(path) : `${quote(instruction.argsText.trim())} (${quote(path)})`;
      ctx.report({
        at: instruction.argsRange ?? instruction.range,
        message: `relative WORKDIR ${shown} in stage "${ctx.stage.label}" has no absolute WORKDIR before it, so it depends on the base image's working directory; use an absolute path`,
      });
    },
  },
});

/** The WORKDIR path after variable expansion and quote removal; null when a variable at its start is unknown. */
function workdirPath(instruction: DockerInstruction, escape: string): string | null {
  const raw = instruction.argsText.trim();
  if (raw === '') {
    return null;
  }
  const unquoted = /^(["']).*\1$/s.test(raw) ? raw.slice(1, -1) : raw;
  const expansion = expand(unquoted, instruction.scope, escape);
  if (!expansion.resolved && !isAbsolute(expansion.value)) {
    // `WORKDIR $HOME/app` with HOME unknown here: it may well be absolute.
    return null;
  }
  return expansion.value;
}

function isAbsolute(path: string): boolean {
  // Windows images accept `C:\app` and `\app` as well.
  return path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(path);
}
