/**
 * The vocabulary rules use to ask questions about parsed shell commands (hadolint's Shell.hs in
 * TypeScript). Rules never match regular expressions against raw RUN text where these answer.
 */
import type { ShellCommand, ShellScript, ShellWord } from './shell.js';

/** A command with wrappers such as `sudo` or `env X=1` peeled off. */
export interface Invocation {
  command: ShellCommand;
  /** The program actually run (`apt-get` for `sudo -E apt-get ...`). */
  program: string | null;
  args: ShellWord[];
  /** The wrappers that were peeled off, outermost first (`sudo`, `env`). */
  wrappers: string[];
}

const WRAPPERS = new Set(['sudo', 'env', 'nice', 'nohup', 'time', 'command', 'exec', 'stdbuf', 'timeout', 'doas', 'eatmydata']);
// Wrapper flags that take a value as the next word (sudo -u root, timeout -s KILL, nice -n 5).
const WRAPPER_FLAGS_WITH_VALUE: Record<string, string[]> = {
  sudo: ['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U'],
  env: ['-u', '-C', '-S'],
  nice: ['-n'],
  timeout: ['-s', '-k'],
  stdbuf: ['-i', '-o', '-e'],
  doas: ['-u', '-C'],
};

/** Peels wrappers (`sudo`, `env`, `nice`, `timeout`, ...) off a command. */
export function invocation(command: ShellCommand): Invocation {
  let program = command.program;
  let args = command.args;
  const wrappers: string[] = [];
  while (program !== null && WRAPPERS.has(program)) {
    wrappers.push(program);
    const withValue = WRAPPER_FLAGS_WITH_VALUE[program] ?? [];
    let i = 0;
    while (i < args.length) {
      const value = args[i]?.value ?? '';
      if (value === '--') {
        i += 1;
        break;
      }
      if (value.startsWith('-') || (program === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(value))) {
        i += withValue.includes(value) ? 2 : 1;
        continue;
      }
      if (program === 'timeout' && /^\d/.test(value)) {
        i += 1;
        continue;
      }
      break;
    }
    const next = args[i];
    if (!next) {
      return { command, program: null, args: [], wrappers };
    }
    program = next.value === null ? null : (next.value.split('/').pop() ?? next.value);
    args = args.slice(i + 1);
  }
  return { command, program, args, wrappers };
}

/** The literal values of the words, with dynamic words given as written. */
export function argValues(args: readonly ShellWord[]): string[] {
  return args.map((word) => word.value ?? word.text);
}

/**
 * True when any of `flags` is present. Long flags match `--flag` and `--flag=value`; single-letter
 * flags also match inside a cluster (`-qy` has `-y`).
 */
export function hasFlag(args: readonly ShellWord[], ...flags: string[]): boolean {
  return findFlag(args, ...flags) !== undefined;
}

/** The first word that carries one of `flags` (see `hasFlag`). */
export function findFlag(args: readonly ShellWord[], ...flags: string[]): ShellWord | undefined {
  for (const word of args) {
    const value = word.value ?? word.text;
    if (value === '--') {
      return undefined;
    }
    for (const flag of flags) {
      if (value === flag || (flag.startsWith('--') && value.startsWith(`${flag}=`))) {
        return word;
      }
      if (/^-[A-Za-z]$/.test(flag) && /^-[A-Za-z]{2,}$/.test(value) && value.includes(flag.slice(1))) {
        return word;
      }
    }
  }
  return undefined;
}

/** The value given to a flag (`-o file`, `--output=file`, `--output file`), or null. */
export function flagValue(args: readonly ShellWord[], ...flags: string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const value = args[i]?.value ?? args[i]?.text ?? '';
    for (const flag of flags) {
      if (value === flag) {
        const next = args[i + 1];
        return next ? (next.value ?? next.text) : null;
      }
      if (flag.startsWith('--') && value.startsWith(`${flag}=`)) {
        return value.slice(flag.length + 1);
      }
      if (/^-[A-Za-z]$/.test(flag) && value.startsWith(flag) && value.length > 2 && !value.startsWith('--')) {
        return value.slice(2);
      }
    }
  }
  return null;
}

/**
 * Positional words, skipping flags and the values of flags listed in `flagsWithValue`
 * (`-o file`); everything after `--` is positional.
 */
export function argsWithoutFlags(args: readonly ShellWord[], flagsWithValue: readonly string[] = []): ShellWord[] {
  const positional: ShellWord[] = [];
  let onlyPositional = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (!word) {
      continue;
    }
    const value = word.value ?? word.text;
    if (onlyPositional) {
      positional.push(word);
      continue;
    }
    if (value === '--') {
      onlyPositional = true;
      continue;
    }
    if (value.startsWith('-') && value !== '-') {
      if (flagsWithValue.includes(value)) {
        i += 1;
      }
      continue;
    }
    positional.push(word);
  }
  return positional;
}

const APT_PROGRAMS = new Set(['apt-get', 'apt', 'aptitude']);
// apt-get options that take a value as the next word.
const APT_FLAGS_WITH_VALUE = ['-o', '-c', '-t', '--target-release', '--option', '--config-file'];

