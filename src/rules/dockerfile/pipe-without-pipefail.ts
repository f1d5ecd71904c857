// Why: a pipeline's exit status is its last command's, so `curl -fsSL URL | tar -xz` succeeds when
// curl fails half-way and the build goes on with a truncated download (hadolint DL4006). pipefail
// fixes that, but it must be on in the shell that runs the RUN: the SHELL instruction
// (`SHELL ["/bin/bash", "-o", "pipefail", "-c"]`) or `set -o pipefail` before the pipe.
//
// Not reported: pipelines whose earlier commands cannot fail in a way that matters (`echo`,
// `printf`, `yes`, `true`: with pipefail, `yes | cmd` would even fail on SIGPIPE), pipelines
// already guarded with `|| ...`, pipelines inside `$(...)`, exec-form RUNs, and RUNs whose SHELL is
// not a POSIX shell (PowerShell, cmd).
import type { RunInstruction } from '../../parse/dockerfile.js';
import type { ShellCommand } from '../../parse/shell.js';
import { setsPipefail } from '../../parse/shell-query.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

const HARMLESS_PRODUCERS = new Set(['echo', 'printf', 'yes', 'true']);
const NON_POSIX_SHELLS = new Set(['pwsh', 'powershell', 'powershell.exe', 'pwsh.exe', 'cmd', 'cmd.exe']);

export const pipeWithoutPipefail = defineRule({
  id: 'dockerfile/pipe-without-pipefail',
  meta: {
    title: 'Pipe in RUN without pipefail',
    severity: 'warning',
    rationale:
      'A pipeline reports only its last command\'s status, so `wget -qO- https://.../cudnn.tar.xz | tar -xJ` or `curl ... | gpg --dearmor -o key.gpg` succeeds when the download fails and the image is built without the library or with an empty key; the failure then shows up at run time on a GPU node. The default /bin/sh -c runs dash on Debian and Ubuntu, which has no pipefail in the versions those images ship (`set -o pipefail` fails with "Illegal option"), so the fix belongs in the SHELL instruction.',
    remediation:
      'Add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the RUN (on Alpine, `SHELL ["/bin/ash", "-eo", "pipefail", "-c"]`), or start a bash RUN with `set -o pipefail`.',
    hadolint: ['DL4006'],
  },
  hooks: {
    instruction(instruction, ctx) {
      if (instruction.kind !== 'run' || !instruction.shell || instruction.jsonForm || !ctx.stage) {
        return;
      }
      const run = instruction;
      const shell = instruction.shell;
      const program = (run.shellCommand[0] ?? '').split(/[\\/]/).pop()?.toLowerCase() ?? '';
      if (NON_POSIX_SHELLS.has(program) || hasPipefailOption(run.shellCommand) || heredocShellHasPipefail(run)) {
        return;
      }
      const commands = shell.commands;
      for (const first of commands) {
        if (first.pipeline?.position !== 0 || first.inSubstitution) {
          continue;
        }
        const parts = pipelineParts(commands, first);
        const producers = parts.slice(0, -1);
        const last = parts[parts.length - 1];
        if (!last || producers.every((part) => part.program !== null && HARMLESS_PRODUCERS.has(part.program))) {
          continue;
        }
        const next = commands[last.index + 1];
        if (next && next.afterOr && !last.afterOr) {
          continue;
        }
        if (setsPipefail(shell, first)) {
          return;
        }
        const risky = producers.find((part) => part.program === null || !HARMLESS_PRODUCERS.has(part.program));
        ctx.report({
          at: first.range,
          message: `pipe from ${quote(risky?.program ?? risky?.text ?? 'a command')} into ${quote(last.program ?? last.text)} in stage "${ctx.stage.label}" runs under ${quote(run.shellCommand.join(' '))} without pipefail, so a failure of ${quote(risky?.program ?? 'the first command')} is ignored; set SHELL ["/bin/bash", "-o", "pipefail", "-c"]`,
        });
        return;
      }
    },
  },
});

/** The commands of the pipeline that starts with `first`, in order. */
function pipelineParts(commands: readonly ShellCommand[], first: ShellCommand): ShellCommand[] {
  const length = first.pipeline?.length ?? 1;
  const parts: ShellCommand[] = [];
  for (const command of commands) {
    if (command.index < first.index || parts.length >= length) {
      continue;
    }
    if (command.pipeline && command.pipeline.length === length && command.pipeline.position === parts.length && !command.inSubstitution) {
      parts.push(command);
    }
  }
  return parts;
}

/** `["/bin/bash", "-o", "pipefail", "-c"]`, `["/bin/bash", "-euxo", "pipefail", "-c"]`. */
function hasPipefailOption(words: readonly string[]): boolean {
  return words.some((word, index) => /^-[a-zA-Z]*o$/.test(word) && words[index + 1] === 'pipefail');
}

/**
 * `RUN <<EOF bash -o pipefail`: the model does not keep the heredoc opener's shell flags, so this
 * reads that line. (A shebang such as `#!/bin/bash -eo pipefail` does not count: Linux passes
 * "-eo pipefail" to bash as one argument.)
 */
function heredocShellHasPipefail(run: RunInstruction): boolean {
  if (run.heredocs.length === 0 || !/^<<-?["']?[A-Za-z_]/.test(run.argsText)) {
    return false;
  }
  const opener = run.argsText.split('\n')[0] ?? '';
  return hasPipefailOption(opener.split(/\s+/).slice(1));
}
