/**
 * Shell parsing: one adapter over tree-sitter-bash (WebAssembly build, no native addon).
 *
 * Why tree-sitter-bash: it keeps every node with its type, source offsets and fields, it never
 * throws (syntax errors become ERROR/MISSING nodes we can report with a position), and it parses a
 * typical RUN body in well under a millisecond. The alternative we measured, sh-syntax (mvdan/sh in
 * WebAssembly), serialises command nodes without their type or words and costs ~6 ms per parse.
 *
 * Every shell body (RUN instructions, build scripts, later workflow `run:` blocks) is parsed once
 * here into a flat list of `ShellCommand`s that rules query through `shell-query.ts`.
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { InternalError } from '../errors.js';
import { LineIndex, type Position, type Range } from './locations.js';

/** One word of a command line. */
export interface ShellWord {
  /** The word as written, quotes included. */
  text: string;
  /** The word after quote removal when it has no expansion in it; null when it depends on the environment. */
  value: string | null;
  range: Range;
}

/** A `NAME=value` prefix of a command (`DEBIAN_FRONTEND=noninteractive apt-get ...`). */
export interface ShellAssignment {
  name: string;
  value: string | null;
  range: Range;
}

/** An output or input redirection attached to a command. */
export interface ShellRedirect {
  operator: string;
  target: string | null;
  /** The body of a here-document (`<<EOF`) or here-string. */
  heredoc?: string;
}

/** A simple command, wherever it appears (lists, pipelines, subshells, if/for bodies, `$(...)`). */
export interface ShellCommand {
  /** Position in source order among all commands of the script, from 0. */
  index: number;
  /** The command name as written after quote removal (`/usr/bin/apt-get`), null when dynamic. */
  name: string | null;
  /** The last path segment of `name` (`apt-get`). */
  program: string | null;
  args: ShellWord[];
  assignments: ShellAssignment[];
  redirects: ShellRedirect[];
  /** Where the command sits in a `a | b | c` pipeline, or null when it is not piped. */
  pipeline: { position: number; length: number } | null;
  /** True inside `$(...)` or backticks. */
  inSubstitution: boolean;
  /** True when this command only runs if an earlier one failed (`a || b`). */
  afterOr: boolean;
  range: Range;
  text: string;
}

/** A syntax error the parser recovered from. */
export interface ShellSyntaxError {
  message: string;
  range: Range;
}

/** A variable assignment anywhere in the body (`X=1`, `local x=1`, `arr=(a b)`, `arr+=(c)`). */
export interface ShellVariableAssignment {
  name: string;
  /** True for `+=`. */
  append: boolean;
  /** The elements of an array value (`arr=(a b)`), null for a scalar value. */
  array: ShellWord[] | null;
  range: Range;
}

/** A parameter expansion (`$X`, `${X:-default}`, `"${arr[@]}"`). */
export interface ShellExpansion {
  name: string;
  /** The operator of `${X<op>word}` (`:-`, `-`, `:=`, `=`, `:+`, `+`, `:?`, `?`), null without one. */
  operator: string | null;
  /** The subscript of `${arr[@]}` (`@`, `*`, `0`), null without one. */
  subscript: string | null;
  range: Range;
}

/** A function definition (`f() { ...; }`, `function f { ...; }`). */
export interface ShellFunction {
  name: string;
  range: Range;
  body: Range;
}

/** One `pattern|pattern) ... ;;` branch of a `case` statement. */
export interface ShellCaseItem {
  /** The patterns after quote removal where literal, as written otherwise. */
  patterns: string[];
  range: Range;
}

/** A loop; `words` are the words a `for x in ...` iterates over (null for `for x; do`, `while`, `until`, `for ((...))`). */
export interface ShellLoop {
  kind: 'for' | 'c-for' | 'while' | 'until' | 'select';
  /** The loop variable of `for x in ...` / `select x in ...`, null for the other kinds. */
  variable: string | null;
  words: ShellWord[] | null;
  range: Range;
}

