/**
 * The Dockerfile model, built on dockerfile-ast (the parser behind the Docker VS Code language
 * server). This module adds what rules need and dockerfile-ast does not give: stages with ARG and
 * ENV scope, expanded base images, the stage graph, build inputs, attached comments, and RUN
 * bodies parsed once into shell commands.
 */
import { DockerfileParser, Instruction as AstInstructionClass, type Instruction as AstInstruction, type Flag as AstFlag } from 'dockerfile-ast';
import { expand, type Scope } from './expand.js';
import { LineIndex, type Position, type Range } from './locations.js';
import { parseShell, type ShellScript } from './shell.js';

/** A comment line of the Dockerfile (the `#` and one following space removed). */
export interface CommentLine {
  line: number;
  text: string;
}

/** A `--name=value` flag of FROM, RUN, COPY or ADD. */
export interface InstructionFlag {
  name: string;
  value: string | null;
  range: Range;
  /** Parsed `key=value` options (`--mount=type=cache,target=/x`). */
  options: Map<string, string>;
}

/** A word of an instruction's arguments. */
export interface InstructionArg {
  value: string;
  range: Range;
}

/** A `RUN --mount=...` declaration. */
export interface RunMount {
  type: string;
  target: string | null;
  source: string | null;
  from: string | null;
  id: string | null;
  range: Range;
}

/** A here-document embedded in RUN or COPY. */
export interface InstructionHeredoc {
  name: string;
  content: string;
  contentRange: Range | null;
}

interface InstructionBase {
  /** Upper-case keyword (`RUN`). */
  keyword: string;
  /** The keyword as written, for casing checks. */
  keywordText: string;
  range: Range;
  keywordRange: Range;
  /** Arguments after the flags, as written (continuations included). */
  argsText: string;
  argsRange: Range | null;
  args: InstructionArg[];
  flags: InstructionFlag[];
  /** True for the JSON (exec) form `["a", "b"]`. */
  jsonForm: boolean;
  jsonArgs: string[];
  /** The comment lines directly above, with no blank line between them and the instruction. */
  comments: CommentLine[];
  /** Comment lines inside the instruction's continuation lines (Docker drops them). */
  embeddedComments: CommentLine[];
  /** The stage the instruction belongs to; null for ARGs before the first FROM. */
  stage: Stage | null;
  /** Variables in scope just before this instruction (ARG defaults and ENV values). */
  scope: Scope;
  heredocs: InstructionHeredoc[];
}

/** FROM. */
export interface FromInstruction extends InstructionBase {
  kind: 'from';
}

/** RUN, with its body parsed as shell. */
export interface RunInstruction extends InstructionBase {
  kind: 'run';
  mounts: RunMount[];
  /** The shell body; null only when the RUN has no body at all. */
  shell: ShellScript | null;
  /** The shell that runs the body (`SHELL` in effect), e.g. `["/bin/sh", "-c"]`. */
  shellCommand: string[];
}

/** COPY and ADD. */
export interface CopyInstruction extends InstructionBase {
  kind: 'copy' | 'add';
  /** `--from` as written (stage name, index or image), expanded. */
  from: string | null;
  /** The stage `--from` names, when it names one of this Dockerfile's stages. */
  fromStage: Stage | null;
  /** Sources, expanded with the ARGs in scope; heredoc names are not sources. */
  sources: InstructionArg[];
  destination: InstructionArg | null;
}

/** ARG. */
export interface ArgInstruction extends InstructionBase {
  kind: 'arg';
  declarations: { name: string; value: string | undefined; range: Range }[];
}

/** ENV. */
export interface EnvInstruction extends InstructionBase {
  kind: 'env';
  pairs: { name: string; value: string; range: Range; legacy: boolean }[];
}

/** Every other instruction (CMD, ENTRYPOINT, WORKDIR, LABEL, SHELL, USER, ...). */
export interface OtherInstruction extends InstructionBase {
  kind: 'other';
}

