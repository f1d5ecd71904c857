// Why: in shell form Docker runs CMD/ENTRYPOINT as `/bin/sh -c "<text>"`, so PID 1 is the shell:
// SIGTERM from `docker stop` or Kubernetes goes to sh, not to the program, which is killed after the
// grace period instead of shutting down cleanly (hadolint DL3025; BuildKit JSONArgsRecommended).
//
// BuildKit's check (dockerfile2llb dispatchCmd/dispatchEntrypoint) fires only when no SHELL is in
// effect: an explicit SHELL in the stage, or in a stage it builds on, says the shell wrapper is
// wanted. This rule does the same. Text that starts with `[` but is not valid JSON (single quotes,
// say) is shell form to Docker too, and is reported with that reason.
import type { Dockerfile, DockerInstruction } from '../../parse/dockerfile.js';
import { parseShell } from '../../parse/shell.js';
import type { Fix } from '../finding.js';
import { replaceFix } from '../lib/helpers.js';
import { shellInstructionBefore } from '../lib/stage-history.js';
import { defineRule } from '../rule.js';

export const shellFormCmdEntrypoint = defineRule({
  id: 'dockerfile/shell-form-cmd-entrypoint',
  meta: {
    title: 'CMD or ENTRYPOINT in shell form',
    severity: 'warning',
    rationale:
      'In shell form the container\'s PID 1 is /bin/sh, not the program: SIGTERM from docker stop or a Kubernetes rollout goes to the shell, which does not pass it on, so an inference server or training job is killed after the grace period instead of draining requests or writing its checkpoint. A shell-form ENTRYPOINT also ignores the CMD and any arguments given to docker run.',
    remediation:
      'Write CMD and ENTRYPOINT in exec form, e.g. `CMD ["python", "-m", "server"]`; when shell features are needed, use an entrypoint script that ends with `exec "$@"`, or declare the shell explicitly with SHELL.',
    fixable: 'unsafe',
    hadolint: ['DL3025'],
    buildkitCheck: 'JSONArgsRecommended',
  },
  hooks: {
    instruction(instruction, ctx) {
      if ((instruction.keyword !== 'CMD' && instruction.keyword !== 'ENTRYPOINT') || !ctx.stage) {
        return;
      }
      const text = instruction.argsText.trim();
      if (text === '' || (instruction.jsonForm && instruction.jsonArgs.length > 0) || /^\[\s*\]$/.test(text)) {
        return;
      }
      if (shellInstructionBefore(ctx.stage, instruction)) {
        return;
      }
      const keyword = instruction.keyword;
      if (text.startsWith('[')) {
        ctx.report({
          at: instruction.range,
          message: `exec-form ${keyword} in stage "${ctx.stage.label}" is not valid JSON (use double quotes), so Docker runs it through /bin/sh -c`,
        });
        return;
      }
      const fix = execFormFix(instruction, ctx.dockerfile);
      ctx.report({
        at: instruction.range,
        message: `shell-form ${keyword} in stage "${ctx.stage.label}" makes /bin/sh PID 1, so the program does not receive SIGTERM; use the exec form ["...", "..."]`,
        ...(fix ? { fix } : {}),
      });
    },
  },
});

/** Rewrites a single plain command (`python app.py --port 80`) as exec form; null when shell features are used. */
function execFormFix(instruction: DockerInstruction, dockerfile: Dockerfile): Fix | null {
  if (!instruction.argsRange || instruction.argsText.includes('\n') || /[$*?[\]~&|;<>(){}`\\#]/.test(instruction.argsText)) {
    return null;
  }
  const script = parseShell(instruction.argsText);
  const command = script.commands[0];
  if (script.errors.length > 0 || script.commands.length !== 1 || !command || command.name === null
    || command.assignments.length > 0 || command.redirects.length > 0 || command.args.some((word) => word.value === null)) {
    return null;
  }
  const words = [command.name, ...command.args.map((word) => word.value ?? '')];
  const argv = words[0] === 'exec' ? words.slice(1) : words;
  if (argv.length === 0) {
    return null;
  }
  return replaceFix(dockerfile, instruction.argsRange, `[${argv.map((word) => JSON.stringify(word)).join(', ')}]`, 'use the exec form', 'unsafe');
}
