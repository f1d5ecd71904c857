/**
 * A symbolic run of a build script: which `docker`, `podman` and `skopeo` commands it runs, with
 * each word's value as far as the script itself decides it. Written by hand because no library
 * evaluates shell symbolically: this walks tree-sitter-bash's syntax tree (shell.ts) and follows
 * what build scripts do to assemble a build command:
 *
 * - variables with defaults (`${VAR:-x}`, `VAR=${VAR:-x}`, `: "${VAR:=x}"`), arrays built up and
 *   expanded (`cmd=(docker buildx bake); cmd+=(--push); "${cmd[@]}"`), `export`, `local`;
 * - functions (`run() { ...; "$@"; }`), `$1..$n`, `"$@"` and `shift`;
 * - other scripts (`./retag_and_push.sh "$IMAGE"`, `bash x.sh`, `exec "$(dirname "$0")/x.sh" cpu`)
 *   with their arguments bound to `$1..$n` and the exported environment passed on;
 * - `if`/`case`/`while`/`for` and `a && b || c`: a condition the script decides takes its branch;
 *   one that depends on the run (a command's status, an unknown value) runs every branch and
 *   keeps a variable only when all branches agree on it.
 *
 * A value taken from a default the caller can override (`${PUSH:-0}`, an option the user may pass)
 * is marked `soft`: the run follows the default, and the branches the default skipped are still
 * walked so their commands are known as alternatives (`--push` paths, retags). Nothing is
 * guessed: an unknown value is null with the reason, and a template that names its kind
 * (`<commit>`, `<date>`).
 */
import { posix } from 'node:path';
import { LineIndex, type Range } from '../../parse/locations.js';
import { withShellTree, type ShellNode, type ShellScript } from '../../parse/shell.js';
import { normalize } from '../paths.js';
import type { Repo } from '../repo.js';

/** Where a value was written: a file and a range in it. */
export interface PlanSite {
  file: string;
  range: Range;
}

/** One word as the shell would pass it, with what review knows of its value. */
export interface EvalWord {
  /** The value; null when it depends on something review cannot know. */
  value: string | null;
  /** The value with each unknown part written as `<what>` (`<commit>`, `<date>`, `<IMAGE_TAG>`). */
  template: string;
  /** Why the value is unknown; null when it is known. */
  why: string | null;
  /** True when the value comes from a default the caller can override (environment, an option). */
  soft: boolean;
  at: PlanSite;
}

/** How sure the run is that a command runs. */
export type EventMode = 'taken' | 'conditional' | 'alternative';

/** A container-tool command the script runs. */
export interface ShellEvent {
  argv: EvalWord[];
  /** The environment the command sees that the scripts set (exported variables, `env K=V`, prefixes). */
  env: Map<string, EvalWord>;
  /** The working directory, repository-relative ('' for the root). */
  cwd: string;
  at: PlanSite;
  /** Scripts the run went through to reach it, outermost first. */
  via: string[];
  /** Where the calling script runs the script that runs the command (`at` in the entry script). */
  origin: PlanSite;
  /**
   * `taken` on the run with defaults, `conditional` behind a condition review cannot decide,
   * `alternative` on a path only a non-default option or environment value takes.
   */
  mode: EventMode;
}

/** What one run starts with. */
export interface RunInput {
  /** The file the shell text is in (a script, or the workflow of a `run:` step). */
  file: string;
  script: ShellScript;
  /** Arguments `$1..$n`. */
  args?: EvalWord[];
  /** True when the caller may pass more arguments than `args` (a script run by hand). */
  extraArgs?: boolean;
  /** The environment the run starts with (all exported). */
  env?: Map<string, EvalWord>;
  /** Working directory, repository-relative. */
  cwd?: string;
  /** The script's own path when it is a script (for `$0` and `dirname "$0"`). */
  scriptPath?: string | null;
  /**
   * For workflow `run:` bodies: the value of a `${{ }}` expression, which the workflow parser
   * blanked to a same-length `$___` placeholder, given the placeholder's site.
   */
  placeholder?: (at: PlanSite) => EvalWord | null;
}

type Value = { kind: 'scalar'; word: EvalWord } | { kind: 'array'; items: EvalWord[]; soft: boolean };

interface Frame {
  vars: Map<string, Value>;
  exported: Set<string>;
  positional: EvalWord[];
  extraArgs: boolean;
  functions: Map<string, ShellNode>;
  cwd: string;
  scriptPath: string | null;
  file: string;
  site: (node: ShellNode) => PlanSite;
  via: string[];
  /** Names declared `local` in the function being run, with the values to restore. */
  locals: Map<string, Value | undefined> | null;
  /** Where the outermost function call of this script that led here was written. */
  callSite: PlanSite | null;
  /** Where the calling script runs this script; null in the entry script. */
  originSite: PlanSite | null;
}

/** Leaves the script (`exit`), the function (`return`) or the loop (`break`, `continue`). */
class ExitSignal {
  constructor(readonly kind: 'exit' | 'return' | 'break' | 'continue') {}
}

type Truth = { result: 'true' | 'false' | 'unknown'; soft: boolean; at: PlanSite | null };

const MAX_STEPS = 20000;
const MAX_DEPTH = 10;
const MAX_SHADOW = 2;
const MAX_LOOP = 32;
const TOOLS = new Set(['docker', 'podman', 'skopeo']);
const WRAPPERS = new Set(['env', 'sudo', 'exec', 'command', 'nice', 'nohup', 'time', 'timeout', 'stdbuf', 'doas', 'eatmydata']);
const SHELLS = new Set(['bash', 'sh', 'dash', 'zsh']);

