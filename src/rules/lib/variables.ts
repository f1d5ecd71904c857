/**
 * Variable references and declarations for the BuildKit-style variable checks (UndefinedVar,
 * UndefinedArgInFrom, InvalidDefaultArgInFrom): where `$NAME` / `${NAME...}` appear in an
 * instruction, which names a stage declares, and what the global ARGs expand to by default.
 * Pure functions of the model, like the rules.
 */
import { AUTOMATIC_PLATFORM_ARGS, type Dockerfile, type DockerInstruction, type Stage } from '../../parse/dockerfile.js';
import { expand, findClose } from '../../parse/expand.js';
import { LineIndex, type Position } from '../../parse/locations.js';
import type { ShellScript } from '../../parse/shell.js';

/** One `$NAME` or `${NAME...}` in a piece of text. */
export interface VariableReference {
  name: string;
  /** Offset of the `$` in the scanned text. */
  start: number;
  /** Offset just past the reference (`}` included). */
  end: number;
  /** The operator after the name inside braces (`:-`, `-`, `:+`, `+`, `:?`, `#`, `/` ...), null for a plain reference. */
  modifier: string | null;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * References in the words of a non-RUN instruction (COPY, ENV, WORKDIR, FROM, ...), the way
 * BuildKit's word lexer sees them: the Dockerfile escape character makes the next `$` literal,
 * single quotes make their content literal, double quotes do not
 * (https://docs.docker.com/reference/dockerfile/#environment-replacement).
 * `quotes: false` scans JSON (exec-form) text, whose quotes are JSON syntax.
 */
export function dockerfileVariableReferences(text: string, escape = '\\', options: { quotes?: boolean } = {}): VariableReference[] {
  return scan(text, { escape, quotes: options.quotes ?? true, comments: false });
}

/**
 * References in shell text (a RUN body as parsed). The shell model (shell.ts) keeps words but does
 * not expose the parameter expansions inside them, and it does not list assignments, `export`,
 * `[ ... ]` tests or loop headers as commands; so this walks the parsed script's text itself with
 * the shell's quoting rules (single quotes literal, `\` escapes, `#` comments at a word start).
 * Replace it with a query over the shell model once shell.ts exposes expansions.
 */
export function shellVariableReferences(text: string): VariableReference[] {
  return scan(text, { escape: '\\', quotes: true, comments: true });
}

function scan(text: string, options: { escape: string; quotes: boolean; comments: boolean }): VariableReference[] {
  const references: VariableReference[] = [];
  let inDouble = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === options.escape) {
      // The escaped character is literal (`\$HOME`); a line continuation is skipped the same way.
      i += 2;
      continue;
    }
    if (options.quotes && ch === "'" && !inDouble) {
      const close = text.indexOf("'", i + 1);
      i = close < 0 ? text.length : close + 1;
      continue;
    }
    if (options.quotes && ch === '"') {
      inDouble = !inDouble;
      i += 1;
      continue;
    }
    if (options.comments && ch === '#' && !inDouble && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? text.length : newline;
      continue;
    }
    if (ch !== '$') {
      i += 1;
      continue;
    }
    if (text[i + 1] === '$') {
      // `$$` is the process id, not a reference to what follows.
      i += 2;
      continue;
    }
    if (text[i + 1] === '{') {
      const close = findClose(text, i + 2);
      if (close < 0) {
        i += 2;
        continue;
      }
      const body = text.slice(i + 2, close);
      // `${#NAME}` (length) and `${!NAME}` (indirection) still read NAME.
      const prefix = /^[#!]/.test(body) && body.length > 1 ? 1 : 0;
      const match = NAME.exec(body.slice(prefix));
      if (match) {
        const rest = body.slice(prefix + match[0].length);
        const modifier = rest === '' ? (prefix ? body[0] ?? null : null) : (/^(:?[-+?=]|##?|%%?|\/\/?|:|\^\^?|,,?|@)/.exec(rest)?.[0] ?? rest.slice(0, 1));
        references.push({ name: match[0], start: i, end: close + 1, modifier });
        // The word after a modifier can hold references of its own (`${A:-$B}`).
        const inner = scan(rest, options).map((reference) => ({
          ...reference,
          start: reference.start + i + 2 + prefix + match[0].length,
          end: reference.end + i + 2 + prefix + match[0].length,
        }));
        references.push(...inner);
      }
      i = close + 1;
      continue;
    }
    const match = NAME.exec(text.slice(i + 1));
    if (match) {
      references.push({ name: match[0], start: i, end: i + 1 + match[0].length, modifier: null });
      i += 1 + match[0].length;
      continue;
    }
    i += 1;
  }
  return references;
}


/**
 * Names a shell body gives a value itself: `NAME=...`, `export/local/declare/readonly NAME=...`,
 * `for NAME in`, `read NAME`, `${NAME:=...}`. Text-based for the reason given at
 * `shellVariableReferences`: the shell model does not list assignments that are not command prefixes.
 */
export function shellAssignedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/(?:^|[\s;&|(`{])([A-Za-z_][A-Za-z0-9_]*)\+?=/g)) {
    names.add(match[1] ?? '');
  }
  for (const match of text.matchAll(/\b(?:for|select)\s+([A-Za-z_][A-Za-z0-9_]*)\b/g)) {
    names.add(match[1] ?? '');
  }
  for (const match of text.matchAll(/\bread\b((?:[ \t]+[^\s;&|]+)+)/g)) {
    for (const word of (match[1] ?? '').trim().split(/\s+/)) {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) {
        names.add(word);
      }
    }
  }
  for (const match of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?=/g)) {
    names.add(match[1] ?? '');
  }
  names.delete('');
  return names;
}

/** Maps offsets in a parsed RUN body's text to positions in the Dockerfile. */
export function shellPositions(script: ShellScript): (offset: number) => Position {
  const index = new LineIndex(script.text);
  return (offset) => script.map(index.positionAt(offset));
}

/** The global ARGs in declaration order, each with the line that declares it. */
export function globalArgs(dockerfile: Dockerfile): Map<string, { value: string | undefined; line: number }> {
  const args = new Map<string, { value: string | undefined; line: number }>();
  for (const instruction of dockerfile.globalArgs) {
    for (const declaration of instruction.declarations) {
      args.set(declaration.name, { value: declaration.value, line: declaration.range.start.line });
    }
  }
  return args;
}

// What BuildKit puts in the automatic platform ARGs on the usual build host (linux/amd64).
const PLATFORM_DEFAULTS: Record<(typeof AUTOMATIC_PLATFORM_ARGS)[number], string> = {
  TARGETPLATFORM: 'linux/amd64',
  TARGETOS: 'linux',
  TARGETARCH: 'amd64',
  TARGETVARIANT: '',
  BUILDPLATFORM: 'linux/amd64',
  BUILDOS: 'linux',
  BUILDARCH: 'amd64',
  BUILDVARIANT: '',
};

/**
 * The global scope of a build run without `--build-arg`: each global ARG takes its default
 * (expanded against the ARGs above it), an ARG without one is the empty string, and the automatic
 * platform ARGs hold linux/amd64 values. This is what BuildKit's InvalidDefaultArgInFrom evaluates.
 */
export function defaultGlobalScope(dockerfile: Dockerfile): Map<string, string> {
  const scope = new Map<string, string>(Object.entries(PLATFORM_DEFAULTS));
  for (const instruction of dockerfile.globalArgs) {
    for (const declaration of instruction.declarations) {
      const value = declaration.value === undefined ? '' : expand(declaration.value, scope, dockerfile.escape).value;
      scope.set(declaration.name, value);
    }
  }
  return scope;
}

/** True for the automatic platform ARGs (`TARGETARCH`, `BUILDPLATFORM`, ...). */
export function isPlatformArg(name: string): boolean {
  return (AUTOMATIC_PLATFORM_ARGS as readonly string[]).includes(name);
}

/** The stage and the local stages it is built on, nearest first. */
export function stageChain(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let current: Stage | null = stage; current && !chain.includes(current); current = current.base.stage) {
    chain.push(current);
  }
  return chain;
}

/**
 * True when the stage's root is `scratch`: then nothing but the Dockerfile defines variables, and
 * any name it does not declare is certainly empty. For an external base image the image's own ENV
 * is unknown to review.
 */
export function startsFromScratch(stage: Stage): boolean {
  const chain = stageChain(stage);
  return chain[chain.length - 1]?.base.scratch ?? false;
}

/**
 * Names ARG or ENV declare in the local base stages of `stage` (not in the stage itself: its own
 * declarations are in each instruction's `scope` as they come). BuildKit carries a base stage's
 * ARGs into the stages built on it, so they count as declared.
 */
export function baseStageNames(stage: Stage): Set<string> {
  const names = new Set<string>();
  for (const base of stageChain(stage).slice(1)) {
    for (const instruction of base.instructions) {
      for (const name of declaredNames(instruction)) {
        names.add(name);
      }
    }
  }
  return names;
}

/** The names an ARG or ENV instruction declares. */
export function declaredNames(instruction: DockerInstruction): string[] {
  if (instruction.kind === 'arg') {
    return instruction.declarations.map((declaration) => declaration.name);
  }
  if (instruction.kind === 'env') {
    return instruction.pairs.map((pair) => pair.name);
  }
  return [];
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate closest to `name` within edit distance 2 (a case-only difference counts as a
 * match), or null. Names shorter than four characters get no suggestion: `$A` is one edit from
 * every other one-letter name.
 */
export function closestName(name: string, candidates: Iterable<string>): string | null {
  if (name.length < 4) {
    return null;
  }
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === name) {
      continue;
    }
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate);
    if (distance <= 2 && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
