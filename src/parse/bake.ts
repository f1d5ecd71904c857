/**
 * Bake files (`docker buildx bake`): HCL (`docker-bake.hcl`, `docker-bake.override.hcl`) and JSON
 * (`docker-bake.json`, ...), read into variables, groups and targets. HCL is read with HashiCorp's
 * own HCL parser (`@cdktf/hcl2json`, hcl2json compiled to WebAssembly), which turns the file into
 * JSON with every expression kept as a `${...}` string; the model then resolves `inherits` and
 * plain `${VAR}` references to variable defaults. Whatever stays dynamic (function calls,
 * conditionals, references to unknown variables) is kept as written and marked in `dynamic`.
 * Nothing here throws on bad input: problems carry line numbers where the parser gives them.
 *
 * Semantics follow the Bake file reference (https://docs.docker.com/build/bake/reference/):
 * `context` defaults to "." and is relative to the directory bake runs in; `dockerfile` defaults
 * to "Dockerfile" and is relative to the context (#targetdockerfile); several files merge in
 * lookup order, later attributes overriding earlier ones and maps (args, labels, contexts)
 * merging key by key.
 */
import { posix } from 'node:path';
import { LineIndex, lineRange, type Range } from './locations.js';
import type { ShellWord } from './shell.js';
import { argsWithoutFlags } from './shell-query.js';

/** A problem met while reading a bake file. */
export interface BakeProblem {
  message: string;
  range: Range;
}

export interface BakeVariable {
  name: string;
  /** The default as a string (numbers and booleans as written), or null without one or when it is an expression. */
  default: string | null;
  line: number | null;
}

export interface BakeGroup {
  name: string;
  /** Target or group names, as written. */
  targets: string[];
  line: number | null;
}

/** A target after `inherits` and variable defaults were applied. */
export interface BakeTarget {
  name: string;
  line: number | null;
  /** The build context as written (resolved); null when not set, which means ".". */
  context: string | null;
  /** The Dockerfile relative to the context; null when not set, which means "Dockerfile". */
  dockerfile: string | null;
  /** True when the target uses `dockerfile-inline` instead of a file. */
  dockerfileInline: boolean;
  target: string | null;
  args: Record<string, string | null>;
  labels: Record<string, string | null>;
  /** Named contexts (`contexts = { name = "path" }`). */
  contexts: Record<string, string>;
  tags: string[];
  platforms: string[];
  cacheFrom: string[];
  cacheTo: string[];
  /** The targets it inherits from, as written. */
  inherits: string[];
  /** Attributes whose value still holds an expression the model does not evaluate (`tags`, `cache-from`). */
  dynamic: string[];
}

/** The raw blocks of one file, kept for merging several files before resolving. */
export interface BakeDefinition {
  variables: Map<string, { value: unknown; line: number | null }>;
  groups: Map<string, { targets: unknown; line: number | null }>;
  targets: Map<string, { attributes: Record<string, unknown>; line: number | null }>;
}

/** A parsed bake file (or the merge of several). */
export interface BakeModel {
  path: string;
  format: 'hcl' | 'json';
  variables: BakeVariable[];
  groups: BakeGroup[];
  targets: BakeTarget[];
  problems: BakeProblem[];
  /** The blocks as written, for `mergeBake`. */
  definition: BakeDefinition;
}

/** True for file names `docker buildx bake` reads as JSON. */
export function isJsonBakeFile(path: string): boolean {
  return /\.json$/i.test(path);
}

type HclParse = (filename: string, contents: string) => Promise<Record<string, unknown>>;
let hclParse: Promise<HclParse> | null = null;

/** Loads the HCL parser on first use: its WebAssembly module costs ~150 ms, paid only by repositories with HCL bake files. */
async function hcl(): Promise<HclParse> {
  hclParse ??= import('@cdktf/hcl2json').then((module) => {
    const parse = (module as { parse?: HclParse; default?: { parse: HclParse } }).parse ?? (module as { default: { parse: HclParse } }).default.parse;
    return parse;
  });
  return hclParse;
}

