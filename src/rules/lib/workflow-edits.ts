/**
 * Text edits for workflow fixes, computed from the `yaml` package's node ranges so that comments,
 * key order, quoting and every untouched line stay byte for byte. The workflow rules that fix
 * things share this module so their edits land at distinct offsets and never overlap in one fix
 * round (src/fix/edits.ts defers overlapping fixes):
 *
 * - `on:` gets `workflow_dispatch` at the start of its first event line (block mapping), after its
 *   last item (lists, flow mappings) or as a list around a single event name;
 * - a `paths:` list gets new patterns after its last item (flow) or at the end of its last line (block);
 * - top-level `permissions:` goes at the start of the `jobs:` line (above the comments that
 *   introduce it), top-level `concurrency:` at the first blank line before that point, and
 *   job-level `permissions:` at the start of the job's first key.
 *
 * The document is parsed again here (cheap, pure) because the workflow model keeps positions,
 * not the nodes edits are computed from. A shape the edits cannot handle safely (a flow-style
 * root mapping, a job written as a flow mapping) gives null and the finding carries no fix.
 */
import { posix } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import type { TextEdit } from '../finding.js';

/** A workflow file's text with its parsed root mapping. */
interface Parsed {
  text: string;
  root: YAMLMap;
}

/**
 * Parsed documents by text. Several rules ask for edits to the same workflow, and each would parse
 * it again; the nodes are only read, never changed, so one parse serves them all. A cache of a pure
 * function, not state a rule could observe; bounded so a long-lived process does not grow it.
 */
const parsedByText = new Map<string, Parsed | null>();
const MAX_PARSED = 64;

function parse(text: string): Parsed | null {
  if (parsedByText.has(text)) {
    return parsedByText.get(text) ?? null;
  }
  const parsed = parseUncached(text);
  if (parsedByText.size >= MAX_PARSED) {
    parsedByText.clear();
  }
  parsedByText.set(text, parsed);
  return parsed;
}

function parseUncached(text: string): Parsed | null {
  const document = parseDocument(text, { keepSourceTokens: false });
  if (document.errors.length > 0) {
    return null;
  }
  const root = document.contents;
  if (!root || !isMap(root) || root.flow) {
    return null;
  }
  return { text, root };
}

function pairOf(map: YAMLMap, name: string): Pair<YamlNode, YamlNode | null> | null {
  for (const pair of map.items as Pair<YamlNode, YamlNode | null>[]) {
    if (isScalar(pair.key) && String(pair.key.value) === name) {
      return pair;
    }
    // `on` read as boolean true under a %YAML 1.1 directive: the source text names the key.
    if (isScalar(pair.key) && (pair.key as { source?: unknown }).source === name) {
      return pair;
    }
  }
  return null;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset of the line break ending the line that holds `offset` (text length on the last line). */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline < 0) {
    return text.length;
  }
  return newline > 0 && text[newline - 1] === '\r' ? newline - 1 : newline;
}

/** The start of the line after the one holding `offset`, or null on the last line. */
function nextLineStart(text: string, offset: number): number | null {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? null : newline + 1;
}

/**
 * The file's indentation step: the smallest indentation of a key or list line (2 or 4 in practice),
 * 2 when the file has no indented line.
 */