/** A label for an unknown part of a value, from the text that produces it. */
export function unknownLabel(text: string): string {
  if (/sha\b|commit|vcs_ref|rev-parse|revision|git_?ref|github\.sha/i.test(text)) {
    return '<commit>';
  }
  if (/(^|[^a-z])date([^a-z]|$)|created|timestamp/i.test(text)) {
    return '<date>';
  }
  if (/run_number|run_id|run_attempt/i.test(text)) {
    return '<run>';
  }
  const name = /[A-Za-z_][A-Za-z0-9_]*/.exec(text.replace(/^[$({]+/, ''))?.[0];
  return `<${name ?? '?'}>`;
}

/** True when a template has only parts whose kind is known (`<commit>`, `<date>`, `<run>`) besides literal text. */
export function isComparableTemplate(template: string): boolean {
  return [...template.matchAll(/<([^>]*)>/g)].every((match) => ['commit', 'date', 'run'].includes(match[1] ?? ''));
}

/** A known word. */
export function knownWord(value: string, at: PlanSite, soft = false): EvalWord {
  return { value, template: value, why: null, soft, at };
}

/** An unknown word. */
export function unknownWord(why: string, template: string, at: PlanSite): EvalWord {
  return { value: null, template, why, soft: false, at };
}

/** Runs a shell body symbolically and returns the container-tool commands it runs. */
export function evaluateShell(repo: Repo, input: RunInput): ShellEvent[] {
  const evaluator = new Evaluator(repo, input.placeholder ?? null);
  const env = new Map<string, Value>();
  for (const [name, word] of input.env ?? []) {
    env.set(name, { kind: 'scalar', word });
  }
  evaluator.runScript(input.script, {
    originSite: null,
    file: input.file,
    scriptPath: input.scriptPath ?? null,
    args: input.args ?? [],
    extraArgs: input.extraArgs ?? false,
    env,
    cwd: input.cwd ?? '',
    via: [],
  });
  return evaluator.events;
}

interface ScriptStart {
  originSite: PlanSite | null;
  file: string;
  scriptPath: string | null;
  args: EvalWord[];
  extraArgs: boolean;
  env: Map<string, Value>;
  cwd: string;
  via: string[];
}

class Evaluator {
  readonly events: ShellEvent[] = [];
  steps = 0;
  private depth = 0;
  private conditional = 0;
  private shadow = 0;
  /** Set while expanding words when `"$@"` stood for arguments the caller may add. */
  private splatExtra = false;

  constructor(private readonly repo: Repo, private readonly placeholder: ((at: PlanSite) => EvalWord | null) | null) {}

  runScript(script: ShellScript, start: ScriptStart): void {
    if (this.depth >= MAX_DEPTH) {
      return;
    }
    this.depth += 1;
    try {
      withShellTree(script.text, (root) => {
        const lines = new LineIndex(script.text);
        const site = (node: ShellNode): PlanSite => ({
          file: start.file,
          range: { start: script.map(lines.positionAt(node.startIndex)), end: script.map(lines.positionAt(node.endIndex)) },
        });
        const frame: Frame = {
          vars: new Map(start.env),
          exported: new Set(start.env.keys()),
          positional: start.args,
          extraArgs: start.extraArgs,
          functions: new Map(),
          cwd: start.cwd,
          scriptPath: start.scriptPath,
          file: start.file,
          site,
          via: start.via,
          locals: null,
          callSite: null,
          originSite: start.originSite,
        };
        try {
          this.statements(root.namedChildren, frame);
        } catch (error) {
          if (!(error instanceof ExitSignal)) {
            throw error;
          }
        }
      });
    } finally {
      this.depth -= 1;
    }
  }

  /** Keeps one event per command line, site and mode (loops and retries repeat them). */
  private record(event: ShellEvent): void {
    const key = (entry: ShellEvent): string => JSON.stringify([entry.argv.map((word) => word.template), entry.at, entry.mode, [...entry.env].map(([name, word]) => [name, word.template])]);
    const id = key(event);
    if (!this.events.some((other) => key(other) === id)) {
      this.events.push(event);
    }
  }

  private mode(): EventMode {
    return this.shadow > 0 ? 'alternative' : this.conditional > 0 ? 'conditional' : 'taken';
  }

  private statements(nodes: readonly (ShellNode | null)[], frame: Frame): void {
    for (const node of nodes) {
      if (node) {
        this.statement(node, frame);
      }
    }
  }

  private statement(node: ShellNode, frame: Frame): void {
    this.steps += 1;
    if (this.steps > MAX_STEPS) {
      throw new ExitSignal('exit');
    }
    switch (node.type) {
      case 'comment':
      case 'test_command':
        return;
      case 'variable_assignment':
        this.assign(node, frame, false);
        return;
      case 'variable_assignments':
        for (const child of node.namedChildren) {
          if (child) {
            this.assign(child, frame, false);
          }
        }
        return;
      case 'declaration_command':
        this.declaration(node, frame);
        return;
      case 'command':
        this.command(node, frame);
        return;
      case 'redirected_statement': {
        const body = node.childForFieldName('body');
        if (body) {
          this.statement(body, frame);
        }
        return;
      }
      case 'list':
        this.list(node, frame);
        return;
      case 'pipeline':
      case 'subshell':
        // Pipeline stages and subshells run in child processes: their commands run, their variables stay there.
        for (const child of node.namedChildren) {
          if (child) {
            const copy = cloneFrame(frame);
            this.guard(() => this.statement(child, copy));
          }
        }
        return;
      case 'negated_command':
      case 'compound_statement':
      case 'do_group':
        this.statements(node.namedChildren, frame);
        return;
      case 'function_definition': {
        const name = node.childForFieldName('name')?.text;
        const body = node.childForFieldName('body');
        if (name && body) {
          frame.functions.set(name, body);
        }
        return;
      }
      case 'if_statement':
        this.ifStatement(node, frame);
        return;
      case 'case_statement':
        this.caseStatement(node, frame);
        return;
      case 'while_statement':
        this.whileStatement(node, frame);
        return;
      case 'for_statement':
        this.forStatement(node, frame);
        return;
      case 'c_style_for_statement': {
        const body = node.childForFieldName('body');
        if (body) {
          this.unknownBranches(frame, [(copy) => this.statement(body, copy), () => undefined], node);
        }
        return;
      }
      default:
        return;
    }
  }

  /** Runs `fn`, swallowing an `exit` (for child processes). */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      if (!(error instanceof ExitSignal)) {
        throw error;
      }
    }
  }

  // ---- assignments ----

  private assign(node: ShellNode, frame: Frame, local: boolean): void {
    const nameNode = node.childForFieldName('name');
    const valueNode = node.childForFieldName('value');
    let name = nameNode?.text ?? '';
    if (nameNode?.type === 'subscript') {
      // `arr[0]=x`: element assignment; the array becomes unknown rather than half right.
      name = nameNode.childForFieldName('name')?.text ?? '';
      this.setVar(frame, name, { kind: 'scalar', word: unknownWord(`"${name}" is assigned element by element`, `<${name}>`, frame.site(node)) }, local);
      return;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      return;
    }
    const append = node.children.some((child) => child?.type === '+=');
    if (valueNode?.type === 'array') {
      const items = valueNode.namedChildren.flatMap((child) => (child ? this.words(child, frame) : []));
      const previous = frame.vars.get(name);
      const before = append ? (previous?.kind === 'array' ? previous.items : previous ? [previous.word] : []) : [];
      this.setVar(frame, name, { kind: 'array', items: [...before, ...items], soft: previous?.kind === 'array' && append ? previous.soft : false }, local);
      return;
    }
    const word = valueNode ? this.joined(valueNode, frame) : knownWord('', frame.site(node));
    if (append) {
      const previous = frame.vars.get(name);
      if (previous?.kind === 'array') {
        this.setVar(frame, name, { kind: 'array', items: [...previous.items, word], soft: previous.soft }, local);
        return;
      }
      const before = previous?.word ?? knownWord('', word.at);
      this.setVar(frame, name, { kind: 'scalar', word: concat([before, word], word.at) }, local);
      return;
    }
    this.setVar(frame, name, { kind: 'scalar', word }, local);
  }

  private setVar(frame: Frame, name: string, value: Value, local: boolean): void {
    if (local && frame.locals && !frame.locals.has(name)) {
      frame.locals.set(name, frame.vars.get(name));
    }
    frame.vars.set(name, value);
  }

  private declaration(node: ShellNode, frame: Frame): void {
    const keyword = node.child(0)?.text ?? '';
    const local = keyword === 'local' || keyword === 'declare' || keyword === 'typeset';
    for (const child of node.namedChildren) {
      if (!child) {
        continue;
      }
      if (child.type === 'variable_assignment') {
        this.assign(child, frame, local);
        const name = child.childForFieldName('name')?.text;
        if (keyword === 'export' && name) {
          frame.exported.add(name);
        }
      } else if (child.type === 'variable_name') {
        if (keyword === 'export') {
          frame.exported.add(child.text);
        } else if (local) {
          // `local a`: a new, empty variable for the function.
          this.setVar(frame, child.text, { kind: 'scalar', word: knownWord('', frame.site(child)) }, true);
        }
      }
    }
  }

  // ---- words ----

  /** The words a node expands to (several for `"${arr[@]}"` and `"$@"`). */
  private words(node: ShellNode, frame: Frame): EvalWord[] {
    const at = frame.site(node);
    switch (node.type) {
      case 'word':
        if (/(^|[^\\])\$[A-Za-z_{]/.test(node.text)) {
          return [this.wordWithReferences(node, frame)];
        }
        return [knownWord(node.text.replace(/\\(.)/gs, '$1'), at)];
      case 'number':
      // Inside `${X:-base-${Y}}` tree-sitter reads a leading name as `variable_name`; case
      // patterns with `*` are `extglob_pattern`: both are literal text there.
      case 'variable_name':
      case 'extglob_pattern':
        return [knownWord(node.text.replace(/\\(.)/gs, '$1'), at)];
      case 'raw_string':
        return [knownWord(node.text.slice(1, -1), at)];
      case 'string':
      case 'concatenation': {
        const parts = node.namedChildren.filter((child): child is ShellNode => !!child);
        if (node.type === 'string' && parts.length === 0) {
          return [knownWord(node.text.slice(1, -1), at)];
        }
        const only = parts[0];
        if (parts.length === 1 && only && isSplat(only)) {
          // Each word of a splat keeps the place it was written (an array item, an argument).
          return this.words(only, frame);
        }
        const pieces: EvalWord[] = [];
        let offset = node.startIndex + (node.type === 'string' ? 1 : 0);
        for (const part of parts) {
          if (node.type === 'string' && part.startIndex > offset) {
            // Text between parts (tree-sitter leaves some literal text unnamed inside strings).
            pieces.push(knownWord(unquoteDouble(sliceText(node, offset, part.startIndex)), at));
          }
          if (part.type === 'string_content') {
            pieces.push(knownWord(unquoteDouble(part.text), at));
          } else {
            const expanded = this.words(part, frame);
            pieces.push(expanded.length === 1 && expanded[0] ? expanded[0] : concat(expanded, at, ' '));
          }
          offset = part.endIndex;
        }
        if (node.type === 'string' && node.endIndex - 1 > offset) {
          pieces.push(knownWord(unquoteDouble(sliceText(node, offset, node.endIndex - 1)), at));
        }
        return [concat(pieces, at)];
      }
      case 'ansi_c_string':
        return [knownWord(node.text.slice(2, -1), at)];
      case 'simple_expansion': {
        const name = node.namedChildren[0]?.text ?? node.text.slice(1);
        return this.lookupWords(name, null, [], frame, node);
      }
      case 'expansion':
        return this.expansion(node, frame);
      case 'command_substitution':
        return [this.substitution(node, frame)];
      case 'arithmetic_expansion':
        return [unknownWord(`arithmetic ${JSON.stringify(node.text)} is computed at run time`, '<?>', at)];
      default:
        return [unknownWord(`${JSON.stringify(node.text)} is computed at run time`, unknownLabel(node.text), at)];
    }
  }

  /**
   * A `word` node that still holds `$NAME`: tree-sitter-bash splits some unquoted concatenations
   * (`$REPO:$TAG-$(date)`) into words that keep the reference as text; expand it here.
   */
  private wordWithReferences(node: ShellNode, frame: Frame): EvalWord {
    const at = frame.site(node);
    const pieces: EvalWord[] = [];
    const text = node.text;
    let offset = 0;
    for (const match of text.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g)) {
      pieces.push(knownWord(text.slice(offset, match.index), at));
      const name = match[1] ?? match[2] ?? '';
      pieces.push(concat(this.lookupWords(name, null, [], frame, node), at));
      offset = (match.index ?? 0) + match[0].length;
    }
    pieces.push(knownWord(text.slice(offset), at));
    return concat(pieces, at);
  }

  /** Unquoted shell text expanded by hand: `$NAME`, `${NAME}`, `${NAME:-word}`; `$(...)` is unknown. */
  private textWord(text: string, at: PlanSite, frame: Frame): EvalWord {
    const pieces: EvalWord[] = [];
    let i = 0;
    let literal = '';
    while (i < text.length) {
      const ch = text[i] ?? '';
      if (ch === '\\') {
        literal += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (ch === "'" || ch === '"') {
        // Quotes inside a split word: give up on the value rather than misread it.
        return unknownWord(`${JSON.stringify(text)} is computed at run time`, unknownLabel(text), at);
      }
      if (ch !== '$') {
        literal += ch;
        i += 1;
        continue;
      }
      pieces.push(knownWord(literal, at));
      literal = '';
      if (text[i + 1] === '(') {
        let depth = 0;
        let end = i + 1;
        for (; end < text.length; end++) {
          depth += text[end] === '(' ? 1 : text[end] === ')' ? -1 : 0;
          if (depth === 0) {
            break;
          }
        }
        const inner = text.slice(i, end + 1);
        pieces.push(unknownWord(`the output of ${JSON.stringify(inner)} is known only at run time`, unknownLabel(inner), at));
        i = end + 1;
        continue;
      }
      const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/.exec(text.slice(i));
      const plain = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9#@*])/.exec(text.slice(i));
      const match = braced ?? plain;
      if (!match) {
        literal += '$';
        i += 1;
        continue;
      }
      const name = match[1] ?? '';
      const found = frame.vars.has(name) || /^[0-9#@*]$/.test(name) ? concat(this.lookupWords(name, null, [], frame, null), at) : null;
      if (found && found.value !== '') {
        pieces.push({ ...found, at });
      } else if (braced && braced[2] !== undefined) {
        pieces.push(knownWord(braced[2], at, true));
      } else {
        pieces.push(found ?? unknownWord(`$${name} is not set by the script (it comes from the environment)`, unknownLabel(name), at));
      }
      i += match[0].length;
    }
    pieces.push(knownWord(literal, at));
    return concat(pieces, at);
  }

  /** A node's expansion as one word (assignment right sides, `case` subjects). */
  private joined(node: ShellNode, frame: Frame): EvalWord {
    const words = this.words(node, frame);
    return words.length === 1 && words[0] ? words[0] : concat(words, frame.site(node), ' ');
  }

  private expansion(node: ShellNode, frame: Frame): EvalWord[] {
    const at = frame.site(node);
    const children = node.children.filter((child): child is ShellNode => !!child);
    const nameIndex = children.findIndex((child) => child.type === 'variable_name' || child.type === 'special_variable_name' || child.type === 'subscript');
    const nameNode = children[nameIndex];
    if (!nameNode) {
      return [unknownWord(`${JSON.stringify(node.text)} is computed at run time`, '<?>', at)];
    }
    const prefix = children.slice(1, nameIndex).map((child) => child.text).join('');
    if (prefix !== '') {
      // `${#x}`, `${!x}`: lengths and indirection are run-time values.
      return [unknownWord(`${JSON.stringify(node.text)} is computed at run time`, '<?>', at)];
    }
    const rest = children.slice(nameIndex + 1, -1);
    const firstOperand = rest.findIndex((child) => child.isNamed);
    const operator = (firstOperand < 0 ? rest : rest.slice(0, firstOperand)).map((child) => child.text).join('');
    const operands = firstOperand < 0 ? [] : rest.slice(firstOperand);
    let name = nameNode.text;
    let index: string | null = null;
    if (nameNode.type === 'subscript') {
      name = nameNode.childForFieldName('name')?.text ?? '';
      index = nameNode.childForFieldName('index')?.text ?? '';
    }
    return this.lookupWords(name, index, [operator, operands], frame, node);
  }

  /**
   * The words `$name` / `${name[index]<operator><operands>}` expand to. `modifier` is empty for a
   * plain reference.
   */
  private lookupWords(name: string, index: string | null, modifier: [string, ShellNode[]] | [], frame: Frame, node: ShellNode | null, site?: PlanSite): EvalWord[] {
    const at = node ? frame.site(node) : (site ?? { file: frame.file, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } });
    const [operator = '', operands = []] = modifier;
    const operand = (): EvalWord => {
      if (operands.length === 0) {
        return knownWord('', at);
      }
      return concat(operands.flatMap((child) => this.words(child, frame)), at);
    };
    if (name === '@' || name === '*' || ((index === '@' || index === '*') && operator === '')) {
      if (name === '@' || name === '*') {
        if (frame.extraArgs) {
          this.splatExtra = true;
        }
        return frame.positional.map((word) => ({ ...word }));
      }
      const value = frame.vars.get(name);
      if (!value) {
        return [];
      }
      return value.kind === 'array' ? value.items.map((word) => (value.soft ? { ...word, soft: true } : word)) : [value.word];
    }
    let current: EvalWord | 'unset';
    const expression = /^_+$/.test(name) && this.placeholder ? this.placeholder(at) : null;
    if (expression) {
      current = expression;
    } else if (/^\d+$/.test(name)) {
      const n = Number(name);
      current = n === 0
        ? knownWord(frame.scriptPath ?? frame.file, at)
        : frame.positional[n - 1] ?? 'unset';
    } else if (name === '#') {
      current = { ...knownWord(String(frame.positional.length), at), soft: frame.extraArgs };
    } else if (name === 'BASH_SOURCE' && (index === null || index === '0')) {
      current = knownWord(frame.scriptPath ?? frame.file, at);
    } else if (/^[?$!-]$/.test(name)) {
      current = unknownWord(`$${name} is known only at run time`, '<?>', at);
    } else {
      const value = frame.vars.get(name);
      if (!value) {
        current = 'unset';
      } else if (value.kind === 'array') {
        const item = index === null ? value.items[0] : /^\d+$/.test(index) ? value.items[Number(index)] : undefined;
        current = item ? (value.soft ? { ...item, soft: true } : item) : unknownWord(`element ${JSON.stringify(index)} of "${name}" is not known`, `<${name}>`, at);
      } else {
        current = value.word;
      }
    }
    const setAndNonEmpty = current !== 'unset' && (operator.startsWith(':') ? current.value !== '' : true);
    switch (operator) {
      case '': {
        if (current === 'unset') {
          return [unknownWord(`$${name} is not set by the script (it comes from the environment)`, unknownLabel(name), at)];
        }
        return [current];
      }
      case ':-':
      case '-':
      case ':=':
      case '=': {
        if (current !== 'unset' && current.value === null) {
          return [current];
        }
        if (setAndNonEmpty && current !== 'unset') {
          return [current];
        }
        const fallback = { ...operand(), soft: true, at };
        if (operator.endsWith('=')) {
          frame.vars.set(name, { kind: 'scalar', word: fallback });
        }
        return [fallback];
      }
      case ':+':
      case '+': {
        if (current === 'unset') {
          return [knownWord('', at)];
        }
        if (current.value === null) {
          const word = operand();
          return [{ ...word, value: null, why: current.why, template: word.template }];
        }
        return [setAndNonEmpty ? { ...operand(), soft: current.soft } : knownWord('', at, current.soft)];
      }
      case ':?':
      case '?':
        return [current === 'unset' ? unknownWord(`$${name} must be set by the caller`, unknownLabel(name), at) : current];
      default:
        return [unknownWord(`${JSON.stringify(node?.text ?? name)} is computed at run time`, current === 'unset' ? unknownLabel(name) : `<${name}>`, at)];
    }
  }

  /** `$(...)`: `dirname "$0"` is the script's folder; anything else runs (for its commands) and is unknown. */
  private substitution(node: ShellNode, frame: Frame): EvalWord {
    const at = frame.site(node);
    const text = node.text;
    if (/^\$\(\s*dirname\s+"?\$(?:0|\{0\}|\{BASH_SOURCE(?:\[0\])?\}|BASH_SOURCE)"?\s*\)$/.test(text) && frame.scriptPath !== null) {
      return knownWord(posix.dirname(frame.scriptPath), at);
    }
    const copy = cloneFrame(frame);
    this.guard(() => this.statements(node.namedChildren, copy));
    return unknownWord(`the output of ${JSON.stringify(text)} is known only at run time`, unknownLabel(text), at);
  }

  // ---- commands ----

  private command(node: ShellNode, frame: Frame): void {
    const prefix = new Map<string, EvalWord>();
    const argv: EvalWord[] = [];
    const groups: ShellNode[][] = [];
    this.splatExtra = false;
    for (const child of node.namedChildren) {
      if (!child || child.type.endsWith('_redirect')) {
        continue;
      }
      if (child.type === 'variable_assignment') {
        const name = child.childForFieldName('name')?.text ?? '';
        const value = child.childForFieldName('value');
        prefix.set(name, value ? this.joined(value, frame) : knownWord('', frame.site(child)));
        continue;
      }
      if (child.type === 'command_name') {
        const inner = child.firstNamedChild ?? child;
        argv.push(...this.words(inner, frame));
        continue;
      }
      // Arguments with nothing between them are one word that tree-sitter split
      // (`$REPO:$TAG-$(date)` comes out as two concatenations, the `$` of `$TAG` dropped).
      const group = groups[groups.length - 1];
      if (group && group[group.length - 1]?.endIndex === child.startIndex) {
        group.push(child);
      } else {
        groups.push([child]);
      }
    }
    for (const group of groups) {
      const first = group[0];
      const last = group[group.length - 1];
      if (group.length === 1 && first) {
        argv.push(...this.words(first, frame));
      } else if (first && last) {
        const span = { file: frame.file, range: { start: frame.site(first).range.start, end: frame.site(last).range.end } };
        argv.push(this.textWord(sourceBetween(first, last), span, frame));
      }
    }
    const extra = this.splatExtra;
    this.splatExtra = false;
    if (argv.length === 0) {
      for (const [name, word] of prefix) {
        frame.vars.set(name, { kind: 'scalar', word });
      }
      return;
    }
    this.dispatch(argv, prefix, extra, node, frame);
  }

  private dispatch(argv: EvalWord[], prefix: Map<string, EvalWord>, extraArgs: boolean, node: ShellNode, frame: Frame): void {
    const env = new Map(prefix);
    let words = argv;
    let exec = false;
    // Peel wrappers: `env K=V cmd`, `sudo -E cmd`, `timeout 300 cmd`, `exec cmd`.
    for (;;) {
      const program = programOf(words[0]);
      if (program === null || !WRAPPERS.has(program)) {
        break;
      }
      if (program === 'command' && /^-[vV]$/.test(words[1]?.value ?? '')) {
        return;
      }
      exec ||= program === 'exec';
      let i = 1;
      while (i < words.length) {
        const word = words[i];
        if (!word) {
          break;
        }
        const value = word.value;
        // An assignment whose value is unknown still names its variable in the template (`VCS_REF=<commit>`).
        const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(value ?? word.template);
        if (program === 'env' && assignment) {
          env.set(assignment[1] ?? '', {
            ...word,
            value: value === null ? null : value.slice(assignment[0].length),
            template: word.template.slice(assignment[0].length),
          });
          i += 1;
          continue;
        }
        if (value === null) {
          break;
        }
        if (value === '--') {
          i += 1;
          break;
        }
        if (value.startsWith('-')) {
          i += ['-u', '-s', '-k', '-n', '-g', '-C', '-S'].includes(value) ? 2 : 1;
          continue;
        }
        if (program === 'timeout' && /^\d/.test(value)) {
          i += 1;
          continue;
        }
        break;
      }
      words = words.slice(i);
    }
    const head = words[0];
    const name = head?.value ?? null;
    if (!head || name === null) {
      return;
    }
    const args = words.slice(1);
    const program = posix.basename(name);
    if (frame.functions.has(name)) {
      this.callFunction(name, args, extraArgs, frame, frame.site(node));
    } else if (TOOLS.has(program)) {
      const childEnv = this.exportedEnv(frame);
      for (const [key, word] of env) {
        childEnv.set(key, word);
      }
      // A build run through a wrapper function (`run docker ...`) is reported where the function is called.
      const at = frame.callSite ?? frame.site(node);
      this.record({ argv: words, env: childEnv, cwd: frame.cwd, at, via: frame.via, origin: frame.originSite ?? at, mode: this.mode() });
    } else if (!this.builtin(program, name, args, frame, env, extraArgs, node)) {
      this.maybeScript(name, args, env, extraArgs, frame, node);
    }
    if (exec) {
      throw new ExitSignal('exit');
    }
  }

  private exportedEnv(frame: Frame): Map<string, EvalWord> {
    const env = new Map<string, EvalWord>();
    for (const name of frame.exported) {
      const value = frame.vars.get(name);
      if (value?.kind === 'scalar') {
        env.set(name, value.word);
      }
    }
    return env;
  }

  /** Shell built-ins that change the run; true when handled. */
  private builtin(program: string, name: string, args: EvalWord[], frame: Frame, env: Map<string, EvalWord>, extraArgs: boolean, node: ShellNode): boolean {
    switch (name) {
      case 'shift': {
        const count = Number(args[0]?.value ?? '1');
        frame.positional = frame.positional.slice(Number.isFinite(count) ? count : 1);
        return true;
      }
      case 'cd': {
        const target = args[0];
        if (target?.value) {
          frame.cwd = normalize(posix.join(frame.cwd || '.', target.value));
        }
        return true;
      }
      case 'exit':
        throw new ExitSignal('exit');
      case 'return':
        throw new ExitSignal('return');
      case 'break':
        throw new ExitSignal('break');
      case 'continue':
        throw new ExitSignal('continue');
      case 'set': {
        if (args[0]?.value === '--') {
          frame.positional = args.slice(1);
        }
        return true;
      }
      case 'source':
      case '.': {
        const path = this.scriptPath(args[0]?.value ?? null, frame);
        const script = path ? this.repo.scripts.find((entry) => entry.path === path) : undefined;
        if (script) {
          // Sourcing runs in this shell: functions and variables stay.
          this.runInFrame(script.path, script.shell, args.slice(1), frame);
        }
        return true;
      }
      default:
        break;
    }
    if (SHELLS.has(program)) {
      const scriptWord = args.find((word) => !(word.value ?? '').startsWith('-'));
      if (scriptWord && !args.some((word) => word.value === '-c')) {
        const rest = args.slice(args.indexOf(scriptWord) + 1);
        this.maybeScript(scriptWord.value ?? '', rest, env, extraArgs, frame, node);
      }
      return true;
    }
    return !name.includes('/');
  }

  private scriptPath(word: string | null, frame: Frame): string | null {
    if (!word) {
      return null;
    }
    const candidates = [normalize(posix.join(frame.cwd || '.', word)), normalize(word)];
    if (frame.scriptPath !== null) {
      candidates.push(normalize(posix.join(posix.dirname(frame.scriptPath), word)));
    }
    return candidates.find((candidate) => this.repo.scripts.some((script) => script.path === candidate)) ?? null;
  }

  private maybeScript(word: string, args: EvalWord[], env: Map<string, EvalWord>, extraArgs: boolean, frame: Frame, node: ShellNode | null): void {
    const path = this.scriptPath(word, frame);
    const script = path ? this.repo.scripts.find((entry) => entry.path === path) : undefined;
    if (!script || frame.via.includes(script.path) || script.path === frame.scriptPath) {
      return;
    }
    const childEnv = new Map<string, Value>();
    for (const [name, word2] of this.exportedEnv(frame)) {
      childEnv.set(name, { kind: 'scalar', word: word2 });
    }
    for (const [name, value] of env) {
      childEnv.set(name, { kind: 'scalar', word: value });
    }
    const via = frame.scriptPath !== null ? [...frame.via, frame.scriptPath] : frame.via;
    this.runScript(script.shell, {
      originSite: frame.callSite ?? (node ? frame.site(node) : frame.originSite),
      file: script.path,
      scriptPath: script.path,
      args,
      extraArgs,
      env: childEnv,
      cwd: frame.cwd,
      via: via.includes(frame.file) || frame.scriptPath !== null ? via : [...via, frame.file],
    });
  }

  /** Runs a sourced script's statements in the caller's frame. */
  private runInFrame(path: string, script: ShellScript, _args: EvalWord[], frame: Frame): void {
    if (this.depth >= MAX_DEPTH) {
      return;
    }
    this.depth += 1;
    try {
      withShellTree(script.text, (root) => {
        const lines = new LineIndex(script.text);
        const site = frame.site;
        const file = frame.file;
        frame.site = (node) => ({ file: path, range: { start: script.map(lines.positionAt(node.startIndex)), end: script.map(lines.positionAt(node.endIndex)) } });
        frame.file = path;
        try {
          this.statements(root.namedChildren, frame);
        } finally {
          frame.site = site;
          frame.file = file;
        }
      });
    } finally {
      this.depth -= 1;
    }
  }

  private callFunction(name: string, args: EvalWord[], extraArgs: boolean, frame: Frame, site: PlanSite): void {
    const body = frame.functions.get(name);
    if (!body || this.depth >= MAX_DEPTH) {
      return;
    }
    const positional = frame.positional;
    const extra = frame.extraArgs;
    const locals = frame.locals;
    const callSite = frame.callSite;
    frame.callSite ??= site;
    frame.positional = args;
    frame.extraArgs = extraArgs;
    frame.locals = new Map();
    this.depth += 1;
    try {
      this.statement(body, frame);
    } catch (error) {
      if (!(error instanceof ExitSignal) || error.kind !== 'return') {
        throw error;
      }
    } finally {
      this.depth -= 1;
      for (const [local, value] of frame.locals) {
        if (value === undefined) {
          frame.vars.delete(local);
        } else {
          frame.vars.set(local, value);
        }
      }
      frame.positional = positional;
      frame.extraArgs = extra;
      frame.locals = locals;
      frame.callSite = callSite;
    }
  }

  // ---- control flow ----

  private list(node: ShellNode, frame: Frame): void {
    const children = node.children.filter((child): child is ShellNode => !!child);
    const left = children[0];
    const operator = children[1]?.type;
    const right = children[2];
    if (!left || !right || (operator !== '&&' && operator !== '||')) {
      this.statements(node.namedChildren, frame);
      return;
    }
    const truth = this.condition(left, frame);
    const runsRight = operator === '&&' ? 'true' : 'false';
    this.branch(frame, truth, [(copy) => this.statement(right, copy)], runsRight === 'true' ? [true] : [false], node);
  }

  /**
   * Runs branches guarded by a truth: `whenTrue[i]` says whether branch i runs when the truth is
   * true. A decided truth runs the matching branches (and walks the others as alternatives when it
   * is soft); an unknown truth runs every branch and the path that runs none.
   */
  private branch(frame: Frame, truth: Truth, branches: ((copy: Frame) => void)[], whenTrue: boolean[], node: ShellNode): void {
    if (truth.result === 'unknown') {
      const paths: ((copy: Frame) => void)[] = [...branches];
      if (!whenTrue.includes(true) || !whenTrue.includes(false)) {
        paths.push(() => undefined);
      }
      this.unknownBranches(frame, paths, node);
      return;
    }
    const value = truth.result === 'true';
    branches.forEach((run, i) => {
      if (whenTrue[i] === value) {
        run(frame);
      } else if (truth.soft) {
        this.alternative(frame, run);
      }
    });
  }

  /** Walks a path only a non-default value takes; variables it would change become soft in `frame`. */
  private alternative(frame: Frame, run: (copy: Frame) => void): void {
    if (this.shadow >= MAX_SHADOW) {
      return;
    }
    const copy = cloneFrame(frame);
    this.shadow += 1;
    try {
      this.guard(() => run(copy));
    } finally {
      this.shadow -= 1;
    }
    for (const [name, value] of copy.vars) {
      const current = frame.vars.get(name);
      if (current && !sameValue(current, value)) {
        frame.vars.set(name, soften(current));
      }
    }
  }

  /** Runs each path in a copy of the frame and keeps what all paths that go on agree on. */
  private unknownBranches(frame: Frame, paths: ((copy: Frame) => void)[], node: ShellNode): void {
    const survivors: Frame[] = [];
    let signal: ExitSignal | null = null;
    this.conditional += 1;
    try {
      for (const run of paths) {
        const copy = cloneFrame(frame);
        try {
          run(copy);
          survivors.push(copy);
        } catch (error) {
          if (!(error instanceof ExitSignal)) {
            throw error;
          }
          signal ??= error;
        }
      }
    } finally {
      this.conditional -= 1;
    }
    const first = survivors[0];
    if (!first) {
      throw signal ?? new ExitSignal('exit');
    }
    const names = new Set(survivors.flatMap((copy) => [...copy.vars.keys()]));
    const at = frame.site(node);
    for (const name of names) {
      const values = survivors.map((copy) => copy.vars.get(name));
      const [one] = values;
      if (one && values.every((value) => value !== undefined && sameValue(value, one))) {
        frame.vars.set(name, one);
      } else {
        frame.vars.set(name, {
          kind: 'scalar',
          word: unknownWord(`"${name}" depends on the condition at line ${at.range.start.line}`, unknownLabel(name), at),
        });
      }
    }
    for (const name of first.exported) {
      frame.exported.add(name);
    }
    for (const [name, body] of first.functions) {
      frame.functions.set(name, body);
    }
    if (survivors.every((copy) => copy.cwd === first.cwd)) {
      frame.cwd = first.cwd;
    }
    if (survivors.every((copy) => copy.positional.length === first.positional.length)) {
      frame.positional = first.positional;
    }
  }

  private ifStatement(node: ShellNode, frame: Frame): void {
    this.ifChain(node.children.filter((child): child is ShellNode => !!child), frame, node);
  }

  /**
   * `if c; then b; elif ...; else ...; fi` given as children: the conditions before `then`, the
   * body after it, and the `elif_clause` / `else_clause` nodes that follow (tree-sitter keeps
   * them as siblings; an `elif` clause holds its own condition and body).
   */
  private ifChain(children: ShellNode[], frame: Frame, node: ShellNode): void {
    const conditions: ShellNode[] = [];
    const body: ShellNode[] = [];
    const rest: ShellNode[] = [];
    let seenThen = false;
    for (const child of children) {
      if (child.type === 'then') {
        seenThen = true;
        continue;
      }
      if (!child.isNamed || child.type === 'comment') {
        continue;
      }
      if (child.type === 'elif_clause' || child.type === 'else_clause') {
        rest.push(child);
      } else if (seenThen) {
        body.push(child);
      } else {
        conditions.push(child);
      }
    }
    const truth = this.conditions(conditions, frame);
    const elseRun = (copy: Frame): void => {
      const [next, ...later] = rest;
      if (!next) {
        return;
      }
      if (next.type === 'else_clause') {
        this.statements(next.namedChildren, copy);
      } else {
        this.ifChain([...next.children.filter((child): child is ShellNode => !!child), ...later], copy, next);
      }
    };
    this.branch(frame, truth, [(copy) => this.statements(body, copy), elseRun], [true, false], node);
  }

  private conditions(nodes: ShellNode[], frame: Frame): Truth {
    let truth: Truth = { result: 'unknown', soft: false, at: null };
    for (const node of nodes) {
      truth = this.condition(node, frame);
    }
    return truth;
  }

  /** The truth of a statement used as a condition; commands in it run. */
  private condition(node: ShellNode, frame: Frame): Truth {
    const at = frame.site(node);
    switch (node.type) {
      case 'test_command': {
        const inner = node.namedChildren.find((child) => child?.type !== 'comment');
        return inner ? this.test(inner, frame) : { result: 'false', soft: false, at };
      }
      case 'negated_command': {
        const inner = node.namedChildren[0];
        return inner ? negate(this.condition(inner, frame)) : { result: 'unknown', soft: false, at };
      }
      case 'redirected_statement': {
        const body = node.childForFieldName('body');
        return body ? this.condition(body, frame) : { result: 'unknown', soft: false, at };
      }
      case 'list': {
        const children = node.children.filter((child): child is ShellNode => !!child);
        const left = children[0];
        const operator = children[1]?.type;
        const right = children[2];
        if (!left || !right) {
          return { result: 'unknown', soft: false, at };
        }
        const first = this.condition(left, frame);
        const isAnd = operator === '&&';
        if (first.result === (isAnd ? 'false' : 'true')) {
          if (first.soft) {
            this.alternative(frame, (copy) => {
              this.condition(right, copy);
            });
          }
          return first;
        }
        let second: Truth = { result: 'unknown', soft: false, at };
        if (first.result === 'unknown') {
          this.unknownBranches(frame, [(copy) => {
            second = this.condition(right, copy);
          }, () => undefined], node);
          if (second.result === (isAnd ? 'false' : 'true')) {
            return { result: second.result, soft: second.soft || first.soft, at };
          }
          return { result: 'unknown', soft: false, at };
        }
        second = this.condition(right, frame);
        return { result: second.result, soft: first.soft || second.soft, at };
      }
      case 'command': {
        const name = node.childForFieldName('name')?.text;
        if (name === 'true' || name === ':') {
          return { result: 'true', soft: false, at };
        }
        if (name === 'false') {
          return { result: 'false', soft: false, at };
        }
        this.statement(node, frame);
        return { result: 'unknown', soft: false, at };
      }
      default:
        this.statement(node, frame);
        return { result: 'unknown', soft: false, at };
    }
  }

  /** `[[ ... ]]` / `[ ... ]` expressions. */
  private test(node: ShellNode, frame: Frame): Truth {
    const at = frame.site(node);
    const unknown: Truth = { result: 'unknown', soft: false, at };
    switch (node.type) {
      case 'parenthesized_expression': {
        const inner = node.namedChildren[0];
        return inner ? this.test(inner, frame) : unknown;
      }
      case 'unary_expression': {
        const operator = node.children.find((child) => child && (child.type === 'test_operator' || child.type === '!'))?.text ?? '';
        const operand = node.namedChildren.find((child) => child && child.type !== 'test_operator');
        if (!operand) {
          return unknown;
        }
        if (operator === '!') {
          return negate(this.test(operand, frame));
        }
        const word = this.joined(operand, frame);
        if (operator === '-z' || operator === '-n') {
          if (word.value === null) {
            return unknown;
          }
          const empty = word.value === '';
          return { result: (operator === '-z') === empty ? 'true' : 'false', soft: word.soft, at };
        }
        return unknown;
      }
      case 'binary_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const operator = node.childForFieldName('operator')?.text
          ?? node.children.find((child) => child && !child.isNamed)?.text ?? '';
        if (!left || !right) {
          return unknown;
        }
        if (operator === '&&' || operator === '||') {
          const a = this.test(left, frame);
          const b = this.test(right, frame);
          return combine(a, b, operator, at);
        }
        const a = this.joined(left, frame);
        const b = this.joined(right, frame);
        if (a.value === null || b.value === null) {
          return unknown;
        }
        const soft = a.soft || b.soft;
        const numeric = (test: (x: number, y: number) => boolean): Truth => {
          const x = Number(a.value);
          const y = Number(b.value);
          return Number.isFinite(x) && Number.isFinite(y) ? { result: test(x, y) ? 'true' : 'false', soft, at } : unknown;
        };
        switch (operator) {
          case '==':
          case '=':
            return { result: globMatch(b.value, a.value, right.type === 'string' || right.type === 'raw_string') ? 'true' : 'false', soft, at };
          case '!=':
            return { result: globMatch(b.value, a.value, right.type === 'string' || right.type === 'raw_string') ? 'false' : 'true', soft, at };
          case '-eq':
            return numeric((x, y) => x === y);
          case '-ne':
            return numeric((x, y) => x !== y);
          case '-gt':
            return numeric((x, y) => x > y);
          case '-ge':
            return numeric((x, y) => x >= y);
          case '-lt':
            return numeric((x, y) => x < y);
          case '-le':
            return numeric((x, y) => x <= y);
          default:
            return unknown;
        }
      }
      default: {
        // `[[ $x ]]`: true when non-empty.
        const word = this.joined(node, frame);
        return word.value === null ? unknown : { result: word.value !== '' ? 'true' : 'false', soft: word.soft, at };
      }
    }
  }

  private caseStatement(node: ShellNode, frame: Frame): void {
    const subjectNode = node.childForFieldName('value');
    const subject = subjectNode ? this.joined(subjectNode, frame) : null;
    const items = node.namedChildren.filter((child): child is ShellNode => child?.type === 'case_item');
    const runItem = (item: ShellNode) => (copy: Frame): void => {
      const values = new Set(item.childrenForFieldName('value').filter((value): value is ShellNode => !!value).map((value) => value.id));
      this.statements(item.namedChildren.filter((child) => child && !values.has(child.id)), copy);
    };
    if (!subject || subject.value === null) {
      this.unknownBranches(frame, [...items.map(runItem), () => undefined], node);
      return;
    }
    const value = subject.value;
    const matched = items.findIndex((item) => item.childrenForFieldName('value').some((pattern) => {
      if (!pattern) {
        return false;
      }
      const word = this.joined(pattern, frame);
      return word.value !== null && globMatch(word.value, value, pattern.type === 'string' || pattern.type === 'raw_string');
    }));
    const chosen = items[matched];
    if (chosen) {
      runItem(chosen)(frame);
    }
    if (subject.soft) {
      items.forEach((item, i) => {
        if (i !== matched) {
          this.alternative(frame, runItem(item));
        }
      });
    }
  }

  private whileStatement(node: ShellNode, frame: Frame): void {
    const body = node.childForFieldName('body');
    const conditions = node.childrenForFieldName('condition').filter((child): child is ShellNode => !!child && child.isNamed);
    const until = node.child(0)?.type === 'until';
    if (!body) {
      return;
    }
    // A condition the script decides (option parsing over known arguments) is iterated for real;
    // the first undecided one, or a constant one (`while :`), ends with one pass that stands for
    // every further iteration.
    const constant = conditions.length === 1 && conditions[0]?.type === 'command' && /^(:|true)$/.test(conditions[0].text.trim());
    for (let pass = 0; pass < MAX_LOOP && !constant; pass++) {
      let truth = this.conditions(conditions, frame);
      if (until) {
        truth = negate(truth);
      }
      if (truth.result === 'false') {
        if (truth.soft) {
          this.alternative(frame, (copy) => this.statement(body, copy));
        }
        return;
      }
      if (truth.result === 'unknown') {
        break;
      }
      const before = frame.positional.length;
      if (this.loopBody(body, frame) === 'break') {
        return;
      }
      if (frame.positional.length === before) {
        // The pass consumed no argument: the next ones would do the same, or depend on the run.
        break;
      }
    }
    this.unknownBranches(frame, [(copy) => {
      this.loopBody(body, copy);
    }, () => undefined], node);
  }

  /** Runs one iteration; `break` and `continue` end it. */
  private loopBody(body: ShellNode, frame: Frame): 'break' | 'next' {
    try {
      this.statement(body, frame);
    } catch (error) {
      if (error instanceof ExitSignal && (error.kind === 'break' || error.kind === 'continue')) {
        return error.kind === 'break' ? 'break' : 'next';
      }
      throw error;
    }
    return 'next';
  }

  private forStatement(node: ShellNode, frame: Frame): void {
    const variable = node.childForFieldName('variable')?.text ?? '';
    const body = node.childForFieldName('body');
    if (!body) {
      return;
    }
    const valueNodes = node.childrenForFieldName('value').filter((child): child is ShellNode => !!child && child.isNamed);
    const hasIn = node.children.some((child) => child?.type === 'in');
    const words = hasIn ? valueNodes.flatMap((value) => this.words(value, frame)) : frame.positional;
    // The list's length is known even when some of its words are not: each runs the body once.
    for (const word of words.slice(0, MAX_LOOP)) {
      frame.vars.set(variable, { kind: 'scalar', word });
      if (this.loopBody(body, frame) === 'break') {
        return;
      }
    }
  }
}

