// Why: without errexit a failed `docker build` is followed by `docker push` of whatever image had
// that tag before; without nounset a misspelt variable becomes an empty tag or path; without
// pipefail `build | tee log` succeeds when the build fails (bash manual, "The Set Builtin").
// pipefail is in POSIX only since Issue 8 (2024), so sh scripts are asked for `set -eu` alone.
import type { Position } from '../../parse/locations.js';
import { argValues } from '../../parse/shell-query.js';
import type { ShellCommand } from '../../parse/shell.js';
import type { ScriptFile } from '../../repo/repo.js';
import type { Fix } from '../finding.js';
import { inFunction } from '../lib/build-script.js';
import { defineRule } from '../rule.js';

type Option = 'errexit' | 'nounset' | 'pipefail';

const LETTERS: Record<string, Option> = { e: 'errexit', u: 'nounset' };
const SHOWN: Record<Option, string> = { errexit: '-e', nounset: '-u', pipefail: '-o pipefail' };

/** Scripts that fail on the first error, an unset variable and a failed pipeline stage. */
export const missingStrictMode = defineRule({
  id: 'script/missing-strict-mode',
  meta: {
    title: 'Shell script without strict mode (set -euo pipefail)',
    severity: 'warning',
    rationale:
      'A script without `set -e` carries on after a failed step: a failed `docker build` is followed by a `docker push` of whatever image had that tag before, and the script still exits 0, so CI and the person running it believe the image was published. Without `set -u` a misspelt or unset variable expands to nothing (an empty tag, `rm -rf "$DIR/"`), and without `set -o pipefail` a pipeline such as `docker build . | tee build.log` succeeds whenever its last stage does. Strict mode has to be on before the first command to protect it. `pipefail` is in POSIX only since Issue 8 (2024) and dash lacks it, so `sh` scripts are asked for `set -eu` only.',
    remediation:
      'Put `set -euo pipefail` (bash) or `set -eu` (sh) right after the shebang and the header comment, before the first command. Where a command may fail on purpose, say so at that command (`cmd || true`, `if cmd; then`).',
    fixable: 'safe',
  },
  hooks: {
    script(script, ctx) {
      const shell = script.shell;
      const topLevel = shell.commands.filter((command) => !inFunction(shell, command.range));
      // A file without a shebang whose top level runs nothing is a library for `source`; the
      // options of the script that sources it apply.
      if (!script.text.startsWith('#!') && topLevel.length === 0) {
        return;
      }
      const required: Option[] = shell.dialect === 'sh' && script.interpreter !== 'bash' ? ['errexit', 'nounset'] : ['errexit', 'nounset', 'pipefail'];
      const enabled = new Set<Option>(shebangOptions(script.text.split('\n')[0] ?? ''));
      const before: ShellCommand[] = [];
      for (const command of topLevel) {
        if (command.program !== 'set') {
          break;
        }
        before.push(command);
        for (const option of setOptions(command)) {
          enabled.add(option);
        }
      }
      const missing = required.filter((option) => !enabled.has(option));
      if (missing.length === 0) {
        return;
      }
      const expected = required.length === 3 ? 'set -euo pipefail' : 'set -eu';
      const firstOther = topLevel.find((command) => command.program !== 'set');
      const late = shell.commands.find((command) => command.program === 'set' && !before.includes(command) && setOptions(command).length > 0);
      const existing = before[before.length - 1];
      const shown = missing.map((option) => SHOWN[option]);
      const lacks = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : (shown[0] ?? '');
      const message = existing
        ? `strict mode is incomplete: ${quoteCommand(existing)} lacks ${lacks}; expected "${expected}" before the first command`
        : late && firstOther
          ? `${quoteCommand(late)} comes after the first command (line ${firstOther.range.start.line}); expected "${expected}" before it`
          : `script runs without strict mode (no ${shown.join(', ')}); expected "${expected}" before the first command`;
      ctx.report({
        // Without any `set`, the whole file is at fault: point at its first line, where the fix goes.
        at: existing?.range ?? late?.range ?? { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
        message,
        ...(required.length === 3 ? { fix: strictModeFix(script, existing ?? null, missing) } : {}),
      });
    },
  },
});

/** The options a `set` command turns on (`-e`, `-eux`, `-o pipefail`, `-Eeuo pipefail`). */
function setOptions(command: ShellCommand): Option[] {
  const options: Option[] = [];
  const values = argValues(command.args);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? '';
    if (!/^-[A-Za-z]+$/.test(value)) {
      continue;
    }
    for (const letter of value.slice(1)) {
      const option = LETTERS[letter];
      if (option) {
        options.push(option);
      }
    }
    if (value.endsWith('o')) {
      const name = values[i + 1];
      if (name === 'errexit' || name === 'nounset' || name === 'pipefail') {
        options.push(name);
      }
      i += 1;
    }
  }
  return options;
}