/** Any Dockerfile instruction; `kind` tells the shape. */
export type DockerInstruction =
  | FromInstruction
  | RunInstruction
  | CopyInstruction
  | ArgInstruction
  | EnvInstruction
  | OtherInstruction;

/** The image a stage starts from. */
export interface StageBase {
  /** As written after the flags (`${BASE_IMAGE}`). */
  raw: string;
  /** With global ARG defaults applied. */
  expanded: string;
  /** False when an ARG without a default leaves the image unknown. */
  resolved: boolean;
  /** The earlier stage this one builds on, when `expanded` names one. */
  stage: Stage | null;
  scratch: boolean;
  /** Image reference parts, for external images. */
  name: string | null;
  tag: string | null;
  digest: string | null;
  platform: string | null;
  range: Range;
}

/** One build stage (`FROM ... AS name` and what follows). */
export interface Stage {
  index: number;
  /** The `AS` name as written, or null. */
  name: string | null;
  nameRange: Range | null;
  /** The `AS` keyword as written, for casing checks. */
  asKeyword: string | null;
  from: FromInstruction;
  base: StageBase;
  instructions: DockerInstruction[];
  /** The comment block above FROM (blank lines inside it allowed). */
  header: CommentLine[];
  /** Stages this one reads from: its base stage, `COPY --from` and `RUN --mount=from` stages. */
  dependsOn: Stage[];
  /** True for the last stage, the one `docker build` produces without `--target`. */
  isFinal: boolean;
  /** True when the stage's layers end up in the final image (the final stage and its base stages). */
  shipsInFinal: boolean;
  /** The label rules use in messages: the name, or `#index`. */
  label: string;
}

/** A parser directive at the top of the file (`# syntax=`, `# escape=`, `# check=`). */
export interface ParserDirective {
  name: string;
  value: string;
  line: number;
}

/** A Dockerfile, parsed. */
export interface Dockerfile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  text: string;
  lines: LineIndex;
  escape: string;
  directives: ParserDirective[];
  /** ARGs declared before the first FROM. */
  globalArgs: ArgInstruction[];
  stages: Stage[];
  instructions: DockerInstruction[];
  comments: CommentLine[];
  /** True when the file uses BuildKit-only syntax (`# syntax=`, `--mount`, heredocs, `--link`...). */
  usesBuildKit: boolean;
}

/** ARGs BuildKit defines in the global scope without a declaration. */
export const AUTOMATIC_PLATFORM_ARGS = [
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
] as const;

const DIRECTIVE_NAMES = new Set(['syntax', 'escape', 'check']);

// dockerfile-ast tokenises an instruction's arguments again on every getArguments(), getFlags()
// and getArgumentsRange() call, several times per RUN while parsing alone; on 100 large
// Dockerfiles that was a tenth of the review. Instructions never change after parsing, so the
// tokens are memoised per instance.
// Callers splice the returned array (flags are cut off it), so each call gets its own copy.
const argumentCache = new WeakMap<object, unknown[]>();
const instructionPrototype = AstInstructionClass.prototype as unknown as { getRawArguments(this: object): unknown[] };
const tokenise = instructionPrototype.getRawArguments;
instructionPrototype.getRawArguments = function memoisedRawArguments(this: object): unknown[] {
  let tokens = argumentCache.get(this);
  if (!tokens) {
    tokens = tokenise.call(this);
    argumentCache.set(this, tokens);
  }
  return tokens.slice();
};