/** Parses a bake file; never throws. */
export async function parseBake(path: string, text: string): Promise<BakeModel> {
  const format = isJsonBakeFile(path) ? 'json' : 'hcl';
  const problems: BakeProblem[] = [];
  const lines = new LineIndex(text);
  let root: unknown = {};
  if (format === 'json') {
    try {
      root = JSON.parse(text) as unknown;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const at = /position (\d+)/.exec(message);
      const line = at ? lines.positionAt(Number(at[1])).line : Number(/line (\d+)/.exec(message)?.[1] ?? 1);
      problems.push({ message: `bake file is not valid JSON: ${message}`, range: lineRange(line) });
    }
  } else {
    try {
      root = await (await hcl())(posix.basename(path), text);
    } catch (error) {
      problems.push(...hclProblems(error instanceof Error ? error.message : String(error)));
    }
  }
  const definition = readDefinition(root, format, text, problems);
  return { path, format, ...resolveDefinition(definition, problems), problems, definition };
}

/** Splits hcl2json's error (`parse config: [f.hcl:4,1-2: Summary; Detail., ...]`) into problems with lines. */
function hclProblems(message: string): BakeProblem[] {
  const body = message.replace(/^parse config:\s*\[?/, '').replace(/\]$/, '');
  const pattern = /[^\s:[\],]+:(\d+),(\d+)(?:-\d+)?: /g;
  const starts = [...body.matchAll(pattern)];
  if (starts.length === 0) {
    return [{ message: `bake file does not parse: ${body}`, range: lineRange(1) }];
  }
  return starts.map((match, i) => {
    const end = starts[i + 1]?.index ?? body.length;
    const detail = body.slice((match.index ?? 0) + match[0].length, end).replace(/[,\s]+$/, '');
    const column = Number(match[2]);
    return { message: `bake file does not parse: ${detail}`, range: lineRange(Number(match[1]), column, column + 1) };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** hcl2json gives each block as a list (a name may be defined twice and merge); JSON bake files give one object. */
function blocks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) {
    return value.filter(isRecord);
  }
  return isRecord(value) ? [value] : [];
}

function readDefinition(root: unknown, format: 'hcl' | 'json', text: string, problems: BakeProblem[]): BakeDefinition {
  const definition: BakeDefinition = { variables: new Map(), groups: new Map(), targets: new Map() };
  if (!isRecord(root)) {
    if (problems.length === 0) {
      problems.push({ message: 'bake file is not an object of variable, group and target blocks', range: lineRange(1) });
    }
    return definition;
  }
  const section = (kind: string): [string, Record<string, unknown>[]][] =>
    isRecord(root[kind]) ? Object.entries(root[kind]).map(([name, value]) => [name, blocks(value)]) : [];
  for (const [name, list] of section('variable')) {
    for (const block of list) {
      definition.variables.set(name, { value: block.default ?? null, line: blockLine(text, format, 'variable', name) });
    }
  }
  for (const [name, list] of section('group')) {
    for (const block of list) {
      definition.groups.set(name, { targets: block.targets ?? [], line: blockLine(text, format, 'group', name) });
    }
  }
  for (const [name, list] of section('target')) {
    const previous = definition.targets.get(name);
    const attributes = previous?.attributes ?? {};
    for (const block of list) {
      mergeAttributes(attributes, block);
    }
    definition.targets.set(name, { attributes, line: previous?.line ?? blockLine(text, format, 'target', name) });
  }
  return definition;
}

/**
 * The line of a block's header. hcl2json's JSON carries no positions, so this falls back to the
 * text: the first `target "name" {` (HCL) or `"name":` inside the section (JSON).
 */
function blockLine(text: string, format: 'hcl' | 'json', kind: string, name: string): number | null {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let offset = -1;
  if (format === 'hcl') {
    offset = new RegExp(`^[ \\t]*${kind}[ \\t]+"${escaped}"`, 'm').exec(text)?.index ?? -1;
  } else {
    const sectionAt = text.search(new RegExp(`"${kind}"\\s*:`));
    if (sectionAt >= 0) {
      const match = new RegExp(`"${escaped}"\\s*:`).exec(text.slice(sectionAt + kind.length + 2));
      offset = match ? sectionAt + kind.length + 2 + match.index : -1;
    }
  }
  if (offset < 0) {
    return null;
  }
  return text.slice(0, offset).split('\n').length + (text.slice(offset).match(/^\s*/)?.[0].split('\n').length ?? 1) - 1;
}

/** Map-valued attributes merge key by key; every other attribute is replaced by the later value. */
const MAP_ATTRIBUTES = new Set(['args', 'labels', 'contexts', 'annotations']);

function mergeAttributes(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(from)) {
    const current = into[key];
    into[key] = MAP_ATTRIBUTES.has(key) && isRecord(current) && isRecord(value) ? { ...current, ...value } : value;
  }
}