export function indentUnit(text: string): number {
  let unit = Infinity;
  for (const line of text.split('\n')) {
    const match = /^( +)(?:[^\s#]|$)/.exec(line);
    if (match?.[1] && line.trim() !== '') {
      unit = Math.min(unit, match[1].length);
    }
  }
  return Number.isFinite(unit) && unit <= 8 ? unit : 2;
}

/** How a new list item is written: as the last item was quoted, or plain when plain YAML reads it back unchanged. */
function formatItem(value: string, style: string | undefined): string {
  if (style === 'QUOTE_DOUBLE') {
    return JSON.stringify(value);
  }
  const plainSafe = /^[A-Za-z0-9_./][A-Za-z0-9_./*+-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~|[-+]?\d[\d._]*(e[-+]?\d+)?)$/i.test(value);
  if (style === 'QUOTE_SINGLE' || !plainSafe) {
    return `'${value.replace(/'/g, "''")}'`;
  }
  return value;
}

/** The indentation text (spaces) of the line holding `offset`. */
function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^ */.exec(text.slice(start))?.[0] ?? '';
}

/**
 * Edits that append `values` to a YAML sequence node: inside the brackets of a flow list, or as
 * new `- item` lines after the last item of a block list, with its indentation and quoting.
 */
function appendToSequence(file: string, text: string, node: YamlNode, values: string[]): TextEdit | null {
  if (!isSeq(node) || !node.range || values.length === 0) {
    return null;
  }
  const items = node.items as YamlNode[];
  const last = items[items.length - 1];
  const style = last && isScalar(last) ? last.type : undefined;
  const formatted = values.map((value) => formatItem(value, style));
  if (node.flow) {
    if (!last?.range) {
      const open = text.indexOf('[', node.range[0]);
      return open < 0 ? null : { file, start: open + 1, end: open + 1, newText: formatted.join(', ') };
    }
    return { file, start: last.range[1], end: last.range[1], newText: formatted.map((value) => `, ${value}`).join('') };
  }
  if (!last?.range) {
    return null;
  }
  const indent = indentAt(text, last.range[0]);
  if (text.slice(lineStart(text, last.range[0]) + indent.length, last.range[0]).trim() !== '-') {
    // `- - x` or an item that does not start its own line: too unusual to extend by text.
    return null;
  }
  // At the end of the last item's line, not at the next line's start: a top-level block inserted
  // after the list (concurrency) goes at that next line, and must come after these items.
  const end = lineEnd(text, last.range[1]);
  return { file, start: end, end, newText: formatted.map((value) => `\n${indent}- ${value}`).join('') };
}

/** The edit that adds `workflow_dispatch` to `on:`, in whatever shape `on:` has. */
export function addWorkflowDispatchEdit(file: string, text: string): TextEdit | null {
  const parsed = parse(text);
  const on = parsed ? pairOf(parsed.root, 'on') : null;
  const node = on?.value;
  if (!parsed || !node?.range) {
    return null;
  }
  if (isScalar(node)) {
    const source = text.slice(node.range[0], node.range[1]);
    return { file, start: node.range[0], end: node.range[1], newText: `[${source}, workflow_dispatch]` };
  }
  if (isSeq(node)) {
    return appendToSequence(file, text, node, ['workflow_dispatch']);
  }
  if (!isMap(node)) {
    return null;
  }
  const pairs = node.items as Pair<YamlNode, YamlNode | null>[];
  if (node.flow) {
    const lastPair = pairs[pairs.length - 1];
    const end = lastPair?.value?.range?.[1] ?? lastPair?.key?.range?.[1];
    return end === undefined ? null : { file, start: end, end, newText: ', workflow_dispatch: {}' };
  }
  const at = ownLineOf(text, pairs[0]?.key);
  return at === null ? null : { file, start: at.start, end: at.start, newText: `${at.indent}workflow_dispatch:\n` };
}

/** The edit that appends `patterns` to `on.<event>.paths`; null when that list is missing or not a list. */
export function appendPathsEdit(file: string, text: string, event: string, patterns: string[]): TextEdit | null {
  const parsed = parse(text);
  const on = parsed ? pairOf(parsed.root, 'on') : null;
  if (!parsed || !on?.value || !isMap(on.value)) {
    return null;
  }
  const trigger = pairOf(on.value, event)?.value;
  if (!trigger || !isMap(trigger)) {
    return null;
  }
  const paths = pairOf(trigger, 'paths')?.value;
  return paths ? appendToSequence(file, text, paths, patterns) : null;
}

/**
 * Where top-level blocks go: the start of the `jobs:` line, moved up over the comment lines that
 * directly introduce it. Null when there is no block-style `jobs:` at column 0.
 */
function jobsAnchor(parsed: Parsed): number | null {
  const jobs = pairOf(parsed.root, 'jobs');
  const key = jobs?.key;
  if (!key?.range || lineStart(parsed.text, key.range[0]) !== key.range[0]) {
    return null;
  }
  let anchor = key.range[0];
  for (;;) {
    if (anchor === 0) {
      break;
    }
    const previous = lineStart(parsed.text, anchor - 1);
    if (!parsed.text.slice(previous, anchor).startsWith('#')) {
      break;
    }
    anchor = previous;
  }
  return anchor;
}

/** A block (lines with a final newline) indented by `unit` per level: `lines` are [depth, text]. */
function block(lines: [number, string][], unit: number, base = ''): string {
  return lines.map(([depth, line]) => `${base}${' '.repeat(unit * depth)}${line}\n`).join('');
}

/** The edit that adds top-level `permissions:` with `scopes` (scope -> level) before `jobs:`. */
export function addTopLevelPermissionsEdit(file: string, text: string, scopes: [string, string][]): TextEdit | null {
  const parsed = parse(text);
  const anchor = parsed ? jobsAnchor(parsed) : null;
  if (!parsed || anchor === null) {
    return null;
  }
  const unit = indentUnit(text);
  const lines: [number, string][] = [[0, 'permissions:'], ...scopes.map(([scope, level]): [number, string] => [1, `${scope}: ${level}`])];
  return { file, start: anchor, end: anchor, newText: `${block(lines, unit)}\n` };
}

/**
 * The edit that adds top-level `concurrency:` after the last non-blank line before the `jobs:`
 * block: at the first blank line there, else at the end of that line, so it never shares an
 * offset with the permissions insertion at the `jobs:` line.
 */
export function addConcurrencyEdit(file: string, text: string, group: string, cancelInProgress: string): TextEdit | null {
  const parsed = parse(text);
  const anchor = parsed ? jobsAnchor(parsed) : null;
  if (!parsed || anchor === null) {
    return null;
  }
  const unit = indentUnit(text);
  const body = block([[0, 'concurrency:'], [1, `group: ${group}`], [1, `cancel-in-progress: ${cancelInProgress}`]], unit).replace(/\n$/, '');
  let cursor = anchor;
  while (cursor > 0) {
    const previous = lineStart(text, cursor - 1);
    if (text.slice(previous, cursor).trim() !== '') {
      const blank = nextLineStart(text, previous);
      if (blank !== null && blank < anchor) {
        // The first blank line after the last content line: lists that end on that line get
        // their new items at its end (appendToSequence), so the two never share an offset.
        return { file, start: blank, end: blank, newText: `\n${body}\n` };
      }
      const end = lineEnd(text, previous);
      return { file, start: end, end, newText: `\n\n${body}` };
    }
    cursor = previous;
  }
  // `jobs:` starts the file: the block goes at its end instead.
  const newline = text.endsWith('\n') ? '' : '\n';
  return { file, start: text.length, end: text.length, newText: `${newline}\n${body}\n` };
}

/** The edit that adds `permissions:` with `scopes` to job `jobId`, before the job's first key. */
export function addJobPermissionsEdit(file: string, text: string, jobId: string, scopes: [string, string][]): TextEdit | null {
  const parsed = parse(text);
  const jobs = parsed ? pairOf(parsed.root, 'jobs')?.value : null;
  if (!parsed || !jobs || !isMap(jobs) || jobs.flow) {
    return null;
  }
  const job = pairOf(jobs, jobId)?.value;
  if (!job || !isMap(job) || job.flow) {
    return null;
  }
  const at = ownLineOf(text, (job.items[0] as Pair<YamlNode, unknown> | undefined)?.key);
  if (at === null) {
    return null;
  }
  const { start, indent } = at;
  const unit = indentUnit(text);
  const lines: [number, string][] = [[0, 'permissions:'], ...scopes.map(([scope, level]): [number, string] => [1, `${scope}: ${level}`])];
  return { file, start, end: start, newText: block(lines, unit, indent) };
}

/** `ci.yaml` for a paused `ci.yaml.paused` / `ci.yml.disabled`; the path itself for a live workflow. */
export function enabledWorkflowPath(path: string): string {
  const name = posix.basename(path);
  const enabled = name.replace(/(\.ya?ml)\.[^/]+$/, '$1');
  return enabled === name ? path : posix.join(posix.dirname(path), enabled);
}

/**
 * Where a new key can go in front of `key`: the start of its line and its indentation, or null when
 * the key does not start its own line (`- name: x`, `{a: 1}`), where an inserted line would break
 * the structure.
 */
function ownLineOf(text: string, key: YamlNode | null | undefined): { start: number; indent: string } | null {
  if (!key?.range) {
    return null;
  }
  const start = lineStart(text, key.range[0]);
  const indent = indentAt(text, key.range[0]);
  return start + indent.length === key.range[0] ? { start, indent } : null;
}
