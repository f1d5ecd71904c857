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
    // `command -v x` and `command -V x` only ask where x is; they do not run it.
    if (program === 'command' && /^-[vV]$/.test(args[0]?.value ?? '')) {
      break;
    }
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
      // getopt clusters: the flag closes a run of letters and takes what follows it (`wget -qO- URL`,
      // `wget -qO/tmp/x`) or the next word (`curl -fsSLo file URL`).
      const cluster = /^-([A-Za-z]{2,})(.*)$/s.exec(value);
      if (/^-[A-Za-z]$/.test(flag) && cluster && cluster[1]?.endsWith(flag.slice(1))) {
        const rest = cluster[2] ?? '';
        if (rest !== '') {
          return rest;
        }
        const next = args[i + 1];
        return next ? (next.value ?? next.text) : null;
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

// uv's global options that take a value (https://docs.astral.sh/uv/reference/cli/).
const UV_FLAGS_WITH_VALUE = ['--cache-dir', '--directory', '--project', '--config-file', '--color', '--python-preference', '--allow-insecure-host'];

/** Recognises `pip install`, `pip3.12 install`, `python -m pip install`, `uv pip install`. */
export function pipInstall(call: Invocation): PipInstall | null {
  const program = call.program;
  if (program === null) {
    return null;
  }
  const values = argValues(call.args);
  // General options may come before the subcommand (`pip --no-cache-dir install`, `uv --no-cache pip install`).
  const afterSubcommand = (from: number, name: string, flagsWithValue: readonly string[]): number => {
    const rest = call.args.slice(from);
    const first = argsWithoutFlags(rest, flagsWithValue)[0];
    return first && (first.value ?? first.text) === name ? from + rest.indexOf(first) + 1 : -1;
  };
  const pipAt = (from: number): PipInstall | null => {
    const at = afterSubcommand(from, 'install', PIP_FLAGS_WITH_VALUE);
    return at >= 0 ? { tool: 'pip', args: call.args.slice(at) } : null;
  };
  const uvAt = (from: number): PipInstall | null => {
    const pip = afterSubcommand(from, 'pip', UV_FLAGS_WITH_VALUE);
    const at = pip >= 0 ? afterSubcommand(pip, 'install', PIP_FLAGS_WITH_VALUE) : -1;
    return at >= 0 ? { tool: 'uv', args: call.args.slice(at) } : null;
  };
  if (/^pip(\d+(\.\d+)?)?$/.test(program)) {
    return pipAt(0);
  }
  if (/^python(\d+(\.\d+)?)?$/.test(program)) {
    const m = values.indexOf('-m');
    if (m >= 0 && values[m + 1] === 'pip') {
      return pipAt(m + 2);
    }
    if (m >= 0 && values[m + 1] === 'uv') {
      return uvAt(m + 2);
    }
  }
  if (program === 'uv') {
    return uvAt(0);
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
    // Any `-o pipefail` counts, not only the first `-o` (`set -o errexit -o pipefail`).
    return values.some((value, o) => /^-[a-zA-Z]*o$/.test(value) && values[o + 1] === 'pipefail');
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