/** Merges files in the order bake reads them (`docker-bake.hcl`, then `docker-bake.override.hcl`). */
export function mergeBake(models: readonly BakeModel[]): BakeModel {
  const first = models[0];
  if (models.length === 1 && first) {
    return first;
  }
  const definition: BakeDefinition = { variables: new Map(), groups: new Map(), targets: new Map() };
  for (const model of models) {
    for (const [name, variable] of model.definition.variables) {
      definition.variables.set(name, variable);
    }
    for (const [name, group] of model.definition.groups) {
      definition.groups.set(name, group);
    }
    for (const [name, target] of model.definition.targets) {
      const previous = definition.targets.get(name);
      const attributes = { ...(previous?.attributes ?? {}) };
      mergeAttributes(attributes, target.attributes);
      definition.targets.set(name, { attributes, line: previous?.line ?? target.line });
    }
  }
  const problems = models.flatMap((model) => model.problems);
  const resolved = resolveDefinition(definition, []);
  return { path: first?.path ?? '', format: first?.format ?? 'hcl', ...resolved, problems, definition };
}

const PLAIN_REFERENCE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function resolveDefinition(definition: BakeDefinition, problems: BakeProblem[]): Pick<BakeModel, 'variables' | 'groups' | 'targets'> {
  const variables: BakeVariable[] = [];
  const defaults = new Map<string, string | null>();
  for (const [name, variable] of definition.variables) {
    const value = scalar(variable.value);
    const plain = value !== null && !value.includes('${') ? value : null;
    defaults.set(name, plain);
    variables.push({ name, default: plain, line: variable.line });
  }
  // A default that refers to another variable (`default = "${BASE}-gpu"`) resolves once the others are known.
  for (const variable of variables) {
    const raw = scalar(definition.variables.get(variable.name)?.value);
    if (variable.default === null && raw !== null) {
      const resolved = interpolate(raw, defaults);
      if (resolved.resolved) {
        variable.default = resolved.value;
        defaults.set(variable.name, resolved.value);
      }
    }
  }

  const groups: BakeGroup[] = [...definition.groups].map(([name, group]) => ({
    name,
    targets: Array.isArray(group.targets) ? group.targets.map((entry) => scalar(entry)).filter((entry): entry is string => entry !== null) : [],
    line: group.line,
  }));

  const flattened = new Map<string, Record<string, unknown>>();
  const flatten = (name: string, trail: string[]): Record<string, unknown> => {
    const known = flattened.get(name);
    if (known) {
      return known;
    }
    const own = definition.targets.get(name);
    if (!own) {
      return {};
    }
    const merged: Record<string, unknown> = {};
    for (const parent of stringList(own.attributes.inherits)) {
      if (trail.includes(parent)) {
        problems.push({ message: `target "${name}" inherits from "${parent}", which inherits from it (a cycle)`, range: lineRange(own.line ?? 1) });
        continue;
      }
      if (!definition.targets.has(parent)) {
        problems.push({ message: `target "${name}" inherits from "${parent}", which is not defined`, range: lineRange(own.line ?? 1) });
        continue;
      }
      mergeAttributes(merged, flatten(parent, [...trail, parent]));
    }
    mergeAttributes(merged, own.attributes);
    flattened.set(name, merged);
    return merged;
  };

  const targets: BakeTarget[] = [];
  for (const [name, own] of definition.targets) {
    const attributes = flatten(name, [name]);
    const dynamic = new Set<string>();
    const text = (key: string): string | null => {
      const value = scalar(attributes[key]);
      if (value === null) {
        if (attributes[key] !== undefined && attributes[key] !== null) {
          dynamic.add(key);
        }
        return null;
      }
      const resolved = interpolate(value, defaults);
      if (!resolved.resolved) {
        dynamic.add(key);
      }
      return resolved.value;
    };
    const list = (key: string): string[] => {
      const value = attributes[key];
      if (value === undefined || value === null) {
        return [];
      }
      if (!Array.isArray(value)) {
        // `tags = some_function(...)` arrives as one "${...}" string.
        dynamic.add(key);
        const one = text(key);
        return one === null ? [] : [one];
      }
      return value.map((entry) => {
        const raw = scalar(entry);
        if (raw === null) {
          dynamic.add(key);
          return '';
        }
        const resolved = interpolate(raw, defaults);
        if (!resolved.resolved) {
          dynamic.add(key);
        }
        return resolved.value;
      }).filter((entry) => entry !== '');
    };
    const map = (key: string): Record<string, string | null> => {
      const value = attributes[key];
      const result: Record<string, string | null> = {};
      if (value === undefined || value === null) {
        return result;
      }
      if (!isRecord(value)) {
        dynamic.add(key);
        return result;
      }
      for (const [entry, raw] of Object.entries(value)) {
        const string = scalar(raw);
        if (string === null) {
          result[entry] = null;
          continue;
        }
        const resolved = interpolate(string, defaults);
        if (!resolved.resolved) {
          dynamic.add(key);
        }
        result[entry] = resolved.value;
      }
      return result;
    };
    const contexts = Object.fromEntries(Object.entries(map('contexts')).filter((entry): entry is [string, string] => entry[1] !== null));
    targets.push({
      name,
      line: own.line,
      context: text('context'),
      dockerfile: text('dockerfile'),
      dockerfileInline: attributes['dockerfile-inline'] !== undefined && attributes['dockerfile-inline'] !== null,
      target: text('target'),
      args: map('args'),
      labels: map('labels'),
      contexts,
      tags: list('tags'),
      platforms: list('platforms'),
      cacheFrom: list('cache-from'),
      cacheTo: list('cache-to'),
      inherits: stringList(own.attributes.inherits),
      dynamic: [...dynamic].sort(),
    });
  }
  return { variables, groups, targets };
}

