/**
 * What the `script/*` rules ask about a shell build script: the Docker calls it makes (directly,
 * through a wrapper or a function of the script such as `run docker build ...`, or through an
 * array such as `cmd=(docker buildx bake ...); "${cmd[@]}"`), which of them build or push, and
 * where in the script things happen relative to each other.
 */
import type { Position, Range } from '../../parse/locations.js';
import { argValues, invocation } from '../../parse/shell-query.js';
import type { ShellCommand, ShellScript, ShellVariableAssignment, ShellWord } from '../../parse/shell.js';

/** What a Docker call does, as far as the script rules care. */
export type DockerCallKind = 'build' | 'bake' | 'push' | 'tag' | 'imagetools-create' | 'login' | 'check' | 'other';

/** One `docker ...` call of a script. */
export interface DockerCall {
  kind: DockerCallKind;
  /** The words after `docker`, global flags included (for an array: every part of it, appends included). */
  args: ShellWord[];
  /** The subcommand words (`buildx`, `build`); the last one is where a flag is inserted after. */
  subcommand: ShellWord[];
  /** The simple command that runs it (null for an array whose expansion was not found). */
  command: ShellCommand | null;
  /** The array that holds the call, when it is built in one. */
  array: ShellVariableAssignment | null;
  /** Where a finding about the call points: the command, or the array's first assignment. */
  range: Range;
  /** True when the words include `"$@"`, `$*` or an array review cannot see into: flags may come from there. */
  opaque: boolean;
  /** True when it pushes: `docker push`, `--push`, `--output type=registry`/`push=true`, `imagetools create`. */
  pushes: boolean;
}