/** Parses Dockerfile text; never throws on malformed input (unknown lines become instructions). */
export function parseDockerfile(path: string, text: string): Dockerfile {
  const lines = new LineIndex(text);
  const ast = DockerfileParser.parse(text);
  const escape = ast.getEscapeCharacter();
  const directives = readDirectives(lines);
  const astInstructions = ast.getInstructions();

  const covered = new Set<number>();
  for (const instruction of astInstructions) {
    const range = instruction.getRange();
    for (let line = range.start.line + 1; line <= range.end.line + 1; line++) {
      covered.add(line);
    }
  }
  const directiveLines = new Set(directives.map((directive) => directive.line));
  const comments: CommentLine[] = [];
  const commentByLine = new Map<number, CommentLine>();
  for (let line = 1; line <= lines.lineCount; line++) {
    const raw = lines.lineText(line);
    const match = /^\s*#\s?(.*)$/.exec(raw);
    if (match && !directiveLines.has(line)) {
      const comment = { line, text: (match[1] ?? '').trimEnd() };
      comments.push(comment);
      commentByLine.set(line, comment);
    }
  }

  const dockerfile: Dockerfile = {
    path,
    text,
    lines,
    escape,
    directives,
    globalArgs: [],
    stages: [],
    instructions: [],
    comments,
    usesBuildKit: directives.some((directive) => directive.name === 'syntax'),
  };

  const globalScope = new Map<string, string | undefined>();
  for (const name of AUTOMATIC_PLATFORM_ARGS) {
    globalScope.set(name, undefined);
  }
  let stageScope = new Map<string, string | undefined>();
  let current: Stage | null = null;
  let shellCommand = ['/bin/sh', '-c'];
  const shellByStage = new Map<Stage, string[]>();

  for (const node of astInstructions) {
    const keyword = node.getKeyword();
    const scope: Scope = new Map(current ? stageScope : globalScope);
    const base = baseFields(node, lines, commentByLine, covered, current, scope);

    if (keyword === 'FROM') {
      const from: FromInstruction = { ...base, kind: 'from' };
      const stage = newStage(dockerfile, from, globalScope, commentByLine, covered);
      if (stage.base.stage) {
        shellCommand = shellByStage.get(stage.base.stage) ?? ['/bin/sh', '-c'];
      } else {
        shellCommand = ['/bin/sh', '-c'];
      }
      from.stage = stage;
      dockerfile.stages.push(stage);
      dockerfile.instructions.push(from);
      current = stage;
      stageScope = new Map(stage.base.stage ? inheritedEnv(stage.base.stage, escape) : []);
      continue;
    }

    let instruction: DockerInstruction;
    switch (keyword) {
      case 'RUN':
        instruction = buildRun(base, escape, shellCommand);
        if (instruction.mounts.length > 0 || instruction.heredocs.length > 0) {
          dockerfile.usesBuildKit = true;
        }
        break;
      case 'COPY':
      case 'ADD':
        instruction = buildCopy(base, keyword, escape);
        if (instruction.flags.some((flag) => ['link', 'parents', 'exclude', 'checksum', 'keep-git-dir'].includes(flag.name)) || instruction.heredocs.length > 0) {
          dockerfile.usesBuildKit = true;
        }
        break;
      case 'ARG': {
        const declarations = argDeclarations(node);
        instruction = { ...base, kind: 'arg', declarations };
        for (const declaration of declarations) {
          if (current) {
            // Inside a stage, `ARG NAME` without a default takes the global default.
            const value = declaration.value !== undefined
              ? expand(declaration.value, stageScope, escape).value
              : globalScope.get(declaration.name);
            stageScope.set(declaration.name, value);
          } else {
            const value = declaration.value !== undefined ? expand(declaration.value, globalScope, escape).value : undefined;
            globalScope.set(declaration.name, value);
          }
        }
        if (!current) {
          dockerfile.globalArgs.push(instruction);
        }
        break;
      }
      case 'ENV': {
        const pairs = envPairs(node);
        instruction = { ...base, kind: 'env', pairs };
        for (const pair of pairs) {
          // Every pair expands with the values from before the instruction: `ENV abc=bye def=$abc`
          // gives def the old abc (https://docs.docker.com/reference/dockerfile/#environment-replacement).
          stageScope.set(pair.name, expand(pair.value, scope, escape).value);
        }
        break;
      }
      default:
        instruction = { ...base, kind: 'other' };
        if (keyword === 'SHELL' && instruction.jsonArgs.length > 0) {
          shellCommand = instruction.jsonArgs;
          if (current) {
            shellByStage.set(current, shellCommand);
          }
        }
    }
    dockerfile.instructions.push(instruction);
    current?.instructions.push(instruction);
  }

  linkStages(dockerfile);
  return dockerfile;
}