/** The apt subcommand (`install`, `update`, ...) when the invocation is apt-get/apt/aptitude. */
export function aptSubcommand(call: Invocation): string | null {
  if (call.program === null || !APT_PROGRAMS.has(call.program)) {
    return null;
  }
  const first = argsWithoutFlags(call.args, APT_FLAGS_WITH_VALUE)[0];
  return first ? (first.value ?? first.text) : null;
}

/** True for `apt-get install` / `apt install` / `aptitude install` (wrappers peeled). */
export function isAptInstall(call: Invocation): boolean {
  return aptSubcommand(call) === 'install';
}

/** True for `apt-get update` (and `apt update`). */
export function isAptUpdate(call: Invocation): boolean {
  return aptSubcommand(call) === 'update';
}

/** The packages an apt install names (positional words after `install`). */
export function aptPackages(call: Invocation): ShellWord[] {
  return argsWithoutFlags(call.args, APT_FLAGS_WITH_VALUE).slice(1);
}

/** A pip or uv install, normalised: the tool and the words after `install`. */
export interface PipInstall {
  tool: 'pip' | 'uv';
  /** Words after `install`. */
  args: ShellWord[];
}

const PIP_FLAGS_WITH_VALUE = [
  '-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links',
  '--trusted-host', '-t', '--target', '--prefix', '--root', '--platform', '--python-version', '--implementation',
  '--abi', '--src', '--upgrade-strategy', '--progress-bar', '--cache-dir', '--python', '-p', '--index',
  '--default-index', '--index-strategy', '--keyring-provider', '--config-settings', '-C', '--global-option',
  '--log', '--proxy', '--retries', '--timeout', '--exists-action', '--cert', '--client-cert', '--report',
  '--root-user-action', '-e', '--editable',
];

/** Recognises `pip install`, `pip3.12 install`, `python -m pip install`, `uv pip install`. */
export function pipInstall(call: Invocation): PipInstall | null {
  const program = call.program;
  if (program === null) {
    return null;
  }
  const values = argValues(call.args);
  if (/^pip(\d+(\.\d+)?)?$/.test(program) && values[0] === 'install') {
    return { tool: 'pip', args: call.args.slice(1) };
  }
  if (/^python(\d+(\.\d+)?)?$/.test(program)) {
    const m = values.indexOf('-m');
    if (m >= 0 && values[m + 1] === 'pip' && values[m + 2] === 'install') {
      return { tool: 'pip', args: call.args.slice(m + 3) };
    }
    if (m >= 0 && values[m + 1] === 'uv' && values[m + 2] === 'pip' && values[m + 3] === 'install') {
      return { tool: 'uv', args: call.args.slice(m + 4) };
    }
  }
  if (program === 'uv' && values[0] === 'pip' && values[1] === 'install') {
    return { tool: 'uv', args: call.args.slice(2) };
  }
  return null;
}

/** Requirement words of a pip/uv install (positional words; not `-r` files, not flags' values). */
export function pipRequirements(install: PipInstall): ShellWord[] {
  return argsWithoutFlags(install.args, PIP_FLAGS_WITH_VALUE);
}

/** True when the script turns on `pipefail` (`set -o pipefail`, `set -euo pipefail`) before `before`. */
export function setsPipefail(script: ShellScript, before: ShellCommand): boolean {
  return script.commands.some((command) => {
    if (command.index >= before.index || command.program !== 'set') {
      return false;
    }
    const values = argValues(command.args);
    const o = values.findIndex((value) => /^[-+][a-zA-Z]*o$/.test(value));
    return o >= 0 && values[o + 1] === 'pipefail' && values[o]?.startsWith('-');
  });
}

/** Calls in source order, wrappers peeled. */
export function invocations(script: ShellScript | null): Invocation[] {
  return script ? script.commands.map(invocation) : [];
}

/** True when the word is a URL fetched over the network. */
export function isUrl(value: string): boolean {
  return /^(https?|ftp):\/\//i.test(value);
}

/** URLs among the words of a `curl` or `wget` invocation. */
export function downloadUrls(call: Invocation): ShellWord[] {
  if (call.program !== 'curl' && call.program !== 'wget') {
    return [];
  }
  return call.args.filter((word) => isUrl(word.value ?? word.text.replace(/^["']|["']$/g, '')));
}

/** Where a curl/wget writes what it downloads: a file path, `-` for stdout, or null when unknown. */
export function downloadOutput(call: Invocation): string | null {
  if (call.program === 'curl') {
    const output = flagValue(call.args, '-o', '--output');
    if (output !== null) {
      return output;
    }
    if (hasFlag(call.args, '-O', '--remote-name', '--remote-name-all')) {
      const url = downloadUrls(call)[0];
      const value = url ? (url.value ?? url.text) : '';
      return value.split('?')[0]?.split('/').pop() ?? null;
    }
    return '-';
  }
  if (call.program === 'wget') {
    const output = flagValue(call.args, '-O', '--output-document');
    if (output !== null) {
      return output;
    }
    const url = downloadUrls(call)[0];
    const value = url ? (url.value ?? url.text) : '';
    return value.split('?')[0]?.split('/').pop() ?? null;
  }
  return null;
}