/** The parsed form of one shell body. */
export interface ShellScript {
  /** The text that was parsed (for RUN bodies: with Dockerfile-only syntax blanked out). */
  text: string;
  dialect: 'sh' | 'bash';
  /** Maps positions in `text` to positions in the file that holds it. */
  map: PositionMap;
  commands: ShellCommand[];
  errors: ShellSyntaxError[];
  /** Variable assignments in source order (statements, declarations and command prefixes). */
  assignments: ShellVariableAssignment[];
  /** Parameter expansions in source order, here-document bodies included. */
  expansions: ShellExpansion[];
  functions: ShellFunction[];
  caseItems: ShellCaseItem[];
  loops: ShellLoop[];
}

/** Maps a position in the parsed text to a position in the file that holds it. */
export type PositionMap = (position: Position) => Position;

let parser: Parser | null = null;

/**
 * Loads the WebAssembly parser once per process. Every review calls this before parsing; the
 * synchronous `parseShell` can then be used from rules' model builders.
 */
export async function initShellParser(): Promise<void> {
  if (parser) {
    return;
  }
  const require = createRequire(import.meta.url);
  await Parser.init();
  const wasm = await readFile(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
  const bash = await Language.load(wasm);
  const created = new Parser();
  created.setLanguage(bash);
  parser = created;
}

const identity: PositionMap = (position) => position;

/** Parses one shell body; positions in the result are mapped through `map` into file positions. */
export function parseShell(text: string, options: { dialect?: 'sh' | 'bash'; map?: PositionMap } = {}): ShellScript {
  if (!parser) {
    throw new InternalError('parseShell called before initShellParser');
  }
  const tree = parser.parse(text);
  if (!tree) {
    throw new InternalError('tree-sitter returned no tree');
  }
  try {
    const lines = new LineIndex(text);
    const map = options.map ?? identity;
    const toRange = (node: Node): Range => ({
      start: map(lines.positionAt(node.startIndex)),
      end: map(lines.positionAt(node.endIndex)),
    });
    const commands: ShellCommand[] = [];
    const errors: ShellSyntaxError[] = [];
    collect(tree.rootNode, { pipeline: null, inSubstitution: false, afterOr: false }, commands, errors, toRange);
    if (errors.length === 0 && tree.rootNode.hasError) {
      // A keyword missing at the end (`if` without `fi`, `do` without `done`) is an anonymous
      // MISSING node that the walk over named children does not reach; report the construct it leaves open.
      const missing = firstMissing(tree.rootNode);
      const opener = missing?.parent;
      if (missing && opener) {
        errors.push({ message: `missing "${missing.type}" to close "${opener.child(0)?.type ?? opener.type}"`, range: toRange(opener) });
      }
    }
    commands.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
    commands.forEach((command, index) => {
      command.index = index;
    });
    const structure = emptyStructure();
    collectStructure(tree.rootNode, structure, toRange);
    return { text, dialect: options.dialect ?? 'bash', map, commands, errors, ...structure };
  } finally {
    tree.delete();
  }
}

type Structure = Pick<ShellScript, 'assignments' | 'expansions' | 'functions' | 'caseItems' | 'loops'>;

function emptyStructure(): Structure {
  return { assignments: [], expansions: [], functions: [], caseItems: [], loops: [] };
}

// Operators of `${X<op>word}` (POSIX XCU 2.6.2); tree-sitter-bash keeps them as anonymous children.
const EXPANSION_OPERATORS = new Set([':-', '-', ':=', '=', ':+', '+', ':?', '?']);

/**
 * The parts of a body that are not simple commands but that rules about whole scripts ask about
 * (variables and their defaults, functions, option-parsing `case` branches, loops), in one walk
 * over the whole tree. Tree-sitter visits nodes in source order, so each list is in source order.
 */
function collectStructure(node: Node, into: Structure, toRange: (node: Node) => Range): void {
  switch (node.type) {
    case 'variable_assignment': {
      const value = node.childForFieldName('value');
      into.assignments.push({
        name: node.childForFieldName('name')?.text ?? '',
        append: node.children.some((child) => child?.type === '+='),
        array: value?.type === 'array'
          ? value.namedChildren.filter((child): child is Node => !!child).map((child) => ({ text: child.text, value: wordValue(child), range: toRange(child) }))
          : null,
        range: toRange(node),
      });
      break;
    }
    case 'simple_expansion':
    case 'expansion': {
      const subscript = node.namedChildren.find((child) => child?.type === 'subscript');
      const nameNode = subscript ? subscript.childForFieldName('name') : node.namedChildren.find((child) => child?.type === 'variable_name' || child?.type === 'special_variable_name');
      const operator = node.children.find((child) => !!child && !child.isNamed && EXPANSION_OPERATORS.has(child.type));
      if (nameNode) {
        into.expansions.push({
          name: nameNode.text,
          operator: operator?.type ?? null,
          subscript: subscript?.childForFieldName('index')?.text ?? null,
          range: toRange(node),
        });
      }
      break;
    }
    case 'function_definition': {
      const body = node.childForFieldName('body');
      into.functions.push({ name: node.childForFieldName('name')?.text ?? '', range: toRange(node), body: toRange(body ?? node) });
      break;
    }
    case 'case_item': {
      const patterns = node.childrenForFieldName('value').filter((child): child is Node => !!child);
      into.caseItems.push({ patterns: patterns.flatMap((child) => (wordValue(child) ?? child.text).split('|')), range: toRange(node) });
      break;
    }
    case 'for_statement': {
      const values = node.childrenForFieldName('value').filter((child): child is Node => !!child);
      const keyword = node.child(0)?.type === 'select' ? 'select' : 'for';
      into.loops.push({ kind: keyword, variable: node.childForFieldName('variable')?.text ?? null, words: values.length > 0 ? values.map((child) => ({ text: child.text, value: wordValue(child), range: toRange(child) })) : null, range: toRange(node) });
      break;
    }
    case 'c_style_for_statement':
      into.loops.push({ kind: 'c-for', variable: null, words: null, range: toRange(node) });
      break;
    case 'while_statement':
      // tree-sitter-bash parses `until` as a while_statement whose keyword is `until`.
      into.loops.push({ kind: node.child(0)?.type === 'until' ? 'until' : 'while', variable: null, words: null, range: toRange(node) });
      break;
  }
  for (const child of node.namedChildren) {
    if (child) {
      collectStructure(child, into, toRange);
    }
  }
}

interface WalkState {
  pipeline: ShellCommand['pipeline'];
  inSubstitution: boolean;
  afterOr: boolean;
}

function collect(
  node: Node,
  state: WalkState,
  commands: ShellCommand[],
  errors: ShellSyntaxError[],
  toRange: (node: Node) => Range,
): void {
  if (node.type === 'ERROR' || node.isMissing) {
    errors.push({
      message: node.isMissing ? `expected ${node.type}` : `cannot parse ${JSON.stringify(truncate(node.text))}`,
      range: toRange(node),
    });
    if (node.type === 'ERROR') {
      // Commands inside the broken region are still worth checking (tree-sitter recovers them).
      for (const child of node.namedChildren) {
        if (child) {
          collect(child, state, commands, errors, toRange);
        }
      }
    }
    return;
  }
  switch (node.type) {
    case 'command': {
      commands.push(toCommand(node, state, toRange));
      // `$(...)` inside arguments holds commands of its own.
      for (const child of node.namedChildren) {
        if (child && child.type !== 'command_name') {
          collectSubstitutions(child, commands, errors, toRange);
        }
      }
      return;
    }
    case 'declaration_command': {
      // `export NAME=value` (also declare/readonly/local/typeset) is a built-in utility run as a
      // simple command; tree-sitter gives it its own node type, so it is added here under its keyword.
      commands.push(toDeclaration(node, state, toRange));
      for (const child of node.namedChildren) {
        if (child) {
          collectSubstitutions(child, commands, errors, toRange);
        }
      }
      return;
    }
    case 'redirected_statement': {
      const body = node.childForFieldName('body');
      const redirects = node.namedChildren.filter((child): child is Node => !!child && !sameNode(child, body)).map(toRedirect);
      const before = commands.length;
      if (body) {
        collect(body, state, commands, errors, toRange);
      }
      // Redirects written after the body belong to the command(s) it holds (`cat <<EOF > f`,
      // `{ a; b; } > f`). After a pipeline or an and-or list they belong to its last command only
      // (`curl URL | gpg --dearmor > key.gpg`, `a && echo x > f`), although tree-sitter-bash hangs
      // them on the whole pipeline or list (POSIX XCU 2.9.2 and 2.9.3: each simple command's own).
      const held = commands.slice(before);
      const last = body ? lastSimpleCommand(body) : null;
      const lastStart = last ? toRange(last).start : null;
      const owners = lastStart
        ? held.filter((command) => !command.inSubstitution || state.inSubstitution)
          .filter((command) => command.range.start.line === lastStart.line && command.range.start.column === lastStart.column)
        : held;
      for (const command of owners) {
        command.redirects.push(...redirects);
      }
      for (const child of node.namedChildren) {
        if (child && !sameNode(child, body)) {
          collectSubstitutions(child, commands, errors, toRange);
        }
      }
      return;
    }
    case 'pipeline': {
      // tree-sitter-bash sometimes misparses a long `a | b | c && d` after line continuations as
      // pipeline(a, list(pipeline(b, c), d)), a list as a pipeline stage, which bash's grammar never
      // builds (`|` binds tighter than `&&`/`||`, POSIX XCU 2.9.2-2.9.3). Re-associate: the list's
      // first operand supplies the remaining stages, and its other operands follow the whole pipeline.
      const { stages, trailing } = pipelineStages(node);
      stages.forEach((part, position) => {
        collect(part, { ...state, pipeline: { position, length: stages.length } }, commands, errors, toRange);
      });
      let afterOr = state.afterOr;
      for (const { operator, operand } of trailing) {
        afterOr = afterOr || operator === '||';
        collect(operand, { ...state, pipeline: null, afterOr }, commands, errors, toRange);
      }
      return;
    }
    case 'list': {
      // `a && b || c`: tree-sitter nests lists left-deep; the operator sits between the two children.
      let afterOr = state.afterOr;
      for (const child of node.children) {
        if (!child) {
          continue;
        }
        if (child.type === '||') {
          afterOr = true;
        } else if (child.isNamed) {
          collect(child, { ...state, pipeline: null, afterOr }, commands, errors, toRange);
        }
      }
      return;
    }
    case 'command_substitution': {
      for (const child of node.namedChildren) {
        if (child) {
          collect(child, { pipeline: null, inSubstitution: true, afterOr: false }, commands, errors, toRange);
        }
      }
      return;
    }
    default: {
      for (const child of node.namedChildren) {
        if (child) {
          collect(child, { ...state, pipeline: node.type === 'program' ? null : state.pipeline }, commands, errors, toRange);
        }
      }
    }
  }
}

/**
 * The stages of a pipeline node, with tree-sitter's misnested `pipeline(a, list(pipeline(b, c), d))`
 * and `pipeline(a, pipeline(b, c))` flattened to `a | b | c`, and the operands (`&& d`) that
 * belong after the whole pipeline, in order.
 */
function pipelineStages(node: Node): { stages: Node[]; trailing: { operator: string; operand: Node }[] } {
  const children = node.namedChildren.filter((child): child is Node => !!child);
  const last = children[children.length - 1];
  if (!last || (last.type !== 'list' && last.type !== 'pipeline')) {
    return { stages: children, trailing: [] };
  }
  const head = children.slice(0, -1);
  if (last.type === 'pipeline') {
    const inner = pipelineStages(last);
    return { stages: [...head, ...inner.stages], trailing: inner.trailing };
  }
  // A list: its first operand (left-deep nesting: follow the first child down) continues the pipeline.
  const trailingOperands: { operator: string; operand: Node }[] = [];
  let list: Node = last;
  for (;;) {
    const parts = list.children.filter((child): child is Node => !!child);
    const first = parts[0];
    const rest: { operator: string; operand: Node }[] = [];
    for (let index = 1; index + 1 < parts.length; index += 2) {
      const operator = parts[index];
      const operand = parts[index + 1];
      if (operator && operand) {
        rest.push({ operator: operator.type, operand });
      }
    }
    trailingOperands.unshift(...rest);
    if (!first || first.type !== 'list') {
      if (!first) {
        return { stages: children, trailing: [] };
      }
      if (first.type === 'pipeline') {
        const inner = pipelineStages(first);
        return { stages: [...head, ...inner.stages], trailing: [...inner.trailing, ...trailingOperands] };
      }
      return { stages: [...head, first], trailing: trailingOperands };
    }
    list = first;
  }
}

function collectSubstitutions(
  node: Node,
  commands: ShellCommand[],
  errors: ShellSyntaxError[],
  toRange: (node: Node) => Range,
): void {
  if (node.type === 'command_substitution' || node.type === 'process_substitution') {
    collect(node, { pipeline: null, inSubstitution: true, afterOr: false }, commands, errors, toRange);
    return;
  }
  for (const child of node.namedChildren) {
    if (child) {
      collectSubstitutions(child, commands, errors, toRange);
    }
  }
}

function toCommand(node: Node, state: WalkState, toRange: (node: Node) => Range): ShellCommand {
  const nameNode = node.childForFieldName('name');
  const name = nameNode ? wordValue(nameNode.firstNamedChild ?? nameNode) : null;
  const args: ShellWord[] = [];
  const assignments: ShellAssignment[] = [];
  const redirects: ShellRedirect[] = [];
  for (const child of node.namedChildren) {
    if (!child || sameNode(child, nameNode)) {
      continue;
    }
    if (child.type === 'variable_assignment') {
      const valueNode = child.childForFieldName('value');
      assignments.push({
        name: child.childForFieldName('name')?.text ?? '',
        value: valueNode ? wordValue(valueNode) : '',
        range: toRange(child),
      });
    } else if (child.type.endsWith('_redirect')) {
      redirects.push(toRedirect(child));
    } else {
      args.push({ text: child.text, value: wordValue(child), range: toRange(child) });
    }
  }
  return {
    index: 0,
    name,
    program: name === null ? null : (name.split('/').pop() ?? name),
    args,
    assignments,
    redirects,
    pipeline: state.pipeline,
    inSubstitution: state.inSubstitution,
    afterOr: state.afterOr,
    range: toRange(node),
    text: node.text,
  };
}

/** `export A=1 B`: named by its keyword; each `NAME=value` is one word whose value is known when the right side is literal. */
function toDeclaration(node: Node, state: WalkState, toRange: (node: Node) => Range): ShellCommand {
  const name = node.child(0)?.text ?? 'export';
  const args: ShellWord[] = [];
  for (const child of node.namedChildren) {
    if (!child) {
      continue;
    }
    let value = wordValue(child);
    if (child.type === 'variable_assignment') {
      const valueNode = child.childForFieldName('value');
      const right = valueNode ? wordValue(valueNode) : '';
      value = right === null ? null : `${child.childForFieldName('name')?.text ?? ''}=${right}`;
    } else if (child.type === 'variable_name') {
      value = child.text;
    }
    args.push({ text: child.text, value, range: toRange(child) });
  }
  return {
    index: 0,
    name,
    program: name,
    args,
    assignments: [],
    redirects: [],
    pipeline: state.pipeline,
    inSubstitution: state.inSubstitution,
    afterOr: state.afterOr,
    range: toRange(node),
    text: node.text,
  };
}

function toRedirect(node: Node): ShellRedirect {
  if (node.type === 'heredoc_redirect') {
    const body = node.namedChildren.find((child) => child?.type === 'heredoc_body');
    const inner = node.namedChildren.find((child) => child?.type === 'file_redirect');
    const target = inner?.childForFieldName('destination');
    // `<<-` strips leading tabs from every body line; tree-sitter keeps all but the first line's.
    const stripTabs = node.children.some((child) => child?.type === '<<-');
    return {
      operator: '<<',
      target: target ? wordValue(target) : null,
      heredoc: stripTabs ? (body?.text ?? '').replace(/^\t+/gm, '') : (body?.text ?? ''),
    };
  }
  const destination = node.childForFieldName('destination') ?? node.lastNamedChild;
  const operator = node.children.find((child) => child && !child.isNamed)?.text ?? '>';
  if (node.type === 'herestring_redirect') {
    return { operator: '<<<', target: null, heredoc: destination ? (wordValue(destination) ?? destination.text) : '' };
  }
  return { operator, target: destination ? wordValue(destination) : null };
}

/**
 * The value of a word after quote removal, or null when it contains an expansion whose value
 * is only known at run time. Follows POSIX quote removal (XCU 2.6.7) for the node kinds
 * tree-sitter-bash produces.
 */
export function wordValue(node: Node): string | null {
  switch (node.type) {
    case 'word':
    case 'number':
    case 'command_name':
      if (node.type === 'command_name' && node.firstNamedChild) {
        return wordValue(node.firstNamedChild);
      }
      return node.text.replace(/\\(.)/gs, '$1');
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'ansi_c_string':
      return ansiCValue(node.text.slice(2, -1));
    case 'string': {
      let value = '';
      for (const child of node.namedChildren) {
        if (!child) {
          continue;
        }
        if (child.type !== 'string_content') {
          return null;
        }
        // A backslash-newline inside double quotes is a line continuation: both go (XCU 2.2.3).
        value += child.text.replace(/\\([$`"\\\n])/g, (_, escaped: string) => (escaped === '\n' ? '' : escaped));
      }
      // string_content drops nothing between children; an empty string "" has no children.
      return node.namedChildren.length === 0 ? node.text.slice(1, -1) : value;
    }
    case 'concatenation': {
      let value = '';
      for (const child of node.namedChildren) {
        const part = child ? wordValue(child) : null;
        if (part === null) {
          return null;
        }
        value += part;
      }
      return value;
    }
    default:
      return null;
  }
}

const ANSI_C_ESCAPES: Record<string, string> = {
  a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?',
};

/** The value of a bash `$'...'` string; null for escapes we do not decode (octal, hex, unicode, control). */
function ansiCValue(body: string): string | null {
  let value = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const decoded = ANSI_C_ESCAPES[body[i + 1] ?? ''];
    if (decoded === undefined) {
      return null;
    }
    value += decoded;
    i += 1;
  }
  return value;
}

/**
 * The simple command a trailing redirect belongs to when the body is a pipeline or an and-or
 * list (its last element, recursively); null for compound bodies, where it belongs to all.
 */
function lastSimpleCommand(node: Node): Node | null {
  switch (node.type) {
    case 'command':
      return node;
    case 'list':
    case 'pipeline':
    case 'negated_command': {
      const last = node.lastNamedChild;
      return last ? (last.type === 'command' ? last : lastSimpleCommand(last)) : null;
    }
    default:
      return null;
  }
}

/** web-tree-sitter hands out a new wrapper object per access; compare by node id. */
function sameNode(a: Node | null, b: Node | null): boolean {
  return a !== null && b !== null && a.id === b.id;
}

function firstMissing(node: Node): Node | null {
  if (node.isMissing) {
    return node;
  }
  for (const child of node.children) {
    const found = child && child.hasError ? firstMissing(child) : child?.isMissing ? child : null;
    if (found) {
      return found;
    }
  }
  return null;
}

function truncate(text: string): string {
  const firstLine = text.split('\n')[0] ?? '';
  return firstLine.length > 40 ? `${firstLine.slice(0, 40)}...` : firstLine;
}

/**
 * Runs `visit` over the tree-sitter syntax tree of `text` and frees the tree afterwards. For
 * model builders that need the shell's structure (assignments, functions, branches), which the
 * flat command list of `parseShell` does not keep; nodes must not escape `visit`.
 */
export function withShellTree<T>(text: string, visit: (root: Node) => T): T {
  if (!parser) {
    throw new InternalError('withShellTree called before initShellParser');
  }
  const tree = parser.parse(text);
  if (!tree) {
    throw new InternalError('tree-sitter returned no tree');
  }
  try {
    return visit(tree.rootNode);
  } finally {
    tree.delete();
  }
}

export type { Node as ShellNode } from 'web-tree-sitter';
