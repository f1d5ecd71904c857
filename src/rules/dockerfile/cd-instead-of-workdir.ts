// Why: hadolint DL3003 flags every `cd` in a RUN. Most of those are fine: `git clone x && cd x &&
// make install && cd .. && rm -rf x` must stay in one RUN so the sources never reach a layer, and
// a WORKDIR cannot point into a directory the same RUN creates. This rule reports only the two
// cases where WORKDIR is plainly the right tool:
// - a RUN whose first command is `cd DIR` (after `set -e` lines): `WORKDIR DIR` before it does the
//   same, and states the directory to readers and to every later instruction;
// - a RUN that does nothing but `cd DIR`: it has no effect at all, because every RUN starts in the
//   WORKDIR again (https://docs.docker.com/reference/dockerfile/#workdir).
// Never reported: `cd -`, `cd` with no directory, `cd` inside `$(...)`, subshells, loops or
// conditionals; a `cd` into a directory the RUN mounts or deletes again, or into /tmp (WORKDIR
// would leave an empty directory in the image and start later steps there); and targets that
// depend on shell variables set in the RUN.
import type { Dockerfile, RunInstruction } from '../../parse/dockerfile.js';
import { expand } from '../../parse/expand.js';
import type { ShellCommand } from '../../parse/shell.js';
import { argsWithoutFlags } from '../../parse/shell-query.js';
import { quote } from '../lib/helpers.js';
import { defineRule } from '../rule.js';

const SCRATCH = ['/tmp', '/var/tmp', '/dev/shm'];

export const cdInsteadOfWorkdir = defineRule({
  id: 'dockerfile/cd-instead-of-workdir',
  meta: {
    title: 'RUN starts with cd where WORKDIR would do',
    severity: 'info',
    rationale:
      'A RUN that starts with `cd /opt/src &&` hides the working directory inside a shell line: the next RUN, COPY or CMD starts in the WORKDIR again, which surprises whoever adds the next step, and a RUN that only runs `cd` does nothing at all. WORKDIR states the directory once, creates it when missing, and applies to every later instruction, which keeps long CUDA and FFmpeg build recipes readable.',
    remediation: 'Put `WORKDIR <dir>` before the RUN and drop the leading `cd <dir> &&` (keep cd for directories the same RUN creates or removes).',
    hadolint: ['DL3003'],
  },
  hooks: {
    runCommand(call, ctx) {
      const { command } = call;
      if (command.program !== 'cd' || command.inSubstitution || command.pipeline !== null || ctx.run.jsonForm) {
        return;
      }
      const target = argsWithoutFlags(command.args)[0];
      if (!target) {
        return;
      }
      const directory = target.value ?? resolvedFromScope(target.text, ctx.run.scope, ctx.dockerfile.escape);
      if (directory === null || directory === '-' || directory === '') {
        return;
      }
      const earlier = ctx.calls.filter((other) => other.command.index < command.index);
      if (earlier.some((other) => other.command.program !== 'set') || !startsTheBody(ctx.run, ctx.dockerfile, earlier.map((other) => other.command), command)) {
        return;
      }
      if (ctx.run.mounts.some((mount) => mount.target !== null && isUnder(directory, mount.target))) {
        return;
      }
      const later = ctx.calls.filter((other) => other.command.index > command.index && !other.command.inSubstitution);
      // A scratch directory, or one the RUN deletes again, is not a place later instructions
      // should start in: WORKDIR would leave it behind (empty) and move every later step there.
      if (SCRATCH.some((scratch) => isUnder(directory, scratch)) || later.some((other) => other.program === 'rm'
        && argsWithoutFlags(other.args).some((word) => word.value !== null && isUnder(directory, word.value)))) {
        return;
      }
      ctx.report({
        at: command.range,
        message: later.length === 0
          ? `cd ${quote(directory)} is all this RUN in stage "${ctx.stage.label}" does, and it has no effect on later instructions; use WORKDIR ${directory}`
          : `cd ${quote(directory)} starts this RUN in stage "${ctx.stage.label}"; use WORKDIR ${directory} before the RUN instead`,
      });
    },
  },
});

/** A target written with ARG/ENV variables (`cd $SRC_DIR`), when they all resolve. */
function resolvedFromScope(text: string, scope: ReadonlyMap<string, string | undefined>, escape: string): string | null {
  const unquoted = /^"[^"]*"$/.test(text) ? text.slice(1, -1) : text;
  if (/[`'"\\]|\$\(/.test(unquoted)) {
    return null;
  }
  const expansion = expand(unquoted, scope, escape);
  return expansion.resolved ? expansion.value : null;
}

/**
 * True when nothing but `earlier` commands, separators, blanks and comments stands between the
 * start of the RUN body and `command`. The shell model has no nesting information, so this reads
 * the text around the parsed commands: a `for ... do`, `if ...; then`, `(` or `{` before the cd
 * remains and rules the RUN out.
 */
function startsTheBody(run: RunInstruction, dockerfile: Dockerfile, earlier: readonly ShellCommand[], command: ShellCommand): boolean {
  const heredocBody = run.heredocs[0]?.contentRange?.start;
  const bodyStart = heredocBody && /^<<-?["']?[A-Za-z_]/.test(run.argsText) && command.range.start.line >= heredocBody.line ? heredocBody : run.argsRange?.start;
  if (!bodyStart) {
    return false;
  }
  let cursor = dockerfile.lines.offsetAt(bodyStart);
  let between = '';
  for (const previous of earlier) {
    between += dockerfile.text.slice(cursor, dockerfile.lines.offsetAt(previous.range.start));
    cursor = dockerfile.lines.offsetAt(previous.range.end);
  }
  between += dockerfile.text.slice(cursor, dockerfile.lines.offsetAt(command.range.start));
  const continuation = new RegExp(`${dockerfile.escape === '`' ? '`' : '\\\\'}\\r?\\n`, 'g');
  const residue = between.replace(/(^|\n)\s*#[^\n]*/g, '').replace(continuation, '').replace(/&&|;|\s/g, '');
  return residue === '';
}

/** True when `directory` is `mountTarget` or lies below it. */
function isUnder(directory: string, mountTarget: string): boolean {
  const dir = directory.replace(/\/+$/, '');
  const target = mountTarget.replace(/\/+$/, '');
  return dir === target || dir.startsWith(`${target}/`);
}
