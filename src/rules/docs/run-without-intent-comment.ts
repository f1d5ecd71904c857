// Why: PLAN.md 6.2 ("RUN block comment requirements") asks that every meaningful RUN be preceded by
// a comment saying why its package group exists, why this install method, whether the
// dependencies are runtime or build-only, and what the cleanup saves. A RUN counts as meaningful
// (non-trivial) when its body runs more than one command; `set -eux` and similar shell option
// lines do not count, and neither do commands inside `$(...)`. A single long command is left
// alone: one command says what it does.
//
// Only the comment directly above the RUN counts (no blank line between); comments inside the
// RUN's continuation lines are dropped by Docker and easy to lose in an edit, and tool pragmas
// (`# hadolint ignore=...`) are not documentation.
import { intentComments } from '../lib/doc-comments.js';
import { defineRule } from '../rule.js';

// Shell built-ins that set up the script rather than do the work.
const SETUP = new Set(['set', 'shopt', 'true', ':', 'umask']);

export const runWithoutIntentComment = defineRule({
  id: 'docs/run-without-intent-comment',
  meta: {
    title: 'Non-trivial RUN without a comment explaining it',
    severity: 'warning',
    rationale:
      'A RUN that chains an apt install, a download, a build and a cleanup is where a base image spends its size and build time, and where the next maintainer has to guess which packages are still needed, which are build-only and why the cleanup is shaped the way it is. A short intent comment above it (why this group, why this method, runtime or build-only, what the cleanup saves) is what lets dependency audits and size work happen without archaeology.',
    remediation:
      'Add a comment directly above the RUN that says why it exists: what needs these packages or files, runtime or build-only, why this install method, and what the cleanup removes.',
  },
  hooks: {
    instruction(instruction, ctx) {
      if (instruction.kind !== 'run' || !instruction.shell || !instruction.stage) {
        return;
      }
      const commands = instruction.shell.commands.filter((command) => !command.inSubstitution && !SETUP.has(command.program ?? ''));
      if (commands.length < 2 || intentComments(instruction).length > 0) {
        return;
      }
      const programs: string[] = [];
      for (const command of commands) {
        const program = command.program ?? '?';
        if (!programs.includes(program)) {
          programs.push(program);
        }
      }
      const shown = programs.slice(0, 4).join(', ') + (programs.length > 4 ? ', ...' : '');
      ctx.report({
        at: instruction.keywordRange,
        message: `RUN with ${commands.length} commands (${shown}) in stage "${instruction.stage.label}" has no comment above it; say why it exists, whether what it installs is runtime or build-only, and what its cleanup saves`,
      });
    },
  },
});