function scalar(value: unknown): string | null {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return null;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(scalar).filter((entry): entry is string => entry !== null) : [];
}

/**
 * Replaces `${VAR}` with the variable's default. Anything else inside `${...}` (functions,
 * conditionals, unknown or default-less variables) stays as written and makes the result unresolved.
 */
export function interpolate(value: string, defaults: ReadonlyMap<string, string | null>): { value: string; resolved: boolean } {
  let resolved = true;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const start = value.indexOf('${', i);
    if (start < 0) {
      out += value.slice(i);
      break;
    }
    out += value.slice(i, start);
    const end = closingBrace(value, start + 2);
    if (end < 0) {
      out += value.slice(start);
      resolved = false;
      break;
    }
    const inner = value.slice(start + 2, end).trim();
    const replacement = PLAIN_REFERENCE.test(inner) ? defaults.get(inner) : undefined;
    if (replacement === undefined || replacement === null) {
      out += value.slice(start, end + 1);
      resolved = false;
    } else {
      out += replacement;
    }
    i = end + 1;
  }
  return { value: out, resolved };
}

/** The index of the `}` that closes a `${` whose body starts at `from`, skipping nested braces and strings. */
function closingBrace(value: string, from: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = from; i < value.length; i++) {
    const char = value[i];
    if (quoted) {
      if (char === '\\') {
        i += 1;
      } else if (char === '"') {
        quoted = false;
      }
      continue;
    }
    if (char === '"') {
      quoted = true;
    } else if (char === '{') {
      depth += 1;
    } else if (char === '}') {
      if (depth === 0) {
        return i;
      }
      depth -= 1;
    }
  }
  return -1;
}

/** The targets `docker buildx bake <names>` builds: groups expanded (recursively), unknown names apart. */
export function bakeTargets(model: BakeModel, names: readonly string[]): { targets: BakeTarget[]; unknown: string[] } {
  const byName = new Map(model.targets.map((target) => [target.name, target]));
  const groups = new Map(model.groups.map((group) => [group.name, group]));
  const targets: BakeTarget[] = [];
  const unknown: string[] = [];
  const visit = (name: string, trail: string[]): void => {
    const group = groups.get(name);
    // A group and a target may share a name; bake builds the group's targets then.
    if (group && !trail.includes(name)) {
      for (const member of group.targets) {
        visit(member, [...trail, name]);
      }
      return;
    }
    const target = byName.get(name);
    if (target) {
      if (!targets.includes(target)) {
        targets.push(target);
      }
    } else if (!unknown.includes(name)) {
      unknown.push(name);
    }
  };
  // Without names bake builds the "default" group or target.
  for (const name of names.length > 0 ? names : ['default']) {
    visit(name, []);
  }
  return { targets, unknown };
}

