// Why: pip keeps every wheel it downloads or builds in ~/.cache/pip, and uv in ~/.cache/uv; in a
// RUN that cache is committed with the layer (hadolint DL3042). For torch and its CUDA wheels that
// is gigabytes. pip's own switches: --no-cache-dir or PIP_NO_CACHE_DIR (pip disables the cache for
// any boolean value, even "false", for backward compatibility; pip/_internal/cli/cmdoptions.py);
// uv's: --no-cache / -n or UV_NO_CACHE.
//
// Pairing: with BuildKit in use, cache/install-without-cache-mount advises a cache mount for the
// same RUN, so this rule stays silent (one RUN never gets both). Caches in builder stages never
// reach the final image, so only stages that ship count.
import type { DockerInstruction } from '../../parse/dockerfile.js';
import type { ShellCommand } from '../../parse/shell.js';
import { argsWithoutFlags, argValues, hasFlag, invocations, pipInstall, type Invocation } from '../../parse/shell-query.js';
import { buildKitInUse, hasCacheMount, insertFix } from '../lib/helpers.js';
import { instructionsBefore } from '../lib/stage-history.js';
import { defineRule } from '../rule.js';

// strtobool's vocabulary; pip turns the cache off for any of them.
const PIP_BOOLEAN = /^(y|yes|t|true|on|1|n|no|f|false|off|0)$/i;
const UV_TRUE = /^(y|yes|t|true|on|1)$/i;

export const pipWithoutNoCacheDir = defineRule({
  id: 'dockerfile/pip-without-no-cache-dir',
  meta: {
    title: 'pip install keeps its download cache in the layer',
    severity: 'warning',
    rationale:
      'pip stores every wheel it downloads in ~/.cache/pip (uv in ~/.cache/uv), and inside a RUN that cache is committed with the layer. For a PyTorch image that means a second copy of torch and its nvidia-* CUDA wheels, often 2 to 5 GB, shipped in the image and pulled by every node that runs it, while nothing ever reads it again.',
    remediation:
      'Add --no-cache-dir to pip install (--no-cache to uv pip install), or set ENV PIP_NO_CACHE_DIR=1 (UV_NO_CACHE=1) once in the stage; with BuildKit, mount a cache on /root/.cache/pip instead.',
    fixable: 'safe',
    hadolint: ['DL3042'],
  },
  hooks: {
    runCommand(call, ctx) {
      const install = pipInstall(call);
      if (!install || install.args.length === 0 || !ctx.stage.shipsInFinal) {
        return;
      }
      if (buildKitInUse(ctx.dockerfile, ctx.entry) || hasCacheMount(ctx.run, install.tool)) {
        return;
      }
      const uv = install.tool === 'uv';
      const variable = uv ? 'UV_NO_CACHE' : 'PIP_NO_CACHE_DIR';
      const accepted = uv ? UV_TRUE : PIP_BOOLEAN;
      if (uv ? hasFlag(install.args, '--no-cache', '-n') : hasFlag(install.args, '--no-cache-dir')) {
        return;
      }
      const inScope = ctx.run.scope.get(variable);
      if (inScope !== undefined && accepted.test(inScope)) {
        return;
      }
      const earlier = ctx.calls.filter((other) => other.command.index < call.command.index);
      if (setsOnCommand(call.command, variable, accepted) || earlier.some((other) => other.program === 'export' && setsOnCommand(other.command, variable, accepted))) {
        return;
      }
      const later = ctx.calls.filter((other) => other.command.index > call.command.index);
      if (later.some((other) => clearsCache(other, install.tool))) {
        return;
      }
      if (!uv && pipConfigDisablesCache(instructionsBefore(ctx.stage, ctx.run))) {
        return;
      }
      const flag = uv ? '--no-cache' : '--no-cache-dir';
      const installWord = call.args[call.args.length - install.args.length - 1];
      ctx.report({
        at: call.command.range,
        message: `${uv ? 'uv pip install' : 'pip install'} in stage "${ctx.stage.label}" keeps its download cache in the layer; add ${flag} or set ${variable}=1`,
        ...(installWord && !ctx.run.jsonForm ? { fix: insertFix(ctx.dockerfile, installWord.range.end, ` ${flag}`, `add ${flag}`) } : {}),
      });
    },
  },
});

/** `PIP_NO_CACHE_DIR=1 pip install`, `env PIP_NO_CACHE_DIR=1 pip install` or `export PIP_NO_CACHE_DIR=1`. */
function setsOnCommand(command: ShellCommand, variable: string, accepted: RegExp): boolean {
  if (command.assignments.some((assignment) => assignment.name === variable && assignment.value !== null && accepted.test(assignment.value))) {
    return true;
  }
  return argValues(command.args).some((value) => value.startsWith(`${variable}=`) && accepted.test(value.slice(variable.length + 1)));
}

/** `rm -rf /root/.cache/pip`, `pip cache purge`, `uv cache clean` after the install. */
function clearsCache(call: Invocation, tool: 'pip' | 'uv'): boolean {
  const values = argValues(call.args);
  if (call.program === 'rm') {
    const cache = tool === 'uv' ? /^(~|\$HOME|\$\{HOME\}|\/root)\/\.cache(\/uv)?\/?\*?$/ : /^(~|\$HOME|\$\{HOME\}|\/root)\/\.cache(\/pip)?\/?\*?$/;
    return argsWithoutFlags(call.args).some((word) => cache.test((word.value ?? word.text).replace(/^["']|["']$/g, '')));
  }
  if (tool === 'uv') {
    return call.program === 'uv' && values[0] === 'cache' && values[1] === 'clean';
  }
  if (call.program !== null && /^pip(\d+(\.\d+)?)?$/.test(call.program)) {
    return values[0] === 'cache' && values[1] === 'purge';
  }
  if (call.program !== null && /^python(\d+(\.\d+)?)?$/.test(call.program)) {
    const m = values.indexOf('-m');
    return m >= 0 && values[m + 1] === 'pip' && values[m + 2] === 'cache' && values[m + 3] === 'purge';
  }
  return false;
}

/** `pip config set global.no-cache-dir ...` or a pip.conf with no-cache-dir written earlier in the stage. */
function pipConfigDisablesCache(before: readonly DockerInstruction[]): boolean {
  for (const instruction of before) {
    if (instruction.heredocs.some((heredoc) => /no-cache-dir\s*=/.test(heredoc.content))) {
      return true;
    }
    if (instruction.kind !== 'run') {
      continue;
    }
    for (const call of invocations(instruction.shell)) {
      const values = argValues(call.args);
      if (values.some((value) => /no-cache-dir\s*=|^(global|install)\.no-cache-dir$/.test(value))) {
        return true;
      }
    }
  }
  return false;
}