function cloneFrame(frame: Frame): Frame {
  return {
    ...frame,
    vars: new Map(frame.vars),
    exported: new Set(frame.exported),
    positional: [...frame.positional],
    functions: new Map(frame.functions),
    locals: frame.locals ? new Map(frame.locals) : null,
  };
}

function isSplat(node: ShellNode): boolean {
  if (node.type === 'simple_expansion') {
    return node.text === '$@' || node.text === '$*';
  }
  if (node.type === 'expansion') {
    return /^\$\{(@|\*|[A-Za-z_][A-Za-z0-9_]*\[[@*]\])\}$/.test(node.text);
  }
  return false;
}

/** The source text from the start of `first` to the end of `last` (siblings of one command). */
function sourceBetween(first: ShellNode, last: ShellNode): string {
  const parent = first.parent;
  if (!parent) {
    return first.text;
  }
  return parent.text.slice(first.startIndex - parent.startIndex, last.endIndex - parent.startIndex);
}

function sliceText(node: ShellNode, from: number, to: number): string {
  return node.text.slice(from - node.startIndex, to - node.startIndex);
}

function unquoteDouble(text: string): string {
  return text.replace(/\\([$`"\\\n])/g, (_, escaped: string) => (escaped === '\n' ? '' : escaped));
}

/** Joins words into one (`separator` between them). */
export function concat(words: readonly EvalWord[], at: PlanSite, separator = ''): EvalWord {
  const known = words.every((word) => word.value !== null);
  return {
    value: known ? words.map((word) => word.value ?? '').join(separator) : null,
    template: words.map((word) => word.template).join(separator),
    why: words.find((word) => word.why !== null)?.why ?? null,
    soft: words.some((word) => word.soft),
    at,
  };
}

function programOf(word: EvalWord | undefined): string | null {
  return word?.value ? posix.basename(word.value) : null;
}

function sameWord(a: EvalWord, b: EvalWord): boolean {
  return a.value === b.value && a.template === b.template;
}

function sameValue(a: Value, b: Value): boolean {
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    return sameWord(a.word, b.word);
  }
  if (a.kind === 'array' && b.kind === 'array') {
    return a.items.length === b.items.length && a.items.every((item, i) => {
      const other = b.items[i];
      return other !== undefined && sameWord(item, other);
    });
  }
  return false;
}

function soften(value: Value): Value {
  return value.kind === 'scalar' ? { kind: 'scalar', word: { ...value.word, soft: true } } : { ...value, soft: true };
}

function negate(truth: Truth): Truth {
  return truth.result === 'unknown' ? truth : { ...truth, result: truth.result === 'true' ? 'false' : 'true' };
}

function combine(a: Truth, b: Truth, operator: '&&' | '||', at: PlanSite): Truth {
  const soft = a.soft || b.soft;
  if (operator === '&&') {
    if (a.result === 'false' || b.result === 'false') {
      return { result: 'false', soft, at };
    }
    return a.result === 'true' && b.result === 'true' ? { result: 'true', soft, at } : { result: 'unknown', soft: false, at };
  }
  if (a.result === 'true' || b.result === 'true') {
    return { result: 'true', soft, at };
  }
  return a.result === 'false' && b.result === 'false' ? { result: 'false', soft, at } : { result: 'unknown', soft: false, at };
}

/** Shell pattern matching (`*`, `?`, `[...]`, `a | b` in case items); a quoted pattern is literal. */
function globMatch(pattern: string, value: string, literal: boolean): boolean {
  if (literal) {
    return pattern === value;
  }
  let regex = '';
  for (const ch of pattern) {
    regex += ch === '*' ? '.*' : ch === '?' ? '.' : /[.+^${}()|\\]/.test(ch) ? `\\${ch}` : ch;
  }
  try {
    return new RegExp(`^${regex}$`, 's').test(value);
  } catch {
    return false;
  }
}