/** Where a target builds from, repository-relative ('' for the root), given the directory bake runs in. */
export interface BakeBuildPaths {
  /** Null when the context is remote (a Git URL, `target:`, `docker-image://`) or dynamic. */
  context: string | null;
  /** Null when the Dockerfile is inline, remote or dynamic. */
  dockerfile: string | null;
}

export function bakeBuildPaths(target: BakeTarget, workdir: string): BakeBuildPaths {
  const contextValue = target.context ?? '.';
  const remote = /^[a-z][a-z0-9+.-]*:\/\//i.test(contextValue) || /^(target|git@)/.test(contextValue) || contextValue.includes('${');
  const context = remote ? null : clean(posix.join(workdir || '.', contextValue));
  if (context === null || target.dockerfileInline) {
    return { context, dockerfile: null };
  }
  const file = target.dockerfile ?? 'Dockerfile';
  if (file.includes('${') || /^[a-z][a-z0-9+.-]*:\/\//i.test(file)) {
    return { context, dockerfile: null };
  }
  // The Dockerfile resolves relative to the context (Bake reference, target.dockerfile).
  return { context, dockerfile: clean(posix.isAbsolute(file) ? file : posix.join(context || '.', file)) };
}

function clean(path: string): string {
  const cleaned = posix.normalize(path).replace(/^\.\//, '').replace(/\/$/, '');
  return cleaned === '.' ? '' : cleaned;
}

// `docker buildx bake` flags that take a value as the next word (buildx_bake.md).
export const BAKE_FLAGS_WITH_VALUE = ['-f', '--file', '--set', '--builder', '--progress', '--metadata-file', '--allow', '--call', '--list', '--provenance', '--sbom'];

/** File names `docker buildx bake` reads when no --file is given, in its lookup order (Bake reference, "File format"). */
export const DEFAULT_BAKE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml', 'docker-bake.json', 'docker-bake.hcl', 'docker-bake.override.json', 'docker-bake.override.hcl'];

/** What a `docker buildx bake` command line names: bake files (`-f`) and targets; null entries are dynamic words. */
export interface BakeCall {
  files: (string | null)[];
  targets: (string | null)[];
}

/** Reads the arguments after `docker buildx bake`. */
export function bakeCallArgs(args: readonly ShellWord[]): BakeCall {
  const files: (string | null)[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const value = word?.value ?? null;
    if (value === '-f' || value === '--file') {
      files.push(args[i + 1]?.value ?? null);
      i += 1;
    } else if (value !== null && value.startsWith('--file=')) {
      files.push(value.slice('--file='.length));
    }
  }
  const targets = argsWithoutFlags(args, BAKE_FLAGS_WITH_VALUE).map((word) => word.value);
  return { files, targets };
}

/** The targets named by a build over several bake files, merged in the order given. */
export function bakeTargetsIn(models: readonly BakeModel[], names: readonly string[]): { targets: BakeTarget[]; unknown: string[] } {
  if (models.length === 0) {
    return { targets: [], unknown: [...names] };
  }
  return bakeTargets(mergeBake(models), names);
}

/**
 * The merge of `models` with variables set from the environment, as `docker buildx bake` reads
 * them (a variable takes the value of the environment variable of the same name). A null value
 * stands for one review cannot know: every attribute that uses it stays dynamic.
 */
export function bakeWithVariables(models: readonly BakeModel[], values: ReadonlyMap<string, string | null>): BakeModel {
  const merged = mergeBake(models);
  const variables = new Map(merged.definition.variables);
  for (const [name, value] of values) {
    const variable = variables.get(name);
    if (variable) {
      // `${...}` keeps an unknown value dynamic through interpolate().
      variables.set(name, { value: value ?? '${__unknown__}', line: variable.line });
    }
  }
  const definition: BakeDefinition = { ...merged.definition, variables };
  return { ...merged, ...resolveDefinition(definition, []), definition };
}
