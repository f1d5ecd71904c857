// Why: apt-get asks "Do you want to continue? [Y/n]" before installing extra packages, upgrading
// or removing; in a build stdin is not a terminal, so apt-get reads end-of-file and aborts (hadolint
// DL3014). DEBIAN_FRONTEND=noninteractive does not answer this prompt: it only silences debconf.
//
// What counts as "yes" (apt-get(8)): -y / --yes / --assume-yes; -qq or -q=2, since "quiet level 2
// implies -y"; `-o APT::Get::Assume-Yes=true`; simulation (-s), which never prompts; `yes |`
// before the command; and an apt.conf snippet with APT::Get::Assume-Yes written earlier in the
// stage. hadolint also accepts a single -q, which does not imply yes; this rule does not.
import type { DockerInstruction } from '../../parse/dockerfile.js';
import type { ShellWord } from '../../parse/shell.js';
import { aptSubcommand, argValues, hasFlag, invocations, type Invocation } from '../../parse/shell-query.js';
import { APT_CONFIRMING_SUBCOMMANDS, aptSubcommandWord } from '../lib/apt.js';
import { insertFix } from '../lib/helpers.js';
import { instructionsBefore } from '../lib/stage-history.js';
import { defineRule } from '../rule.js';

const ASSUME_YES = /APT::Get::Assume-Yes\s*(=|\s)\s*"?(true|1|yes)"?/i;

export const aptMissingYes = defineRule({
  id: 'dockerfile/apt-missing-yes',
  meta: {
    title: 'apt-get install without -y',
    severity: 'warning',
    rationale:
      'apt-get stops at "Do you want to continue? [Y/n]" whenever it must install more than the named packages or remove something, which is nearly always the case on a slim base. During a build stdin is not a terminal, so apt-get reads end-of-file and aborts, and the build fails at a step that passed for whoever last ran it with a different package state. DEBIAN_FRONTEND=noninteractive does not help: it only silences debconf questions.',
    remediation: 'Add -y (or --yes) to apt-get install, upgrade, remove and the other commands that ask for confirmation.',
    fixable: 'safe',
    hadolint: ['DL3014'],
  },
  hooks: {
    runCommand(call, ctx) {
      const subcommand = aptSubcommand(call);
      if (subcommand === null || !APT_CONFIRMING_SUBCOMMANDS.has(subcommand) || answersYes(call.args)) {
        return;
      }
      if (pipedFromYes(call, ctx.calls) || assumeYesConfigured(instructionsBefore(ctx.stage, ctx.run))) {
        return;
      }
      const word = aptSubcommandWord(call);
      ctx.report({
        at: call.command.range,
        message: `${call.program} ${subcommand} in stage "${ctx.stage.label}" has no -y and aborts at the confirmation prompt in a build; add -y`,
        ...(word && !ctx.run.jsonForm ? { fix: insertFix(ctx.dockerfile, word.range.end, ' -y', 'add -y') } : {}),
      });
    },
  },
});

function answersYes(args: readonly ShellWord[]): boolean {
  if (hasFlag(args, '-y', '--yes', '--assume-yes', '-s', '--simulate', '--just-print', '--dry-run', '--recon', '--no-act')) {
    return true;
  }
  if (quietLevel(args) >= 2) {
    return true;
  }
  // `-o APT::Get::Assume-Yes=true`, `-oAPT::Get::Assume-Yes=1`.
  return argValues(args).some((value) => ASSUME_YES.test(value));
}

/** The quiet level: each -q counts one (`-qq` two), `-q=N` / `--quiet=N` set it. */
function quietLevel(args: readonly ShellWord[]): number {
  let level = 0;
  for (const value of argValues(args)) {
    const explicit = /^(?:-q|--quiet)=(\d+)$/.exec(value);
    if (explicit) {
      level = Number(explicit[1]);
    } else if (value === '--quiet') {
      level += 1;
    } else if (/^-[A-Za-z]+$/.test(value)) {
      level += [...value.slice(1)].filter((letter) => letter === 'q').length;
    }
  }
  return level;
}

/** `yes | apt-get install ...`: the call is fed by `yes` in the same pipeline. */
function pipedFromYes(call: Invocation, calls: readonly Invocation[]): boolean {
  const pipeline = call.command.pipeline;
  if (!pipeline || pipeline.position === 0) {
    return false;
  }
  return calls.some((other) => other.program === 'yes' && other.command.pipeline !== null
    && other.command.index < call.command.index && other.command.pipeline.position === pipeline.position - 1);
}

/** An apt.conf snippet setting APT::Get::Assume-Yes, written by an earlier RUN or a COPY heredoc. */
function assumeYesConfigured(before: readonly DockerInstruction[]): boolean {
  for (const instruction of before) {
    if (instruction.heredocs.some((heredoc) => ASSUME_YES.test(heredoc.content))) {
      return true;
    }
    if (instruction.kind === 'run' && invocations(instruction.shell).some((other) => argValues(other.args).some((value) => ASSUME_YES.test(value)))) {
      return true;
    }
  }
  return false;
}