/** Options given on the shebang line (`#!/bin/bash -eu`, `#!/usr/bin/env bash -e`). */
function shebangOptions(line: string): Option[] {
  const match = /^#!\s*\S+(.*)$/.exec(line);
  if (!match) {
    return [];
  }
  const options: Option[] = [];
  const words = (match[1] ?? '').trim().split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (/^-[A-Za-z]+$/.test(word)) {
      for (const letter of word.slice(1)) {
        const option = LETTERS[letter];
        if (option) {
          options.push(option);
        }
      }
      if (word.endsWith('o') && words[i + 1] === 'pipefail') {
        options.push('pipefail');
      }
    }
  }
  return options;
}

function quoteCommand(command: ShellCommand): string {
  return JSON.stringify(command.text.replace(/\s+/g, ' '));
}

/**
 * Completes an existing `set` (`set -e` becomes `set -euo pipefail`, `set -ex` becomes
 * `set -exuo pipefail`), or inserts `set -euo pipefail` after the shebang and header comment.
 */
function strictModeFix(script: ScriptFile, existing: ShellCommand | null, missing: readonly Option[]): Fix {
  // `set -u` makes a variable the script reads but never sets (`[ $FLAG = true ]`, meant to be
  // optional) a fatal error: then the fix changes behaviour and needs a look (--unsafe).
  const unset = missing.includes('nounset') ? unsetVariables(script) : [];
  const safety = unset.length === 0 ? 'safe' : 'unsafe';
  const description = unset.length === 0
    ? 'turn on strict mode (set -euo pipefail)'
    : `turn on strict mode (set -euo pipefail); check ${unset.map((name) => `$${name}`).join(', ')}, read without a default, which -u makes fatal when unset`;
  if (existing) {
    const values = argValues(existing.args);
    const start = script.lines.offsetAt(existing.range.start);
    const end = script.lines.offsetAt(existing.range.end);
    const letters = missing.filter((option) => option !== 'pipefail').map((option) => (option === 'errexit' ? 'e' : 'u')).join('');
    const pipefail = missing.includes('pipefail');
    const only = values.length === 1 ? values[0] ?? '' : '';
    if (/^-[A-Za-z]+$/.test(only) && !only.endsWith('o')) {
      // One cluster of letters: extend it, so the result reads like the usual idiom.
      const text = `set ${only}${letters}${pipefail ? 'o pipefail' : ''}`;
      return { description, safety, edits: [{ file: script.path, start, end, newText: text }] };
    }
    const added = [letters ? `-${letters}` : '', pipefail ? '-o pipefail' : ''].filter((part) => part !== '').join(' ');
    return { description, safety, edits: [{ file: script.path, start: end, end, newText: ` ${added}` }] };
  }
  const at = headerEnd(script);
  const offset = script.lines.offsetAt(at);
  const text = at.column === 1 ? 'set -euo pipefail\n' : '\nset -euo pipefail';
  return { description, safety, edits: [{ file: script.path, start: offset, end: offset, newText: text }] };
}

/** The position just after the shebang and the comment lines that follow it directly. */
function headerEnd(script: ScriptFile): Position {
  const lines = script.text.split('\n');
  let line = 0;
  while (line < lines.length && (lines[line] ?? '').startsWith('#') && line < lines.length - 1) {
    line += 1;
  }
  if (line === lines.length - 1 && (lines[line] ?? '').startsWith('#')) {
    // The file is all comments without a final newline: append after the last line.
    return { line: line + 1, column: (lines[line] ?? '').length + 1 };
  }
  return { line: line + 1, column: 1 };
}

// Variables the shell or the system sets, which `set -u` never finds unset.
const SHELL_SET = new Set([
  'HOME', 'PATH', 'PWD', 'OLDPWD', 'USER', 'HOSTNAME', 'SHELL', 'IFS', 'UID', 'EUID', 'PPID', 'RANDOM', 'SECONDS', 'LINENO',
  'BASH', 'BASH_SOURCE', 'BASH_VERSION', 'BASH_REMATCH', 'BASH_LINENO', 'FUNCNAME', 'PIPESTATUS', 'OPTARG', 'OPTIND', 'REPLY', 'OSTYPE', 'HOSTTYPE', 'TERM',
]);
// Commands whose name arguments set variables (`read -r a b`, `local x`, `getopts spec opt`).
const SETTERS = new Set(['read', 'local', 'declare', 'typeset', 'export', 'readonly', 'getopts', 'mapfile', 'readarray']);

/** Variables expanded without a default (`$X`, `${X}`) that the script never sets. */
function unsetVariables(script: ScriptFile): string[] {
  const shell = script.shell;
  const set = new Set<string>(shell.assignments.map((assignment) => assignment.name));
  for (const loop of shell.loops) {
    if (loop.variable) {
      set.add(loop.variable);
    }
  }
  for (const command of shell.commands) {
    if (command.program !== null && SETTERS.has(command.program)) {
      for (const value of argValues(command.args)) {
        set.add(value.split('=')[0] ?? value);
      }
    }
  }
  const unset = new Set<string>();
  for (const expansion of shell.expansions) {
    const name = expansion.name;
    // Positional parameters and specials (`$1`, `$@`, `$#`, `$?`) are the caller's business.
    if (expansion.operator !== null || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || set.has(name) || SHELL_SET.has(name)) {
      continue;
    }
    unset.add(name);
  }
  return [...unset].sort();
}
