/**
 * Loads `baseimg.config.json` or `baseimg.config.yaml` from the repository root (or `--config`).
 * Both are read with the `yaml` package (JSON is YAML) so that a schema error can name the key
 * and the line it is on.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { InputError } from '../errors.js';
import { config as configSchema, type Config } from './config.schema.js';

/** Config file names looked for at the repository root, in order. */
export const CONFIG_FILES = ['baseimg.config.json', 'baseimg.config.yaml', 'baseimg.config.yml'] as const;

/** Parses and validates config text; throws `InputError` naming the key and line of the first problem. */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const syntax = document.errors[0];
  if (syntax) {
    // Errors found at the end of the input (an unclosed quote or bracket) are reported past the
    // last line; point at the last line that has text instead.
    const lastLine = text.trimEnd().split('\n').length;
    const line = Math.max(1, Math.min(lineCounter.linePos(syntax.pos[0]).line, lastLine));
    // The yaml package says "Map keys must be unique" without the key; name it.
    let detail = syntax.message.split('\n')[0] ?? 'invalid syntax';
    if (syntax.code === 'DUPLICATE_KEY') {
      const loose = parseDocument(text, { uniqueKeys: false });
      const path = keyPathAt(loose.contents, syntax.pos[0]);
      detail = path ? `${path.join('.')}: duplicate key` : 'duplicate key';
    }
    throw new InputError(`${file}:${line}: ${detail}`, file, line);
  }
  const result = configSchema.safeParse(document.toJS() ?? {});
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0];
  let path = (issue?.path ?? []).map(String);
  let message = issue?.message ?? 'invalid';
  if (issue?.code === 'unrecognized_keys') {
    // Point at the first unknown key itself, not at the object that holds it.
    path = [...path, issue.keys[0] ?? ''];
    message = `unknown key (expected one of ${knownKeys(path.slice(0, -1)).join(', ')})`;
  } else if (issue?.code === 'invalid_union' && path[0] === 'rules') {
    message = `expected "off", "error", "warning", "info" or { "severity": ..., "options": {...} }, got ${JSON.stringify(valueAt(document.toJS(), path))}`;
  } else if (issue?.code === 'invalid_key' && path[0] === 'families') {
    message = 'family names are lowercase letters, digits, ".", "_" and "-", starting with a letter or digit';
  } else if (issue?.code === 'invalid_type' && / received undefined$/.test(message)) {
    message = `required key is missing (${message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')})`;
  }
  message = message.replace(/^Invalid input: /, '');
  const line = lineOf(document.contents, path, lineCounter);
  const key = path.length > 0 ? path.join('.') : '(root)';
  throw new InputError(`${file}:${line}: ${key}: ${message}`, file, line);
}

/**
 * Rule ids the config names (`rules.<id>`, `ignore.findings[].rule`) must exist: a misspelt id
 * would otherwise silently do nothing. Throws `InputError` naming the key and its line.
 */
export function checkRuleIds(config: Config, file: { path: string; text: string } | null, known: ReadonlySet<string>): void {
  const named: { id: string; path: (string | number)[] }[] = [
    ...Object.keys(config.rules ?? {}).map((id) => ({ id, path: ['rules', id] })),
    ...(config.ignore?.findings ?? []).map((entry, index) => ({ id: entry.rule, path: ['ignore', 'findings', index, 'rule'] })),
  ];
  for (const { id, path } of named) {
    if (known.has(id)) {
      continue;
    }
    const name = file?.path ?? 'config';
    const line = file ? configLine(file.text, path) : 1;
    const suggestion = closest(id, known);
    throw new InputError(`${name}:${line}: ${path.join('.')}: unknown rule ${JSON.stringify(id)}${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ''}`, name, line);
  }
}

/** The known id nearest to `id` by edit distance, when it is near enough to be a typo. */
function closest(id: string, known: ReadonlySet<string>): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(3, Math.floor(id.length / 4)) + 1;
  for (const candidate of known) {
    const distance = editDistance(id, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The 1-based line of the config value at `path` (or of its nearest existing parent); 1 when unknown. */
export function configLine(text: string, path: readonly (string | number)[]): number {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  return lineOf(document.contents, path.map(String), lineCounter);
}

function lineOf(contents: unknown, path: string[], lineCounter: LineCounter): number {
  const node = nodeAt(contents, path);
  return node?.range ? lineCounter.linePos(node.range[0]).line : 1;
}

/** The keys the schema allows at an object path, for "unknown key" messages. */
function knownKeys(path: string[]): string[] {
  let schema: unknown = configSchema;
  for (const key of path) {
    const shape = objectShape(schema);
    // Inside records (families.<name>, rules.<id>) and arrays (ignore.findings.<n>) the key is data.
    schema = shape ? shape[key] : containerValue(schema);
  }
  return Object.keys(objectShape(schema) ?? {});
}

interface SchemaDef {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  valueType?: unknown;
  element?: unknown;
  options?: unknown[];
}

function defOf(schema: unknown): SchemaDef | undefined {
  return (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

/** The object schema inside optional/union wrappers, as its shape. */
function objectShape(schema: unknown): Record<string, unknown> | null {
  const def = defOf(schema);
  if (!def) {
    return null;
  }
  if (def.type === 'object') {
    return def.shape ?? null;
  }
  if (def.innerType) {
    return objectShape(def.innerType);
  }
  for (const option of def.options ?? []) {
    const shape = objectShape(option);
    if (shape) {
      return shape;
    }
  }
  return null;
}

function containerValue(schema: unknown): unknown {
  const def = defOf(schema);
  if (!def) {
    return undefined;
  }
  return def.valueType ?? def.element ?? (def.innerType ? containerValue(def.innerType) : undefined);
}

/** The key path of the map key that starts at `offset` (for duplicate-key errors). */
function keyPathAt(node: unknown, offset: number, prefix: string[] = []): string[] | null {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as YamlNode | null;
      const name = String((key as { value?: unknown } | null)?.value ?? key);
      if (key?.range && key.range[0] === offset) {
        return [...prefix, name];
      }
      const found = keyPathAt(pair.value, offset, [...prefix, name]);
      if (found) {
        return found;
      }
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const found = keyPathAt(item, offset, [...prefix, String(index)]);
      if (found) {
        return found;
      }
    }
  }
  return null;
}

function valueAt(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}

/** The node at `path`, or the deepest existing node on the way (a missing key points at its parent). */
function nodeAt(node: unknown, path: string[]): YamlNode | null {
  let current = node as YamlNode | null;
  for (const key of path) {
    let next: YamlNode | null = null;
    if (isMap(current)) {
      const pair = current.items.find((item) => String((item.key as { value?: unknown } | null)?.value ?? item.key) === key);
      // For an unknown key, the key itself is the better place to point at than its value.
      next = (pair ? (pair.value && path[path.length - 1] !== key ? pair.value : pair.key ?? pair.value) : null) as YamlNode | null;
    } else if (isSeq(current)) {
      next = (current.items[Number(key)] ?? null) as YamlNode | null;
    }
    if (!next) {
      break;
    }
    current = next;
  }
  return current;
}

/** Reads a config file; a missing file is an `InputError` too (the user named it). */
export async function loadConfig(path: string, displayName: string): Promise<{ config: Config; text: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`${displayName}: cannot read config: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, displayName);
  }
  const clean = text.replace(/^\uFEFF/, '');
  return { config: parseConfig(clean, displayName), text: clean };
}