function readDirectives(lines: LineIndex): ParserDirective[] {
  // Directives must come first; the first line that is not one ends them
  // (https://docs.docker.com/reference/dockerfile/#parser-directives).
  const directives: ParserDirective[] = [];
  for (let line = 1; line <= lines.lineCount; line++) {
    const match = /^#\s*([A-Za-z]+)\s*=\s*(.*?)\s*$/.exec(lines.lineText(line).replace(/^\uFEFF/, ''));
    const name = match?.[1]?.toLowerCase();
    if (!match || !name || !DIRECTIVE_NAMES.has(name)) {
      break;
    }
    directives.push({ name, value: match[2] ?? '', line });
  }
  return directives;
}

function toRange(range: { start: { line: number; character: number }; end: { line: number; character: number } }): Range {
  return {
    start: { line: range.start.line + 1, column: range.start.character + 1 },
    end: { line: range.end.line + 1, column: range.end.character + 1 },
  };
}

function baseFields(
  node: AstInstruction,
  lines: LineIndex,
  commentByLine: Map<number, CommentLine>,
  covered: Set<number>,
  stage: Stage | null,
  scope: Scope,
): InstructionBase {
  const range = toRange(node.getRange());
  const argsRangeAst = node.getArgumentsRange();
  const argsRange = argsRangeAst ? toRange(argsRangeAst) : null;
  const argsText = argsRange ? lines.text.slice(lines.offsetAt(argsRange.start), lines.offsetAt(argsRange.end)) : '';
  const flags = 'getFlags' in node && typeof node.getFlags === 'function' ? (node.getFlags() as AstFlag[]).map(toFlag) : [];
  const jsonStrings = 'getJSONStrings' in node && typeof node.getJSONStrings === 'function'
    // getValue() keeps the JSON quotes (`"apt-get"`); getJSONValue() is the string itself, but
    // dockerfile-ast drops blanks inside the quotes (`"a b"` -> `ab`), so decode the quoted source text.
    ? (node.getJSONStrings() as { getJSONValue(): string; getRange(): Parameters<typeof toRange>[0] }[]).map((entry) => jsonString(lines, toRange(entry.getRange())) ?? entry.getJSONValue())
    : [];
  const jsonForm = jsonStrings.length > 0 || /^\s*\[/.test(argsText) && /\]\s*$/.test(argsText);
  // getHeredocs() is public on RUN/COPY/ADD and protected on the base class.
  const withHeredocs = node as unknown as { getHeredocs?: () => { getName(): string; getContentRange(): Parameters<typeof toRange>[0] | null }[] };
  const heredocs = typeof withHeredocs.getHeredocs === 'function'
    ? withHeredocs.getHeredocs().map((heredoc) => {
      const contentRange = heredoc.getContentRange();
      const converted = contentRange ? toRange(contentRange) : null;
      return {
        name: heredoc.getName(),
        content: converted ? lines.text.slice(lines.offsetAt(converted.start), lines.offsetAt(converted.end)) : '',
        contentRange: converted,
      };
    })
    : [];
  const embeddedComments: CommentLine[] = [];
  for (let line = range.start.line + 1; line <= range.end.line; line++) {
    const comment = commentByLine.get(line);
    if (comment && !inHeredoc(line, heredocs)) {
      embeddedComments.push(comment);
    }
  }
  const fields: Omit<InstructionBase, 'args'> = {
    keyword: node.getKeyword(),
    keywordText: node.getInstruction(),
    range,
    keywordRange: toRange(node.getInstructionRange()),
    argsText,
    argsRange,
    flags,
    jsonForm,
    jsonArgs: jsonStrings,
    comments: commentsAbove(range.start.line, commentByLine, covered, false),
    embeddedComments,
    stage,
    scope,
    heredocs,
  };
  // dockerfile-ast tokenises arguments on request, and for RUN bodies (parsed as shell instead)
  // that was the costliest step of parsing a large Dockerfile; compute them on first use.
  let args: InstructionArg[] | null = null;
  return Object.defineProperty(fields, 'args', {
    enumerable: true,
    get: () => (args ??= node.getArguments().map((argument) => ({ value: argument.getValue(), range: toRange(argument.getRange()) }))),
  }) as InstructionBase;
}