// Commands that mention `docker` without running it (`command -v docker`, `echo docker build`).
const NOT_RUNNING = new Set(['echo', 'printf', 'type', 'which', 'hash', 'command', 'cat', 'grep', 'test', '[', '[[', 'log', 'info', 'warn', 'die']);
// Wrappers a script's own function may pass its arguments through (`run timeout 300 docker ...`).
const WRAPPERS = new Set(['env', 'sudo', 'timeout', 'nice', 'nohup', 'time', 'exec', 'command', 'stdbuf']);
// docker's global options that take a value (docker --help, "Global Options").
const DOCKER_GLOBAL_WITH_VALUE = new Set(['-c', '--context', '-H', '--host', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey']);

/** Every Docker call of a script, in source order. */
export function dockerCalls(script: ShellScript): DockerCall[] {
  const functions = new Set(script.functions.map((fn) => fn.name));
  const arrays = dockerArrays(script);
  const calls: DockerCall[] = [];
  for (const command of script.commands) {
    const words = dockerWords(command, functions);
    if (words) {
      calls.push(classify(words, command, null, command.range));
    }
  }
  for (const { first, words } of arrays) {
    const site = script.commands.find((command) => script.expansions.some((expansion) => expansion.name === first.name
      && (expansion.subscript === '@' || expansion.subscript === '*') && within(expansion.range, command.range)));
    calls.push(classify(words, site ?? null, first, first.range));
  }
  return calls.sort((a, b) => comparePosition(a.range.start, b.range.start));
}

/** The calls that build or push an image: what makes a script a build script. */
export function buildCalls(calls: readonly DockerCall[]): DockerCall[] {
  return calls.filter((call) => call.kind === 'build' || call.kind === 'bake' || call.kind === 'push' || call.kind === 'tag' || call.kind === 'imagetools-create');
}

/** True when a later step may run this call with flags review cannot see (`docker build "$@"`). */
export function isOpaqueWord(word: ShellWord): boolean {
  return word.value === null && /\$\{?[@*]|\[[@*]\]/.test(word.text);
}

/** The words after `docker` when the command runs Docker, else null. */
function dockerWords(command: ShellCommand, functions: ReadonlySet<string>): ShellWord[] | null {
  const call = invocation(command);
  if (call.program === 'docker') {
    return call.args;
  }
  if (command.program === null || !functions.has(command.program) || NOT_RUNNING.has(command.program)) {
    return null;
  }
  // A function of the script that runs its arguments (`run docker build ...`, `retry 3 docker push`).
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const value = args[i]?.value ?? null;
    if (value === 'docker' || value?.endsWith('/docker')) {
      // Only wrappers, their options and values (`timeout "$T"`), and `NAME=value` may come before.
      const before = args.slice(0, i).map((word) => word.value);
      return before.every((word) => word === null || WRAPPERS.has(word) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || /^-/.test(word) || /^\d/.test(word)) ? args.slice(i + 1) : null;
    }
  }
  return null;
}

/** Arrays whose first element is `docker`, with every later `+=` part appended. */
function dockerArrays(script: ShellScript): { first: ShellVariableAssignment; words: ShellWord[] }[] {
  const found: { first: ShellVariableAssignment; words: ShellWord[] }[] = [];
  for (const assignment of script.assignments) {
    const head = assignment.array?.[0]?.value ?? null;
    if (assignment.append || !assignment.array || (head !== 'docker' && !head?.endsWith('/docker'))) {
      continue;
    }
    const words = assignment.array.slice(1);
    for (const later of script.assignments) {
      if (later.append && later.name === assignment.name && later.array && comparePosition(later.range.start, assignment.range.start) > 0) {
        words.push(...later.array);
      }
    }
    found.push({ first: assignment, words });
  }
  return found;
}

function classify(args: ShellWord[], command: ShellCommand | null, array: ShellVariableAssignment | null, range: Range): DockerCall {
  const values = argValues(args);
  let i = 0;
  while (i < values.length && (values[i] ?? '').startsWith('-')) {
    i += DOCKER_GLOBAL_WITH_VALUE.has(values[i] ?? '') ? 2 : 1;
  }
  const subcommand: ShellWord[] = [];
  const take = (): string | undefined => {
    const word = args[i];
    if (word) {
      subcommand.push(word);
    }
    i += 1;
    return word ? (word.value ?? undefined) : undefined;
  };
  let kind: DockerCallKind = 'other';
  const first = take();
  if (first === 'build' || first === 'builder') {
    kind = first === 'build' || values[i] === 'build' ? 'build' : 'other';
    if (first === 'builder' && kind === 'build') {
      take();
    }
  } else if (first === 'image') {
    const second = take();
    kind = second === 'build' ? 'build' : second === 'push' ? 'push' : second === 'tag' ? 'tag' : 'other';
  } else if (first === 'push' || first === 'tag' || first === 'login') {
    kind = first;
  } else if (first === 'info' || first === 'version') {
    kind = 'check';
  } else if (first === 'buildx') {
    // `docker buildx --builder x build`: buildx's own options come before its subcommand.
    while (i < values.length && (values[i] ?? '').startsWith('-')) {
      i += values[i] === '--builder' ? 2 : 1;
    }
    const second = take();
    if (second === 'build' || second === 'b') {
      kind = 'build';
    } else if (second === 'bake') {
      kind = 'bake';
    } else if (second === 'imagetools') {
      kind = take() === 'create' ? 'imagetools-create' : 'other';
    } else if (second === 'version' || second === 'inspect' || second === 'ls') {
      kind = 'check';
    }
  }
  const opaque = args.some(isOpaqueWord);
  const pushes = kind === 'push' || kind === 'imagetools-create'
    || ((kind === 'build' || kind === 'bake') && (values.some((value) => value === '--push' || value === '--push=true')
      || values.some((value, index) => (value === '-o' || value === '--output') && /type=registry|push=true/.test(values[index + 1] ?? ''))
      || values.some((value) => /^--output=.*(type=registry|push=true)/.test(value))));
  return { kind, args, subcommand, command, array, range, opaque, pushes };
}

/** True when `inner` lies within `outer`. */
export function within(inner: Range, outer: Range): boolean {
  return comparePosition(inner.start, outer.start) >= 0 && comparePosition(inner.end, outer.end) <= 0;
}

/** Orders positions by line, then column. */
export function comparePosition(a: Position, b: Position): number {
  return a.line - b.line || a.column - b.column;
}

/** True when the command sits inside one of the script's function bodies (it runs only when called). */
export function inFunction(script: ShellScript, range: Range): boolean {
  return script.functions.some((fn) => within(range, fn.body));
}

/**
 * Script text with comment lines blanked, for the few questions the parsed form cannot answer
 * (a credentials check spread over variables and a `grep` of config.json). Kept to whole comment
 * lines so that `#` inside words and strings is never touched.
 */
export function codeText(script: ShellScript): string {
  return script.text.split('\n').map((line) => (/^\s*#/.test(line) ? '' : line)).join('\n');
}