/** Decodes one quoted JSON string of an exec-form instruction from the source; null when it is not plain JSON. */
function jsonString(lines: LineIndex, range: Range): string | null {
  const source = lines.text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
  try {
    const value: unknown = JSON.parse(source);
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

function inHeredoc(line: number, heredocs: InstructionHeredoc[]): boolean {
  return heredocs.some((heredoc) => heredoc.contentRange && line >= heredoc.contentRange.start.line && line <= heredoc.contentRange.end.line);
}

/** The comment block ending just above `line`; `allowBlank` lets blank lines sit inside the block. */
function commentsAbove(line: number, commentByLine: Map<number, CommentLine>, covered: Set<number>, allowBlank: boolean): CommentLine[] {
  const block: CommentLine[] = [];
  let cursor = line - 1;
  let pendingBlank = 0;
  while (cursor >= 1 && !covered.has(cursor)) {
    const comment = commentByLine.get(cursor);
    if (comment) {
      block.unshift(comment);
      pendingBlank = 0;
    } else {
      if (!allowBlank) {
        break;
      }
      pendingBlank += 1;
      // Two blank lines in a row end a header block: what is above belongs to something else.
      if (pendingBlank > 1) {
        break;
      }
    }
    cursor -= 1;
  }
  return block;
}

function toFlag(flag: AstFlag): InstructionFlag {
  const options = new Map<string, string>();
  for (const option of flag.getOptions()) {
    const name = option.getName();
    if (name) {
      options.set(name.toLowerCase(), option.getValue() ?? '');
    }
  }
  // dockerfile-ast only splits options for some flags; --mount values need it always.
  const value = flag.getValue();
  if (options.size === 0 && value && value.includes('=')) {
    for (const part of value.split(',')) {
      const [key, ...rest] = part.split('=');
      if (key) {
        options.set(key.trim().toLowerCase(), rest.join('='));
      }
    }
  }
  return { name: flag.getName().toLowerCase(), value, range: toRange(flag.getRange()), options };
}

function newStage(
  dockerfile: Dockerfile,
  from: FromInstruction,
  globalScope: Map<string, string | undefined>,
  commentByLine: Map<number, CommentLine>,
  covered: Set<number>,
): Stage {
  const words = from.args;
  const imageWord = words[0];
  const raw = imageWord?.value ?? '';
  const expansion = expand(raw, globalScope, dockerfile.escape);
  const expanded = expansion.value;
  const previous = dockerfile.stages.find((stage) => stage.name !== null && stage.name.toLowerCase() === expanded.toLowerCase()) ?? null;
  const asWord = words[1];
  const nameWord = words[2];
  const name = asWord && asWord.value.toLowerCase() === 'as' && nameWord ? nameWord.value : null;
  const index = dockerfile.stages.length;
  const reference = previous ? null : splitImageReference(expanded);
  const platformFlag = from.flags.find((flag) => flag.name === 'platform');
  const stage: Stage = {
    index,
    name,
    nameRange: name && nameWord ? nameWord.range : null,
    asKeyword: asWord && nameWord ? asWord.value : null,
    from,
    base: {
      raw,
      expanded,
      resolved: expansion.resolved,
      stage: previous,
      scratch: expanded.toLowerCase() === 'scratch',
      name: reference?.name ?? null,
      tag: reference?.tag ?? null,
      digest: reference?.digest ?? null,
      platform: platformFlag?.value ?? null,
      range: imageWord?.range ?? from.range,
    },
    instructions: [],
    header: commentsAbove(from.range.start.line, commentByLine, covered, true),
    dependsOn: previous ? [previous] : [],
    isFinal: false,
    shipsInFinal: false,
    label: name ?? `#${index}`,
  };
  return stage;
}

/** Splits `registry/name:tag@digest` (tags and digests are optional). */
export function splitImageReference(reference: string): { name: string; tag: string | null; digest: string | null } {
  let rest = reference;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  // A colon before the last slash belongs to a registry port (`host:5000/name`).
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, tag, digest };
}

function inheritedEnv(stage: Stage, escape: string): Map<string, string | undefined> {
  // A stage built on another inherits its ENV (not its ARGs), with the values as the image stores
  // them: expanded where they were set.
  const env = new Map<string, string | undefined>(stage.base.stage ? inheritedEnv(stage.base.stage, escape) : []);
  for (const instruction of stage.instructions) {
    if (instruction.kind === 'env') {
      for (const pair of instruction.pairs) {
        env.set(pair.name, expand(pair.value, instruction.scope, escape).value);
      }
    }
  }
  return env;
}

function buildRun(base: InstructionBase, escape: string, shellCommand: string[]): RunInstruction {
  const mounts: RunMount[] = base.flags
    .filter((flag) => flag.name === 'mount')
    .map((flag) => ({
      type: flag.options.get('type') ?? 'bind',
      target: flag.options.get('target') ?? flag.options.get('dst') ?? flag.options.get('destination') ?? null,
      source: flag.options.get('source') ?? flag.options.get('src') ?? null,
      from: flag.options.get('from') ?? null,
      id: flag.options.get('id') ?? null,
      range: flag.range,
    }));
  // Object.assign keeps base's lazy `args` getter; a spread would evaluate it.
  const run: RunInstruction = Object.assign(base, { kind: 'run' as const, mounts, shell: null, shellCommand });
  run.shell = runShell(run, escape);
  return run;
}

function shellDialect(shellCommand: string[]): 'sh' | 'bash' {
  const program = shellCommand[0]?.split('/').pop() ?? 'sh';
  return program === 'bash' ? 'bash' : 'sh';
}

/**
 * Builds the shell text of a RUN body so that it parses as the shell will see it, with the
 * same line and column layout as the Dockerfile: comment and blank lines inside continuations
 * (which Docker drops) become a lone line continuation, and a backtick escape becomes a backslash.
 */
function runShell(run: RunInstruction, escape: string): ShellScript | null {
  if (!run.argsRange) {
    return null;
  }
  const dialect = shellDialect(run.shellCommand);
  if (run.jsonForm && run.jsonArgs.length > 0) {
    const start = run.argsRange.start;
    const text = run.jsonArgs.map(shellQuote).join(' ');
    return parseShell(text, { dialect, map: () => start });
  }
  const first = run.heredocs[0];
  const opener = /^<<-?(["']?)[A-Za-z_][A-Za-z0-9_]*\1[ \t]*([^\n]*)/.exec(run.argsText.trimStart());
  // `RUN <<EOF` runs the here-document itself as the script, and so does `RUN <<EOF bash` (the
  // shell reads it from stdin); `RUN <<EOF python3` feeds it to another program (next branch).
  const scriptShell = opener ? heredocScriptShell(opener[2] ?? '') : null;
  if (first && first.contentRange && scriptShell) {
    const contentStart = first.contentRange.start;
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first.content);
    const interpreter = shebang ? programName(shebang[1] === '/usr/bin/env' ? (shebang[2] ?? '') : (shebang[1] ?? '')) : null;
    // For a bare `RUN <<EOF`, BuildKit runs a body with a shebang through that interpreter, so a
    // body for another language (`#!/usr/bin/env python3`) is not shell; after `<<EOF bash` the
    // named shell reads the body and a shebang is only a comment.
    const bodyShell = scriptShell === 'default' ? interpreter : scriptShell;
    const text = bodyShell !== null && !SHELL_PROGRAMS.has(programName(bodyShell)) ? '' : first.content;
    const bodyDialect = bodyShell === null ? dialect : shellDialect([bodyShell]);
    return parseShell(text, { dialect: bodyDialect, map: (position) => shiftPosition(position, contentStart) });
  }
  if (first && opener && run.argsText.trimStart() === run.argsText) {
    // `RUN <<EOF python3 -u`: the command is the rest of the first line (tree-sitter-bash cannot
    // parse a here-document redirect before the command name); the body is that program's stdin.
    const firstLine = run.argsText.split('\n')[0] ?? '';
    const blanked = ' '.repeat(firstLine.length - (opener[2] ?? '').length) + (opener[2] ?? '');
    const script = parseShell(blanked, { dialect, map: (position) => shiftPosition(position, run.argsRange?.start ?? position) });
    // As for a shell here-document, the body ends with the newline before the delimiter.
    const body = first.content === '' || first.content.endsWith('\n') ? first.content : `${first.content}\n`;
    script.commands[0]?.redirects.push({ operator: '<<', target: null, heredoc: body });
    return script;
  }
  const start = run.argsRange.start;
  const sourceLines = run.argsText.split('\n');
  let continued = false;
  const rewritten = sourceLines.map((line, index) => {
    const fileLine = start.line + index;
    if (inHeredoc(fileLine, run.heredocs)) {
      return line;
    }
    if (index > 0 && continued && (/^\s*#/.test(line) || /^\s*$/.test(line))) {
      return `${' '.repeat(Math.max(line.length - 1, 0))}\\`;
    }
    const escaped = escape === '`' && line.endsWith('`') ? `${line.slice(0, -1)}\\` : line;
    continued = escaped.replace(/\r$/, '').endsWith('\\');
    return escaped;
  });
  // CRLF files: Docker drops the CR, and a `\` before CR is no line continuation for the shell.
  // The CR is the last character of its line, so removing it moves no column.
  const text = rewritten.map((line) => line.replace(/\r$/, '')).join('\n');
  return parseShell(text, { dialect, map: (position) => shiftPosition(position, start) });
}

const SHELL_PROGRAMS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh']);

function programName(path: string): string {
  return path.split('/').pop() ?? path;
}

/** For `RUN <<EOF [rest]`: 'default' when nothing follows, the shell when a shell follows, else null. */
function heredocScriptShell(rest: string): string | null {
  const program = rest.trim().split(/\s+/)[0] ?? '';
  if (program === '') {
    return 'default';
  }
  return SHELL_PROGRAMS.has(programName(program)) ? program : null;
}

function shiftPosition(position: Position, start: Position): Position {
  if (position.line === 1) {
    return { line: start.line, column: start.column + position.column - 1 };
  }
  return { line: start.line + position.line - 1, column: position.column };
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function buildCopy(base: InstructionBase, keyword: 'COPY' | 'ADD', escape: string): CopyInstruction {
  const fromFlag = base.flags.find((flag) => flag.name === 'from');
  const from = fromFlag?.value ? expand(fromFlag.value, base.scope, escape).value : null;
  let words: InstructionArg[];
  if (base.jsonForm && base.jsonArgs.length > 0) {
    words = base.jsonArgs.map((value) => ({ value, range: base.argsRange ?? base.range }));
  } else {
    // Heredoc bodies show up as words in dockerfile-ast; only the words on the instruction's first line(s) before them count.
    const heredocStart = base.heredocs[0]?.contentRange?.start.line ?? Number.POSITIVE_INFINITY;
    words = base.args.filter((word) => word.range.start.line < heredocStart);
  }
  const expanded = words.map((word) => ({ value: expand(word.value, base.scope, escape).value, range: word.range }));
  const destination = expanded.length > 0 ? (expanded[expanded.length - 1] ?? null) : null;
  const sources = expanded.slice(0, -1).filter((word) => !/^<<-?/.test(word.value));
  return { ...base, kind: keyword === 'COPY' ? 'copy' : 'add', from, fromStage: null, sources, destination };
}

function argDeclarations(node: AstInstruction): ArgInstruction['declarations'] {
  // ARG may declare several names (`ARG A=1 B`); dockerfile-ast's getProperties() lists them.
  const properties = 'getProperties' in node && typeof node.getProperties === 'function'
    ? (node.getProperties() as { getName(): string; getValue(): string | null; getRange(): Parameters<typeof toRange>[0] }[])
    : [];
  return properties.map((property) => ({
    name: property.getName(),
    value: property.getValue() ?? undefined,
    range: toRange(property.getRange()),
  }));
}

function envPairs(node: AstInstruction): EnvInstruction['pairs'] {
  const properties = 'getProperties' in node && typeof node.getProperties === 'function'
    ? (node.getProperties() as {
      getName(): string;
      getValue(): string | null;
      getAssignmentOperator(): string | null;
      getRange(): Parameters<typeof toRange>[0];
    }[])
    : [];
  return properties.map((property) => ({
    name: property.getName(),
    value: property.getValue() ?? '',
    range: toRange(property.getRange()),
    legacy: property.getAssignmentOperator() === null,
  }));
}

function linkStages(dockerfile: Dockerfile): void {
  const byName = new Map<string, Stage>();
  for (const stage of dockerfile.stages) {
    if (stage.name) {
      byName.set(stage.name.toLowerCase(), stage);
    }
  }
  const resolveStage = (reference: string, before: number): Stage | null => {
    const named = byName.get(reference.toLowerCase());
    if (named && named.index < before) {
      return named;
    }
    if (/^\d+$/.test(reference)) {
      const indexed = dockerfile.stages[Number(reference)];
      return indexed && indexed.index < before ? indexed : null;
    }
    return null;
  };
  for (const stage of dockerfile.stages) {
    for (const instruction of stage.instructions) {
      if ((instruction.kind === 'copy' || instruction.kind === 'add') && instruction.from) {
        instruction.fromStage = resolveStage(instruction.from, stage.index);
        if (instruction.fromStage && !stage.dependsOn.includes(instruction.fromStage)) {
          stage.dependsOn.push(instruction.fromStage);
        }
      }
      if (instruction.kind === 'run') {
        for (const mount of instruction.mounts) {
          const source = mount.from ? resolveStage(mount.from, stage.index) : null;
          if (source && !stage.dependsOn.includes(source)) {
            stage.dependsOn.push(source);
          }
        }
      }
    }
  }
  const final = dockerfile.stages[dockerfile.stages.length - 1];
  if (final) {
    final.isFinal = true;
    for (let stage: Stage | null = final; stage; stage = stage.base.stage) {
      stage.shipsInFinal = true;
    }
  }
}

/** The stages a target stage needs, itself included, in build order. */
export function stagesNeededFor(target: Stage): Stage[] {
  const seen = new Set<Stage>();
  const visit = (stage: Stage): void => {
    if (seen.has(stage)) {
      return;
    }
    for (const dependency of stage.dependsOn) {
      visit(dependency);
    }
    seen.add(stage);
  };
  visit(target);
  return [...seen].sort((a, b) => a.index - b.index);
}

/** Context paths the build reads: COPY/ADD sources without --from, and RUN bind mounts from the context. */
export function buildInputs(dockerfile: Dockerfile): { path: string; instruction: DockerInstruction; range: Range }[] {
  const inputs: { path: string; instruction: DockerInstruction; range: Range }[] = [];
  for (const instruction of dockerfile.instructions) {
    if ((instruction.kind === 'copy' || instruction.kind === 'add') && instruction.from === null) {
      for (const source of instruction.sources) {
        if (instruction.kind === 'add' && /^(https?|git|ssh):\/\/|^git@/.test(source.value)) {
          continue;
        }
        inputs.push({ path: source.value, instruction, range: source.range });
      }
    }
    if (instruction.kind === 'run') {
      for (const mount of instruction.mounts) {
        if (mount.type === 'bind' && mount.from === null) {
          inputs.push({ path: mount.source ?? '.', instruction, range: mount.range });
        }
      }
    }
  }
  return inputs;
}
